"""Python 2 research code end to end on the local backend (bubblewrap, a real Python 2.7 virtualenv):
a script with print statements gets Python 2.7 from the plan; a script that parses on Python 3 but was
written for Python 2 (and dates from before Python 2's end) fails on Python 3, climbs a run-time rung
on Python 2.7 and runs again. Both grade correct."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from reproducer.envs.interpreters import installed_by_minor

FIXTURES = Path(__file__).parent / "fixtures" / "pipeline"
WRITTEN = "2015-03-10T12:00:00+00:00"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif((2, 7) not in installed_by_minor(), reason="no Python 2.7 on this machine"),
]


def _run(task: Path, run_dir: Path) -> tuple[dict[str, Any], str]:
    command = [sys.executable, "-m", "reproducer", "run", "--task", str(task), "--out", str(run_dir)]
    command += ["--backend", "local", "--agent", "offline"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=1800, check=False)
    assert (run_dir / "summary.json").is_file(), done.stderr
    return json.loads((run_dir / "summary.json").read_text()), done.stderr


def _rungs(run_dir: Path) -> list[dict[str, Any]]:
    rungs: list[dict[str, Any]] = json.loads((run_dir / "env" / "ladder.json").read_text())
    return rungs


def test_print_statements_get_a_python_2_7_environment(tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    summary, _ = _run(FIXTURES / "python2-print" / "task.yaml", run_dir)
    assert summary["status"] == "correct", summary
    plan = json.loads((run_dir / "plan.json").read_text())
    assert plan["python_version"]["value"] == "2.7"
    assert plan["python_version"]["evidence"]["file"] == "code/analysis.py"
    environment = json.loads((run_dir / "env" / "environment.json").read_text())
    assert environment["interpreter"]["version"].startswith("2.7.")
    rungs = _rungs(run_dir)
    assert [(r["name"], r["outcome"]) for r in rungs] == [("as_declared", "ok")]
    assert rungs[0]["key"].startswith("py2-")
    assert "six==1.10.0" in (run_dir / "env" / "requirements.lock.txt").read_text()


def test_python_2_code_that_parses_on_python_3_climbs_to_python_2_7(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "python2-runtime", tmp_path / "task")
    capsule = tmp_path / "task" / "capsule"
    env = {**os.environ, "GIT_AUTHOR_DATE": WRITTEN, "GIT_COMMITTER_DATE": WRITTEN}
    identity = ["-c", "user.name=Author", "-c", "user.email=author@example.org"]
    for command in (["init", "-q"], ["add", "."], [*identity, "commit", "-q", "-m", "tally"]):
        subprocess.run(["git", *command], cwd=capsule, env=env, check=True)
    run_dir = tmp_path / "run"
    summary, stderr = _run(tmp_path / "task" / "task.yaml", run_dir)
    assert "rebuilding on Python 2.7" in stderr, "the console says why"
    assert summary["status"] == "correct", summary
    assert [c["status"] for c in summary["superseded_commands"]] == ["error"]
    rungs = _rungs(run_dir)
    assert [r["outcome"] for r in rungs] == ["ok", "ok"]
    why = rungs[-1]["reason"]
    assert "'dict' object has no attribute 'iteritems'" in why and "Python 2.7" in why
    assert rungs[-1]["key"].startswith("py2-")


@pytest.mark.skipif(shutil.which("docker") is None, reason="no Docker here")
def test_the_docker_backend_says_it_has_no_python_2(tmp_path: Path) -> None:
    """Our images are Debian bookworm's: the run ends env_failed naming the missing interpreter."""
    run_dir = tmp_path / "run"
    command = [
        sys.executable,
        "-m",
        "reproducer",
        "run",
        "--task",
        str(FIXTURES / "python2-print" / "task.yaml"),
    ]
    command += ["--out", str(run_dir), "--backend", "docker", "--agent", "offline"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    summary = json.loads((run_dir / "summary.json").read_text())
    assert (summary["status"], summary["environment_label"]) == ("env_failed", "no_interpreter")
    assert "the Docker backend has no Python 2" in done.stdout + done.stderr
