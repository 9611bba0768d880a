"""The drift classifier on real tracebacks: captured from scratch venvs of today's pandas 3 / numpy 2 /
scikit-learn 1.9 ("new", Python 3.11), pandas 1.4 on Python 3.10 ("old"), Python 3.12, and a notebook run
by the pipeline's notebook runner (IPython's coloured traceback), and a script run by `make`."""

from pathlib import Path

import pytest

from reproducer.envs.drift import classify_failure

FIXTURES = Path(__file__).parent / "fixtures" / "drift"
# The capsule of the captures held these modules of its own.
APPEND = "AttributeError: 'DataFrame' object has no attribute 'append'"
OWN = ("df_append", "np_float", "boston", "coll", "own_bug", "own_attr", "missing_data", "helpers")


# ... and defined these functions and classes.
DEFINED = ("mean", "Model")


def _classify(name: str) -> tuple[str, str, str] | None:
    drift = classify_failure((FIXTURES / f"{name}.txt").read_text(), OWN, DEFINED)
    return None if drift is None else (drift.kind, drift.package, drift.error)


@pytest.mark.parametrize(
    ("name", "kind", "package", "error"),
    [
        ("new-df_append", "in_dependency", "pandas", APPEND),
        ("new-np_float", "in_dependency", "numpy", "AttributeError: module 'numpy' has no"),
        ("new-boston", "in_dependency", "sklearn", "ImportError:"),
        ("new-submod", "removed_api", "sklearn", "ImportError: cannot import name 'joblib'"),
        ("old-coll", "removed_api", "collections", "AttributeError: module 'collections'"),
        ("new-kwarg_sklearn", "removed_api", "LinearRegression", "TypeError: LinearRegression.__init__"),
        ("new-kwarg_pandas", "removed_api", "read_csv", "TypeError: read_csv() got an unexpected keyword"),
        ("py312-imp_mod", "removed_module", "imp", "ModuleNotFoundError: No module named 'imp'"),
        ("new-notebook", "in_dependency", "pandas", APPEND),
        # `make` ran the script: its own error line follows the traceback.
        ("new-make_recfromcsv", "in_dependency", "numpy", "AttributeError: `np.recfromcsv` was removed"),
    ],
)  # fmt: skip
def test_failures_in_or_of_a_dependency_are_drift(name: str, kind: str, package: str, error: str) -> None:
    found = _classify(name)
    assert found is not None, name
    assert found[:2] == (kind, package)
    assert found[2].startswith(error)


@pytest.mark.parametrize(
    "name",
    [
        "new-own_bug",  # ZeroDivisionError in the capsule's own function
        "new-own_attr",  # AttributeError on the capsule's own class
        "new-missing_data",  # FileNotFoundError raised inside pandas.read_csv: the data, not the version
        "new-missing_mod",  # tensorflow not installed at all: no date brings it back
        "new-helper_import",  # a name missing from the capsule's own module
        "new-own_kwarg",  # a keyword the capsule's own method never took
    ],
)
def test_errors_no_older_environment_cures_are_not_drift(name: str) -> None:
    assert _classify(name) is None


def test_the_last_traceback_decides_and_text_without_one_is_not_drift() -> None:
    drift = (FIXTURES / "new-df_append.txt").read_text()
    own = (FIXTURES / "new-own_bug.txt").read_text()
    chained = f"{drift}\nDuring handling of the above exception, another exception occurred:\n\n{own}"
    assert classify_failure(chained, OWN) is None, "the error that ended the program is the capsule's"
    assert classify_failure(f"{own}\n{drift}", OWN) is not None
    assert (
        classify_failure("Error in library(foo) : there is no package called 'foo'\nExecution halted\n")
        is None
    )
    assert classify_failure("") is None
    no_gpu = 'Traceback (most recent call last):\n  File "/v/site-packages/torch/cuda/__init__.py", line 1\n'
    assert classify_failure(no_gpu + "RuntimeError: Found no NVIDIA driver on your system.\n") is None


def test_a_module_of_the_capsule_is_never_blamed_on_a_dependency() -> None:
    text = (FIXTURES / "old-coll.txt").read_text()
    assert classify_failure(text, own_modules=("collections",)) is None


def test_an_error_in_the_capsules_own_installed_package_is_its_own() -> None:
    text = (
        "Traceback (most recent call last):\n"
        '  File "/capsule/code/run.py", line 3, in <module>\n'
        "    toolkit.fit([])\n"
        '  File "/envs/abc/lib/python3.11/site-packages/toolkit/core.py", line 7, in fit\n'
        "    return sum(xs) / len(xs)\n"
        "ZeroDivisionError: division by zero\n"
    )
    assert classify_failure(text, own_modules=("run", "toolkit")) is None
    drift = classify_failure(text, own_modules=("run",))
    assert drift is not None and (drift.kind, drift.package) == ("in_dependency", "toolkit")
