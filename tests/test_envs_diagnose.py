"""Reading uv's real error output into labels, and rewriting exact pins."""

import time
from pathlib import Path

import pytest

from reproducer.envs import find_interpreter
from reproducer.envs.diagnose import Diagnosis, diagnose
from reproducer.envs.pins import pinned_version, requirement_name, with_replacements
from reproducer.envs.uv import Uv, uv_environment


def _resolve(tmp_path: Path, requirements: str) -> Diagnosis:
    uv = Uv(tmp_path / "commands.log", tmp_path, deadline=time.monotonic() + 120)
    python = str(find_interpreter(None).path)
    done = uv.run(["pip", "compile", "-", "--python", python, "--no-header"], stdin=requirements)
    assert not done.ok
    return diagnose(done.stderr, resolving=True)


def test_a_package_missing_from_the_index_is_named(tmp_path: Path) -> None:
    found = _resolve(tmp_path, "reproducer-no-such-package-xyz==1.0\n")
    assert found.label == "install_failed(reproducer-no-such-package-xyz)"
    assert not found.unusable_pins
    assert any("not found in the package registry" in line for line in found.lines)
    assert "reproducer-no-such-package-xyz" in (tmp_path / "commands.log").read_text()


def test_conflicting_pins_are_a_resolution_failure(tmp_path: Path) -> None:
    found = _resolve(tmp_path, "six==1.16.0\nsix==1.15.0\n")
    assert found.label == "resolution_failed"
    assert any(line.startswith("cause: Because you require six==1.16.0") for line in found.lines)


def test_a_pin_without_a_wheel_for_this_python_is_relaxable(tmp_path: Path) -> None:
    # tensorflow 2.4.0 has wheels for CPython 3.6-3.8 only and no source distribution.
    found = _resolve(tmp_path, "tensorflow==2.4.0\n")
    assert found.label == "install_failed(tensorflow)"
    assert found.unusable_pins == {"tensorflow"}


def test_a_version_that_does_not_exist_is_relaxable(tmp_path: Path) -> None:
    found = _resolve(tmp_path, "Six==99.0\n")
    assert found.label == "install_failed(six)"
    assert found.unusable_pins == {"six"}


def test_an_unreachable_index_is_no_network(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UV_INDEX_URL", "http://127.0.0.1:9/simple")
    monkeypatch.setenv("UV_HTTP_RETRIES", "0")
    monkeypatch.setenv("UV_CACHE_DIR", str(tmp_path / "uv-cache"))
    found = _resolve(tmp_path, "six==1.16.0\n")
    assert found.label == "no_network"


def test_host_pip_index_settings_reach_uv() -> None:
    host = {"PIP_INDEX_URL": "https://mirror/simple", "PIP_FIND_LINKS": "/a /b", "VIRTUAL_ENV": "/x"}
    env = uv_environment(host)
    assert env["UV_INDEX_URL"] == "https://mirror/simple"
    assert env["UV_FIND_LINKS"] == "/a,/b"
    assert env["UV_PYTHON_DOWNLOADS"] == "never"
    assert "VIRTUAL_ENV" not in env
    assert uv_environment({"PIP_INDEX_URL": "a", "UV_INDEX_URL": "b"})["UV_INDEX_URL"] == "b"


def test_exact_pins_are_found_and_rewritten_keeping_extras_and_markers() -> None:
    assert pinned_version("PyYAML==5.4.1") == ("pyyaml", "5.4.1")
    assert pinned_version("numpy>=1.0") is None
    assert pinned_version("numpy==1.*") is None
    assert requirement_name("scikit_learn[alldeps]>=1 ; python_version>'3'") == "scikit-learn"
    assert requirement_name("git+https://github.com/a/b@v1#egg=b") is None
    assert requirement_name("b @ git+https://github.com/a/b") == "b"
    lines = ["PyYAML[extra]==5.4.1 ; python_version >= '3'", "six==1.16.0", "numpy"]
    assert with_replacements(lines, {"pyyaml": "6.0", "six": ""}) == [
        "PyYAML[extra]==6.0 ; python_version >= '3'",
        "six",
        "numpy",
    ]


@pytest.mark.parametrize(
    ("requirements", "lacking"),
    [
        ("numpy\n", {"numpy"}),  # its versions of the date listed one a line ("Because all of: ...")
        ("matplotlib==2.0.0\n", {"numpy"}),  # a wheel itself, but its dependency has none of the date
    ],
)
def test_wheels_only_of_a_date_name_the_packages_without_a_wheel(
    tmp_path: Path, requirements: str, lacking: set[str]
) -> None:
    # The run-time rung resolves from wheels only at the code's date; Python 3.6 came after mid-2016.
    uv = Uv(tmp_path / "commands.log", tmp_path, deadline=time.monotonic() + 120)
    python = str(find_interpreter("3.6").path)
    flags = ["--exclude-newer", "2016-06-15", "--exclude-newer-package", "matplotlib=2999-12-31"]
    command = ["pip", "compile", "-", "--python", python, "--no-header", "--only-binary", ":all:", *flags]
    done = uv.run(command, stdin=requirements)
    assert not done.ok
    assert diagnose(done.stderr, resolving=True).unusable_pins == lacking
