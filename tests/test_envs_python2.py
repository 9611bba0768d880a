"""Python 2 research code: told from the code (a file Python 3 cannot parse for a Python 2 idiom) or from
the error Python 3 raises running it, and how a ladder rung's uv flags read as pip's for a 2.7 build."""

from pathlib import Path

import pytest

from reproducer.envs.drift import classify_failure
from reproducer.envs.python2 import _cutoff, _first_of_each, is_python2, pip_flags
from reproducer.plan import make_plan
from reproducer.plan.detectors.python2_code import python2_only

PLAN_FIXTURES = Path(__file__).parent / "fixtures" / "plan"
DRIFT_FIXTURES = Path(__file__).parent / "fixtures" / "drift"


def test_a_print_statement_sets_python_2_7_over_the_readme_with_the_line_as_evidence() -> None:
    plan = make_plan(PLAN_FIXTURES / "python2_print")
    assert plan.python_version is not None and plan.python_version.value == "2.7"
    assert str(plan.python_version.evidence) == "analysis.py:7"
    assert "Missing parentheses in call to 'print'" in plan.python_version.evidence.text
    assert 'print "%s: %d" % (plot, total)' in plan.python_version.evidence.text


def test_a_syntax_error_of_another_kind_says_nothing_about_python_2() -> None:
    assert make_plan(PLAN_FIXTURES / "python2_not").python_version is None


@pytest.mark.parametrize(
    "code",
    [
        "try:\n    pass\nexcept ValueError, error:\n    pass\n",
        "import os\nos.chmod('x', 0755)\n",
        "n = 10L\n",
        "s = `42`\n",
        "raise ValueError, 'bad input'\n",
        "exec 'x = 1'\n",
        "if 1 <> 2:\n    pass\n",
        "import sys\nprint >>sys.stderr, 'warning'\n",
        "def f():\n\tif True:\n        return 1\n\treturn 2\n",
    ],
)
def test_python_2_idioms_are_told(code: str) -> None:
    found = python2_only(code)
    assert found is not None and "written for Python 2" in found[1]


@pytest.mark.parametrize("code", ["print('fine')\n", "def f(:\n    pass\n", "x = [1, 2\n", "a\x00b = 1\n"])
def test_python_3_code_and_other_errors_are_not_python_2(code: str) -> None:
    assert python2_only(code) is None


@pytest.mark.parametrize(
    ("requested", "expected"),
    [
        ("2.7", True),
        ("2", True),
        ("==2.7.*", True),
        ("<3", True),
        ("3.6", False),
        (">=2.7", False),
        (None, False),
    ],
)
def test_which_version_texts_ask_for_python_2(requested: str | None, expected: bool) -> None:
    assert is_python2(requested) is expected


def test_the_run_time_rungs_uv_flags_read_as_pips() -> None:
    flags = ["--exclude-newer", "2017-02-06", "--exclude-newer-package", "pip=2999-12-31"]
    flags += ["--only-binary", ":all:", "--no-binary", "mypkg"]
    assert pip_flags(flags) == ["--only-binary", ":all:", "--no-binary", "mypkg"]
    assert _cutoff(flags) == ("2017-02-06", {"pip"})
    assert _cutoff([]) == (None, set()) and pip_flags([]) == []


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("py3-bytes_str", "TypeError: a bytes-like object is required, not 'str'"),
        ("py3-iteritems", "AttributeError: 'dict' object has no attribute 'iteritems'"),
        ("py3-cpickle", "ModuleNotFoundError: No module named 'cPickle'"),
    ],
)
def test_python_3s_errors_on_python_2_code_call_for_python_2(name: str, error: str) -> None:
    """Captured from Python 3.11 running Python 2 code that parses on both."""
    drift = classify_failure((DRIFT_FIXTURES / f"{name}.txt").read_text())
    assert drift is not None and (drift.kind, drift.error) == ("python2", error)
    assert "written for Python 2" in drift.describe()


def test_a_pin_the_ladder_adds_beside_a_bare_name_becomes_a_constraint_pip_accepts() -> None:
    lines = ["numpy", "statsmodels", "Statsmodels==0.8.0", "scipy"]
    assert _first_of_each(lines) == (["numpy", "statsmodels", "scipy"], ["Statsmodels==0.8.0"])


@pytest.mark.parametrize(
    ("fixture", "cited"),
    [("python2_readme", "README.md:3"), ("python2_classifiers", "setup.py:9")],
)
def test_documents_and_classifiers_that_name_only_python_2_7_ask_for_it(fixture: str, cited: str) -> None:
    plan = make_plan(PLAN_FIXTURES / fixture)
    assert plan.python_version is not None
    assert is_python2(plan.python_version.value), plan.python_version
    assert str(plan.python_version.evidence) == cited
