"""The import check imports what a distribution installs, and only the code's own imports must work."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reproducer.envs import EnvironmentFailed, build_environment
from reproducer.envs.imports import IMPORT_CHECK_VERSION, check_imports
from reproducer.envs.uv import uv_command
from reproducer.plan.model import Evidence, Plan, Requirement

pytestmark = pytest.mark.slow

FIXTURE = Path(__file__).parent / "fixtures" / "envs" / "stray_top_level"


def test_names_in_top_level_txt_that_the_distribution_does_not_install_are_not_imported(
    tmp_path: Path,
) -> None:
    venv = tmp_path / "venv"
    source = shutil.copytree(FIXTURE, tmp_path / "strayed")  # setuptools writes egg-info beside it
    subprocess.run([*uv_command(), "venv", str(venv), "--python", sys.executable], check=True)
    install = [*uv_command(), "pip", "install", "--python", str(venv), "--offline", str(source)]
    subprocess.run(install, check=True, capture_output=True)
    installed = next((venv / "lib").glob("python*/site-packages/strayed-0.1.dist-info"))
    assert set((installed / "top_level.txt").read_text().split()) == {"conftest", "src", "strayed"}
    results, warning = check_imports(venv / "bin" / "python", ["strayed"], tmp_path / "commands.log")
    assert warning is None
    assert results == {"strayed": {}}
    assert '"ok": "strayed"' in (tmp_path / "commands.log").read_text()


def _plan_and_capsule(tmp_path: Path, code: str) -> tuple[Plan, Path]:
    capsule = tmp_path / "capsule"
    capsule.mkdir()
    (capsule / "main.py").write_text(code)
    evidence = Evidence(file="requirements.txt", line=1)
    specs = ("attrdict==2.0.1", "six==1.16.0")
    plan = Plan(
        capsule="capsule-test", python_requirements=[Requirement(spec=s, evidence=evidence) for s in specs]
    )
    return plan, capsule


def test_a_pinned_package_the_code_never_imports_may_fail_to_import_with_a_warning(tmp_path: Path) -> None:
    # attrdict 2.0.1 imports `collections.Mapping`, gone since Python 3.10: a dead pin of a full freeze.
    plan, capsule = _plan_and_capsule(tmp_path, "import six\nprint(six.__version__)\n")
    built = build_environment(plan, tmp_path / "run", cache_root=tmp_path / "cache", capsule_dir=capsule)
    assert built.import_failures == {}
    assert any(w.startswith("import attrdict failed, but the code never imports it") for w in built.warnings)


def test_a_package_the_code_imports_must_import(tmp_path: Path) -> None:
    plan, capsule = _plan_and_capsule(tmp_path, "from attrdict import AttrDict\n")
    with pytest.raises(EnvironmentFailed) as caught:
        build_environment(plan, tmp_path / "run", cache_root=tmp_path / "cache", capsule_dir=capsule)
    assert caught.value.label == "import_failed(attrdict)"


def test_stored_results_of_an_older_check_are_redone(tmp_path: Path) -> None:
    plan, capsule = _plan_and_capsule(tmp_path, "import six\n")
    built = build_environment(plan, tmp_path / "run", cache_root=tmp_path / "cache", capsule_dir=capsule)
    marker_file = built.venv / ".reproducer-environment.json"
    marker = json.loads(marker_file.read_text())
    assert marker["import_check"] == IMPORT_CHECK_VERSION
    # As an older check left it: a failure of a module that six does not install, and no version.
    marker["imports"]["six"] = {"conftest": "ModuleNotFoundError: No module named 'pytest'"}
    del marker["import_check"]
    marker_file.write_text(json.dumps(marker))
    again = build_environment(plan, tmp_path / "again", cache_root=tmp_path / "cache", capsule_dir=capsule)
    assert again.reused and again.import_failures == {}
    assert json.loads(marker_file.read_text())["imports"]["six"] == {}
