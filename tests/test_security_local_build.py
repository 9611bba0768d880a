"""Builds are untrusted work (issue 16.1-16.3, local backend): a capsule's vendored wheel imported by the
import check and a local package whose setup.py runs during the build both see uid 1000, no planted
secret, no host path, and reach no host but the package index; paths out of the capsule are refused;
capsule-local artefacts get a private environment, recorded."""

import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest

from reproducer.envs import EnvironmentFailed, build_environment
from reproducer.envs.directrefs import OUTSIDE, resolve_direct_references
from reproducer.plan.model import Evidence, Plan, Requirement
from reproducer.plan.parse.pep508 import as_requirement
from reproducer.sandbox import bwrap_problem
from reproducer.sandbox.egress import index_hosts

FIXTURES = Path(__file__).parent / "fixtures" / "security"
SECRET = "planted-build-secret-93ad"
WHEEL = "rtprobe-0.1-py3-none-any.whl"
needs_bwrap = pytest.mark.skipif(
    bwrap_problem() is not None, reason=f"bubblewrap unusable: {bwrap_problem()}"
)


def plan_of(*specs: str, file: str = "requirements.txt") -> Plan:
    evidence = Evidence(file=file, line=1)
    return Plan(
        capsule="capsule-hostile", python_requirements=[Requirement(spec=s, evidence=evidence) for s in specs]
    )


def write_wheel(path: Path) -> None:
    """A minimal wheel of the `rtprobe` package, assembled from the fixture files."""
    path.parent.mkdir(parents=True, exist_ok=True)
    info = "rtprobe-0.1.dist-info"
    files = {
        "rtprobe/__init__.py": (FIXTURES / "rtprobe" / "__init__.py").read_text(),
        "rtprobe/report.py": (FIXTURES / "report.py").read_text(),
        f"{info}/METADATA": "Metadata-Version: 2.1\nName: rtprobe\nVersion: 0.1\n",
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        f"{info}/top_level.txt": "rtprobe\n",
    }
    record = "".join(f"{name},,\n" for name in files) + f"{info}/RECORD,,\n"
    with zipfile.ZipFile(path, "w") as wheel:
        for name, text in {**files, f"{info}/RECORD": record}.items():
            wheel.writestr(name, text)


def probes(log: Path, where: str) -> list[dict[str, Any]]:
    found = []
    for line in log.read_text().splitlines():
        start = line.find('{"probe"')
        if start >= 0:
            seen = json.loads(line[start:])
            if seen["probe"] == where:
                found.append(seen)
    return found


def assert_confined(seen: dict[str, Any]) -> None:
    assert seen["reached"] == []
    assert seen["uid"] == 1000
    assert not seen["secret_in_environ"] and not seen["secret_in_proc"]
    assert seen["host_paths"] == []


@pytest.mark.slow
@needs_bwrap
def test_a_vendored_wheel_is_imported_confined_and_built_privately(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("ANTHROPIC_API_KEY", SECRET)
    shared_uv_cache = tmp_path / "shared-uv-cache"
    monkeypatch.setenv("UV_CACHE_DIR", str(shared_uv_cache))
    capsule = tmp_path / "capsule"
    write_wheel(capsule / "code" / "vendor" / WHEEL)
    cache_root = tmp_path / "cache"
    plan = plan_of(f"rtprobe @ vendor/{WHEEL}", file="code/requirements.txt")

    built = build_environment(plan, tmp_path / "run", cache_root=cache_root, capsule_dir=capsule)

    (seen,) = probes(tmp_path / "run" / "env" / "commands.log", "import")
    assert_confined(seen)
    assert built.private and built.venv == tmp_path / "run" / "env" / "venv"
    assert not (cache_root / "envs").exists() or not any((cache_root / "envs").iterdir())
    assert list((tmp_path / "run" / "env" / "uv-cache").rglob("rtprobe*"))
    assert not list(shared_uv_cache.rglob("rtprobe*"))  # the shared uv cache never saw the wheel
    (recorded,) = json.loads((tmp_path / "run" / "env" / "direct-references.json").read_text())
    assert recorded["local_path"] == str((capsule / "code" / "vendor" / WHEEL).resolve())
    assert recorded["evidence"] == "code/requirements.txt:1"


@pytest.mark.slow
@needs_bwrap
def test_a_local_package_is_built_confined(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    capsule = tmp_path / "capsule"
    package = capsule / "probepkg"
    package.mkdir(parents=True)
    shutil.copy(FIXTURES / "setup_probe" / "setup.py", package / "setup.py")
    shutil.copy(FIXTURES / "report.py", package / "report.py")

    with pytest.raises(EnvironmentFailed):
        build_environment(
            plan_of("probepkg @ probepkg"), tmp_path / "run", cache_root=tmp_path / "c", capsule_dir=capsule
        )

    log = (tmp_path / "run" / "env" / "commands.log").read_text()
    seen = probes(tmp_path / "run" / "env" / "commands.log", "build")
    assert seen, log[-3000:]
    for one in seen:
        assert_confined(one)
    # The build fetched setuptools from the index through the proxy, and nothing else.
    assert "egress refused (only the package indexes are reachable): example.com:443" in log


@pytest.mark.parametrize(
    "spec",
    [
        f"rtprobe @ ../workspace/other/{WHEEL}",
        f"rtprobe @ /srv/{WHEEL}",
        f"rtprobe @ file:///srv/{WHEEL}",
        f"rtprobe @ vendor/../../{WHEEL}",
    ],
)
def test_paths_out_of_the_capsule_are_refused(tmp_path: Path, spec: str) -> None:
    assert as_requirement(spec) is None  # the plan never takes them
    with pytest.raises(EnvironmentFailed) as caught:  # nor does the builder, whatever plan it gets
        resolve_direct_references(plan_of(spec).python_requirements, tmp_path)
    assert caught.value.label == OUTSIDE and "requirements.txt:1" in caught.value.message


def test_a_link_out_of_the_capsule_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside" / WHEEL
    write_wheel(outside)
    capsule = tmp_path / "capsule"
    capsule.mkdir()
    (capsule / "vendor.whl").symlink_to(outside)
    assert as_requirement("rtprobe @ vendor.whl") == "rtprobe @ vendor.whl"
    with pytest.raises(EnvironmentFailed) as caught:
        resolve_direct_references(plan_of("rtprobe @ vendor.whl").python_requirements, capsule)
    assert caught.value.label == OUTSIDE


def test_remote_references_are_kept_and_recorded(tmp_path: Path) -> None:
    spec = "pkg @ git+https://example.org/pkg.git@v1"
    resolved = resolve_direct_references(plan_of(spec, "six==1.16.0").python_requirements, tmp_path)
    assert resolved.specs == [spec, "six==1.16.0"]
    assert [r.spec for r in resolved.references] == [spec]


def test_the_build_may_reach_the_configured_indexes_and_remote_references_only() -> None:
    env = {"UV_INDEX_URL": "https://mirror.example/simple", "UV_INDEX": "extra=https://other.example/simple"}
    hosts = index_hosts(env, ["git+https://github.com/owner/pkg.git@v1"])
    assert hosts == {"pypi.org", "files.pythonhosted.org", "mirror.example", "other.example", "github.com"}
