"""Python 2 research code: told from the code (a file Python 3 cannot parse for a Python 2 idiom) or from
the error Python 3 raises running it, and how a ladder rung's uv flags read as pip's for a 2.7 build."""

import datetime as dt
import json
from pathlib import Path

import pytest

from reproducer.envs.drift import classify_failure
from reproducer.envs.interpreters import installed_by_minor
from reproducer.envs.python2 import _cutoff, _first_of_each, is_python2, pip_flags
from reproducer.pipeline.drift_rung import run_time_rung
from reproducer.plan import make_plan
from reproducer.plan.detectors.python2_code import python2_only, python3_only_syntax
from reproducer.plan.model import Decision, EntryPoint, Evidence, Plan
from reproducer.sandbox.base import ExecResult

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


def _iteritems_failure(tmp_path: Path) -> ExecResult:
    return ExecResult(
        command="python tally.py",
        cwd="code",
        exit_code=1,
        status="error",
        wall_seconds=1.0,
        stdout="",
        stderr=(DRIFT_FIXTURES / "py3-iteritems.txt").read_text(),
        stdout_path=tmp_path / "out",
        stderr_path=tmp_path / "err",
    )


def _dated(year: int) -> Plan:
    when = Decision[dt.date](value=dt.date(year, 3, 10), evidence=Evidence(file=".git"))
    entry = EntryPoint(command="python tally.py", kind="python", evidence=Evidence(file="task prompt"))
    return Plan(capsule="tally", cutoff_date=when, entry_points=[entry])


@pytest.mark.skipif((2, 7) not in installed_by_minor(), reason="no Python 2.7 on this machine")
@pytest.mark.parametrize(
    ("year", "code", "because"),
    [
        (2015, 'print("ok")\n', None),
        (2015, 'x = 1\nprint(f"{x}")\n', "the code has Python 3 syntax (tally.py:2"),
        (2021, 'print("ok")\n', "the capsule's date is after Python 2's end"),
    ],
)
def test_python_3s_error_climbs_to_python_2_7_only_for_code_of_its_time_and_syntax(
    tmp_path: Path, year: int, code: str, because: str | None
) -> None:
    (tmp_path / "capsule").mkdir()
    (tmp_path / "capsule" / "tally.py").write_text(code)
    (tmp_path / "run" / "env").mkdir(parents=True)
    said: list[str] = []
    failure = _iteritems_failure(tmp_path)
    rung = run_time_rung(_dated(year), [failure], tmp_path / "capsule", tmp_path / "run", said.append)
    if because is None:
        assert rung is not None and rung.python == "2.7"
        assert "rebuilding on Python 2.7" in said[0]
    else:
        assert rung is None and because in said[0]
        rungs = json.loads((tmp_path / "run" / "env" / "ladder.json").read_text())
        assert rungs[-1]["outcome"] == "skipped" and because in rungs[-1]["reason"]


def test_a_python_2_file_beside_python_3_code_is_a_stray() -> None:
    """An old helper script must not move an f-string analysis to Python 2.7."""
    assert make_plan(PLAN_FIXTURES / "python2_stray").python_version is None


@pytest.mark.parametrize(
    ("code", "modern"),
    [
        ('x = 1\nprint(f"{x}")\n', True),
        ("def f(a: int) -> int:\n    return a\n", True),
        ("print('a', end='')\n", True),
        ("def f(*, key):\n    return key\n", True),
        ("import numpy as np\nc = np.eye(2) @ np.eye(2)\n", True),
        ("print('plain')\nd = dict(a=1)\n", False),
    ],
)
def test_python_3_only_syntax_is_told(code: str, modern: bool) -> None:
    assert python3_only_syntax(code) is modern
