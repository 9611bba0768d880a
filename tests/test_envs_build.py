"""Building real uv environments on this machine's interpreters: keys, reuse, privacy, failures."""

import datetime as dt
import json
import subprocess
import sys
import threading
import traceback
from pathlib import Path

import pytest

from reproducer.envs import BuiltEnvironment, EnvironmentFailed, build_environment
from reproducer.envs.interpreters import installed_by_minor
from reproducer.envs.ladder import RunTimeRung
from reproducer.envs.uv import uv_command
from reproducer.plan.model import Decision, Evidence, Plan, Requirement
from reproducer.sandbox import bwrap_problem

pytestmark = pytest.mark.slow

REQUIREMENTS = Evidence(file="code/requirements.txt", line=1)


def make_plan(*specs: str, python: str | None = None, cutoff: dt.date | None = None) -> Plan:
    return Plan(
        capsule="capsule-test",
        python_version=Decision[str](value=python, evidence=Evidence(file="environment/Dockerfile", line=1))
        if python
        else None,
        python_requirements=[Requirement(spec=spec, evidence=REQUIREMENTS) for spec in specs],
        cutoff_date=Decision[dt.date](value=cutoff, evidence=Evidence(file="metadata.yml"))
        if cutoff
        else None,
    )


def run_python(env: BuiltEnvironment, code: str) -> str:
    done = subprocess.run([str(env.python), "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture(scope="module")
def cache_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("reproducer-cache")


@pytest.fixture(scope="module")
def six_env(cache_root: Path, tmp_path_factory: pytest.TempPathFactory) -> BuiltEnvironment:
    return build_environment(make_plan("six==1.16.0"), tmp_path_factory.mktemp("run"), cache_root=cache_root)


def test_a_pinned_requirement_is_installed_and_imports(six_env: BuiltEnvironment, cache_root: Path) -> None:
    assert run_python(six_env, "import six; print(six.__version__)") == "1.16.0"
    assert six_env.venv == cache_root / "envs" / six_env.key
    assert six_env.python == six_env.bin_dir / "python"
    assert six_env.interpreter.minor == (sys.version_info[0], sys.version_info[1])
    assert [rung.outcome for rung in six_env.ladder] == ["ok"]
    env_dir = six_env.lock_file.parent
    assert six_env.lock_file.read_text().split() == ["six==1.16.0"]
    assert json.loads((env_dir / "ladder.json").read_text())[0]["name"] == "as_declared"
    log = (env_dir / "commands.log").read_text()
    assert "pip compile" in log and "pip sync" in log and "--no-python-downloads" in log
    assert (env_dir / "environment.json").is_file()


def test_the_same_requirements_reuse_the_environment(
    six_env: BuiltEnvironment, cache_root: Path, tmp_path: Path
) -> None:
    again = build_environment(make_plan("six==1.16.0"), tmp_path, cache_root=cache_root)
    print(f"\nbuilt in {six_env.seconds:.2f} s, reused in {again.seconds:.2f} s")
    assert again.reused and not six_env.reused
    assert again.key == six_env.key and again.venv == six_env.venv
    assert again.lock_file.read_text() == six_env.lock_file.read_text()


def test_extra_tool_packages_are_part_of_the_key(
    six_env: BuiltEnvironment, cache_root: Path, tmp_path: Path
) -> None:
    with_tool = build_environment(
        make_plan("six==1.16.0"), tmp_path, cache_root=cache_root, extra=["tabulate"]
    )
    assert with_tool.key != six_env.key
    assert run_python(with_tool, "import six, tabulate; print('ok')") == "ok"


@pytest.mark.skipif((3, 9) not in installed_by_minor(), reason="needs a Python 3.9 on this machine")
def test_another_interpreter_gives_another_key(
    six_env: BuiltEnvironment, cache_root: Path, tmp_path: Path
) -> None:
    old = build_environment(make_plan("six==1.16.0", python="3.9"), tmp_path, cache_root=cache_root)
    assert old.key != six_env.key
    assert run_python(old, "import sys, six; print('%d.%d' % sys.version_info[:2])") == "3.9"


@pytest.mark.skipif(
    (3, 5) in installed_by_minor() or (3, 6) not in installed_by_minor(), reason="needs 3.6, no 3.5"
)
def test_a_missing_python_uses_the_nearest_newer_with_a_warning(cache_root: Path, tmp_path: Path) -> None:
    env = build_environment(make_plan("six==1.16.0", python="3.5"), tmp_path, cache_root=cache_root)
    assert run_python(env, "import sys; print('%d.%d' % sys.version_info[:2])") == "3.6"
    assert any("3.5" in warning and "nearest newer" in warning for warning in env.warnings)


@pytest.mark.skipif((2, 7) not in installed_by_minor(), reason="no Python 2.7 on this machine")
def test_python_2_gets_a_virtualenv_of_python_2_7(cache_root: Path, tmp_path: Path) -> None:
    """uv cannot make it (see envs.python2): virtualenv and pip 20.3.4 do, on the same ladder."""
    env = build_environment(make_plan("six==1.16.0", python="2.7"), tmp_path, cache_root=cache_root)
    assert run_python(env, "import sys, six; print('%d.%d' % sys.version_info[:2])") == "2.7"
    assert env.key.startswith("py2-") and [rung.name for rung in env.ladder] == ["as_declared"]
    assert "six==1.16.0" in env.lock_file.read_text()


def test_no_requirements_still_give_a_cached_venv(
    cache_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    first = build_environment(make_plan(), Path("one"), cache_root=cache_root)
    assert first.venv.is_absolute() and first.lock_file == tmp_path / "one" / "env" / "requirements.lock.txt"
    second = build_environment(make_plan(), tmp_path / "two", cache_root=cache_root)
    assert run_python(first, "print('hello')") == "hello"
    assert second.reused and second.key == first.key
    assert first.lock_file.read_text() == ""


def test_a_private_environment_has_copies_not_links_into_uvs_cache(
    six_env: BuiltEnvironment, cache_root: Path, tmp_path: Path
) -> None:
    private = build_environment(make_plan("six==1.16.0"), tmp_path, cache_root=cache_root, private=True)
    assert private.venv == tmp_path / "env" / "venv"
    assert private.key == six_env.key and private.private
    module = run_python(private, "import six; print(six.__file__)")
    assert Path(module).is_relative_to(private.venv)
    assert Path(module).stat().st_nlink == 1
    # The shared one is hard-linked from uv's cache when both are on one file system (uv's default),
    # unless the build runs under bubblewrap: the cache and the environment are then separate mounts,
    # a hard link cannot cross them, and uv copies.
    shared = run_python(six_env, "import six; print(six.__file__)")
    uv_cache = subprocess.run([*uv_command(), "cache", "dir"], capture_output=True, text=True, check=True)
    same_device = Path(uv_cache.stdout.strip()).stat().st_dev == cache_root.stat().st_dev
    if bwrap_problem() is not None and same_device:
        assert Path(shared).stat().st_nlink > 1


def test_a_missing_package_fails_with_a_readable_label(cache_root: Path, tmp_path: Path) -> None:
    with pytest.raises(EnvironmentFailed) as caught:
        build_environment(
            make_plan("six", "reproducer-no-such-package-xyz==1.0"), tmp_path, cache_root=cache_root
        )
    failure = caught.value
    assert failure.label == "install_failed(reproducer-no-such-package-xyz)"
    assert "rung 1 as_declared: failed" in failure.message
    assert "declared at code/requirements.txt:1" in failure.message
    assert "not found in the package registry" in failure.message
    assert [rung.outcome for rung in failure.ladder] == ["failed", "skipped", "skipped"]
    assert json.loads((tmp_path / "env" / "ladder.json").read_text())[0]["outcome"] == "failed"


def test_an_installed_package_that_cannot_import_is_import_failed(cache_root: Path, tmp_path: Path) -> None:
    # attrdict 2.0.1 imports `collections.Mapping`, gone since Python 3.10.
    with pytest.raises(EnvironmentFailed) as caught:
        build_environment(make_plan("attrdict==2.0.1"), tmp_path, cache_root=cache_root)
    assert caught.value.label == "import_failed(attrdict)"
    assert "cannot import name 'Mapping'" in caught.value.message
    assert caught.value.environment is not None and caught.value.environment.python.is_file()
    assert "attrdict==2.0.1" in caught.value.environment.lock_file.read_text()


def test_two_builds_of_one_key_at_once_build_it_once(cache_root: Path, tmp_path: Path) -> None:
    plan = make_plan("idna==3.7")
    results: list[BuiltEnvironment] = []
    errors: list[BaseException] = []

    def build(name: str) -> None:
        try:
            results.append(build_environment(plan, tmp_path / name, cache_root=cache_root))
        except BaseException as error:  # shown by the assertion below, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=build, args=(n,)) for n in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, ["".join(traceback.format_exception(error)) for error in errors]
    assert len(results) == 2 and results[0].key == results[1].key
    assert sorted(r.reused for r in results) == [False, True]
    assert run_python(results[0], "import idna; print(idna.__version__)") == "3.7"


def test_running_out_of_time_is_a_timeout(cache_root: Path, tmp_path: Path) -> None:
    with pytest.raises(EnvironmentFailed) as caught:
        build_environment(make_plan("six==1.16.0"), tmp_path, cache_root=cache_root, timeout_s=0.01)
    assert caught.value.label == "timeout"
    assert [(r.name, r.outcome) for r in caught.value.ladder] == [("as_declared", "failed")]
    assert "rung 1 as_declared: failed, timeout" in caught.value.message


def test_a_reused_environment_checks_imports_of_newly_declared_packages(
    cache_root: Path, tmp_path: Path
) -> None:
    # Both resolve to python-dateutil and six; the second also declares six, so six is checked then.
    first = build_environment(
        make_plan("python-dateutil==2.9.0.post0"), tmp_path / "a", cache_root=cache_root
    )
    second = build_environment(
        make_plan("python-dateutil==2.9.0.post0", "six"), tmp_path / "b", cache_root=cache_root
    )
    assert second.reused and second.key == first.key
    marker = json.loads((first.venv / ".reproducer-environment.json").read_text())
    assert marker["imports"] == {"python-dateutil": {}, "six": {}}


def _toolkit_package(capsule: Path, dependency: str) -> None:
    """The capsule's own package in a subfolder, `toolkit/`, depending on `dependency`."""
    package = capsule / "toolkit"
    (package / "toolkit").mkdir(parents=True)
    (package / "toolkit" / "__init__.py").write_text("STEP = 0.25\n")
    (package / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n'
        f'[project]\nname = "toolkit"\nversion = "0.1"\ndependencies = ["{dependency}"]\n'
    )


def test_the_capsule_s_own_subfolder_package_is_installed_from_the_capsule(
    cache_root: Path, tmp_path: Path
) -> None:
    _toolkit_package(tmp_path / "capsule", "six==1.16.0")
    plan = make_plan()
    plan.setup_commands = [Decision[str](value="pip install -e toolkit", evidence=Evidence(file="README.md"))]
    built = build_environment(plan, tmp_path / "run", cache_root=cache_root, capsule_dir=tmp_path / "capsule")
    assert run_python(built, "import toolkit, six; print(toolkit.STEP, six.__version__)") == "0.25 1.16.0"
    # Installed, not linked: the environment works once the workspace is gone.
    assert "toolkit" in built.lock_file.read_text()


def test_the_run_time_rung_builds_the_capsule_s_own_package_and_takes_the_rest_from_wheels(
    cache_root: Path, tmp_path: Path
) -> None:
    # The run-time rung resolves from wheels only, at the capsule's date; its own folder has no wheel and
    # is built (with today's setuptools: build tools are not held at 2016), never looked up on the index.
    _toolkit_package(tmp_path / "capsule", "six")
    plan = make_plan("six", python="3.9", cutoff=dt.date(2016, 6, 15))
    plan.setup_commands = [Decision[str](value="pip install -e toolkit", evidence=Evidence(file="README.md"))]
    built = build_environment(
        plan,
        tmp_path / "run",
        cache_root=cache_root,
        capsule_dir=tmp_path / "capsule",
        run_time=RunTimeRung("the code failed with drift"),
    )
    assert run_python(built, "import toolkit, six; print(toolkit.STEP, six.__version__)") == "0.25 1.10.0"
    last = built.ladder[-1]
    assert (last.name, last.outcome) == ("run_time_drift", "ok")
    assert "--only-binary" in last.uv_flags and "--no-binary" in last.uv_flags
    assert "built from source (no wheel for Python 3.9): toolkit" in last.reason
