"""The resolution ladder on real old pins, with a fresh uv cache so earlier builds cannot help.

PyYAML==5.4.1 has no wheel for CPython 3.11, and its source no longer builds with today's Cython 3
(`'build_ext' object has no attribute 'cython_sources'`), failing within seconds:
- with a cutoff date, rung 2 (`--exclude-newer`, which also holds back the build tools) builds it
  with a Cython of its time;
- without one, rung 3 moves the pin to the nearest version with a wheel, PyYAML 6.0.
"""

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from reproducer.envs import BuiltEnvironment, EnvironmentFailed, build_environment
from reproducer.plan.model import Decision, Evidence, Plan, Requirement

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.version_info[:2] != (3, 11), reason="the PyYAML 5.4.1 case is about CPython 3.11"),
]

OLD_PIN = "PyYAML==5.4.1"
CUTOFF = dt.date(2021, 6, 1)


def make_plan(*specs: str, cutoff: dt.date | None = None) -> Plan:
    evidence = Evidence(file="code/requirements.txt", line=1)
    return Plan(
        capsule="old-paper",
        # Stated, so that the interpreter is not moved to one the old pin has wheels for (3.9).
        python_version=Decision[str](value="3.11", evidence=Evidence(file="code/runtime.txt")),
        python_requirements=[Requirement(spec=spec, evidence=evidence) for spec in specs],
        cutoff_date=Decision[dt.date](value=cutoff, evidence=Evidence(file="metadata.yml"))
        if cutoff
        else None,
    )


def yaml_version(env: BuiltEnvironment) -> str:
    code = "import yaml; print(yaml.__version__)"
    return subprocess.run(
        [str(env.python), "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()


@pytest.fixture
def fresh_uv_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "uv-cache"
    monkeypatch.setenv("UV_CACHE_DIR", str(cache))
    return cache


@pytest.mark.usefixtures("fresh_uv_cache")
def test_an_old_pin_builds_with_the_tools_of_its_time(tmp_path: Path) -> None:
    env = build_environment(
        make_plan(OLD_PIN, cutoff=CUTOFF), tmp_path / "run", cache_root=tmp_path / "cache", extra=["tabulate"]
    )
    declared, dated = env.ladder
    assert (declared.name, declared.outcome, declared.label) == (
        "as_declared",
        "failed",
        "build_failed(pyyaml)",
    )
    assert any("cython_sources" in line for line in declared.detail)
    assert (dated.name, dated.outcome) == ("exclude_newer", "ok")
    assert dated.uv_flags[:2] == ["--exclude-newer", "2021-06-01"]
    assert "build_failed(pyyaml)" in dated.reason
    assert yaml_version(env) == "5.4.1"
    lock = env.lock_file.read_text().lower().split()
    assert "pyyaml==5.4.1" in lock
    # A tool is not the paper's: it is exempt from the cutoff (on 2021-06-01 tabulate was at 0.8.9).
    assert dated.uv_flags[2:] == ["--exclude-newer-package", "tabulate=2999-12-31"]
    tabulate = next(line.split("==")[1] for line in lock if line.startswith("tabulate=="))
    assert tuple(int(part) for part in tabulate.split(".")[:2]) >= (0, 9)


@pytest.mark.usefixtures("fresh_uv_cache")
def test_an_old_pin_without_a_wheel_moves_to_the_nearest_version_with_one(tmp_path: Path) -> None:
    env = build_environment(make_plan(OLD_PIN, "six"), tmp_path / "run", cache_root=tmp_path / "cache")
    declared, dated, relaxed = env.ladder
    assert (declared.outcome, declared.label) == ("failed", "build_failed(pyyaml)")
    assert (dated.name, dated.outcome, dated.reason) == (
        "exclude_newer",
        "skipped",
        "the plan has no cutoff date",
    )
    assert (relaxed.name, relaxed.outcome) == ("relax_pins", "ok")
    assert relaxed.relaxed == {"pyyaml==5.4.1": "pyyaml==6.0"}
    assert relaxed.requirements == ["PyYAML==6.0", "six"]
    assert yaml_version(env) == "6.0"
    assert (tmp_path / "run" / "env" / "rungs" / "3-relax_pins.in").read_text().startswith("PyYAML==6.0")


def test_without_the_index_the_cache_of_uv_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    online = build_environment(make_plan("six==1.16.0"), tmp_path / "online", cache_root=tmp_path / "cache")
    # A proxy that refuses connections: the index is unreachable, uv's cache is unchanged.
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("UV_HTTP_RETRIES", "0")
    offline = build_environment(make_plan("six==1.16.0"), tmp_path / "offline", cache_root=tmp_path / "cache")
    assert [(r.name, r.outcome, r.label) for r in offline.ladder] == [
        ("as_declared", "failed", "no_network"),
        ("as_declared_offline", "ok", None),
    ]
    assert offline.reused and offline.key == online.key


@pytest.mark.usefixtures("fresh_uv_cache")
def test_without_the_index_or_a_cache_it_is_no_network(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("UV_HTTP_RETRIES", "0")
    with pytest.raises(EnvironmentFailed) as caught:
        build_environment(
            make_plan("six==1.16.0", cutoff=CUTOFF), tmp_path / "run", cache_root=tmp_path / "cache"
        )
    assert caught.value.label == "no_network"
    # No later rung can help without the index: the ladder stops.
    assert [r.name for r in caught.value.ladder] == ["as_declared", "as_declared_offline"]
    assert "could not reach the package index" in caught.value.message
