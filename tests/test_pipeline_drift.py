"""The run-time rung end to end: a capsule of mid-2022 calls `DataFrame.append` with an unpinned pandas.
`reproducer run` builds today's pandas, the script fails inside pandas, the environment is rebuilt with
the packages of the capsule's date on an interpreter of that time, the script runs again, and the
answer it prints is graded correct; ladder.json says why, commands.jsonl keeps both attempts."""

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from reproducer.envs.model import Rung
from reproducer.pipeline.drift_rung import run_time_rung
from reproducer.plan.model import Decision, EntryPoint, Evidence, Plan
from reproducer.sandbox.base import ExecResult

FIXTURES = Path(__file__).parent / "fixtures" / "pipeline"
WRITTEN = "2022-06-15T12:00:00+00:00"  # pandas 1.4 then; 2.0 (no DataFrame.append) came in April 2023
ENTRY = EntryPoint(command="python3 analysis.py", kind="python", evidence=Evidence(file="task prompt"))
APPEND_GONE = "'DataFrame' object has no attribute 'append'"


def _task(tmp_path: Path, dated_by: str, fixture: str = "drift-append", written: str = WRITTEN) -> Path:
    """The fixture copied to `tmp_path`, dated `written` by its git history or by its files' times."""
    shutil.copytree(FIXTURES / fixture, tmp_path / "task")
    capsule = tmp_path / "task" / "capsule"
    if dated_by == "git":
        env = {**os.environ, "GIT_AUTHOR_DATE": written, "GIT_COMMITTER_DATE": written}
        identity = ["-c", "user.name=Author", "-c", "user.email=author@example.org"]
        for command in (["init", "-q"], ["add", "."], [*identity, "commit", "-q", "-m", "analysis"]):
            subprocess.run(["git", *command], cwd=capsule, env=env, check=True)
    else:
        stamp = dt.datetime.fromisoformat(written).timestamp()
        for path in capsule.rglob("*"):
            os.utime(path, (stamp, stamp))
    return tmp_path / "task" / "task.yaml"


def _run(task: Path, backend: str, run_dir: Path) -> dict[str, Any]:
    command = [sys.executable, "-m", "reproducer", "run", "--task", str(task), "--out", str(run_dir)]
    command += ["--backend", backend, "--agent", "offline"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=1800, check=False)
    assert (run_dir / "summary.json").is_file(), done.stderr
    summary: dict[str, Any] = json.loads((run_dir / "summary.json").read_text())
    assert "failed with run-time drift" in done.stderr, "the console says why the environment is rebuilt"
    return summary


def _assert_climbed(summary: dict[str, Any], run_dir: Path, python: str) -> None:
    assert summary["status"] == "correct", summary
    assert [c["status"] for c in summary["superseded_commands"]] == ["error"]
    assert [c["status"] for c in summary["commands"]] == ["ok"]
    logged = [json.loads(line) for line in (run_dir / "logs" / "commands.jsonl").read_text().splitlines()]
    assert [line["status"] for line in logged] == ["error", "ok"], "the command log keeps both attempts"
    assert APPEND_GONE in (run_dir / logged[0]["stderr_path"]).read_text()  # relative to the run directory

    rungs = json.loads((run_dir / "env" / "ladder.json").read_text())
    assert [(r["name"], r["outcome"]) for r in rungs] == [("as_declared", "ok"), ("run_time_drift", "ok")]
    why = rungs[-1]["reason"]
    assert APPEND_GONE in why and "pandas" in why, "the rung says which error in which package"
    assert "2022-06-15" in why, "and the date the packages are capped at"
    assert f"Python {python}, the newest available released before 2022-06-15" in why
    assert rungs[-1]["uv_flags"][:2] == ["--exclude-newer", "2022-06-15"]
    steps = {step["name"]: step["status"] for step in summary["steps"]}
    assert steps["environment: run-time rung"] == "ok"


@pytest.mark.slow
def test_drift_climbs_the_run_time_rung_on_the_local_backend(tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    summary = _run(_task(tmp_path, "git"), "local", run_dir)
    _assert_climbed(summary, run_dir, "3.10")
    lock = (run_dir / "env" / "requirements.lock.txt").read_text()
    assert "pandas==1.4." in lock, "the pandas of mid-2022"


@pytest.mark.slow
def test_drift_climbs_the_run_time_rung_in_docker(tmp_path: Path, docker_client: Any) -> None:
    run_dir = tmp_path / "run"
    summary = _run(_task(tmp_path, "file times"), "docker", run_dir)
    # The base images carry 3.9 and 3.11; 3.11 came out after the capsule's date.
    _assert_climbed(summary, run_dir, "3.9")
    assert "reproducer/python:3.9" in (run_dir / "env" / "Dockerfile").read_text()


# NumPy 1.11 of mid-2016 still had `recfromcsv`, but no wheel for the interpreters here (3.6 at the oldest).
RECFROMCSV_WRITTEN = "2016-06-15T12:00:00+00:00"
RECFROMCSV_GONE = "np.recfromcsv` was removed in the NumPy 2.0 release"


def _assert_moved_to_a_wheel(summary: dict[str, Any], run_dir: Path, python: str) -> str:
    """The run-time rung found no numpy wheel of the date for `python` and took the nearest version with
    one, from wheels only (no source build); returns the numpy it installed."""
    assert summary["status"] == "correct", summary
    assert [c["status"] for c in summary["superseded_commands"]] == ["error"]
    rungs = json.loads((run_dir / "env" / "ladder.json").read_text())
    assert [(r["name"], r["outcome"]) for r in rungs] == [
        ("as_declared", "ok"),
        ("run_time_drift", "failed"),  # numpy of 2016 has no wheel for it
        ("run_time_drift", "ok"),
    ]
    assert RECFROMCSV_GONE in rungs[-1]["reason"]
    assert f"Python {python}" in rungs[-1]["reason"]
    assert "no wheel of the date for Python" in rungs[-1]["reason"]
    flags = rungs[-1]["uv_flags"]
    assert flags[:2] == ["--exclude-newer", "2016-06-15"] and "--only-binary" in flags
    assert "setuptools=2999-12-31" in flags, "build tools are not held at the date"
    numpy = rungs[-1]["relaxed"]["numpy"]
    assert numpy.startswith("numpy==1."), "the nearest version after the date, not today's"
    return numpy


@pytest.mark.slow
def test_a_removed_numpy_api_is_cured_by_the_nearest_numpy_with_a_wheel_locally(tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    summary = _run(_task(tmp_path, "git", "drift-recfromcsv", RECFROMCSV_WRITTEN), "local", run_dir)
    # No interpreter here was released before mid-2016: the oldest, 3.6, whose first numpy wheel is 1.11.3.
    assert _assert_moved_to_a_wheel(summary, run_dir, "3.6") == "numpy==1.11.3"


@pytest.mark.slow
def test_a_removed_numpy_api_is_cured_by_the_nearest_numpy_with_a_wheel_in_docker(
    tmp_path: Path, docker_client: Any
) -> None:
    run_dir = tmp_path / "run"
    summary = _run(_task(tmp_path, "file times", "drift-recfromcsv", RECFROMCSV_WRITTEN), "docker", run_dir)
    # The base images carry 3.9 and 3.11: 3.9, whose first numpy wheels came with 1.19.3.
    assert _assert_moved_to_a_wheel(summary, run_dir, "3.9") == "numpy==1.19.3"


@pytest.mark.slow
def test_a_notebook_failing_with_drift_runs_again_on_the_run_time_rung(tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    summary = _run(_task(tmp_path, "file times", "drift-notebook"), "local", run_dir)
    assert summary["status"] == "correct", summary
    assert [c["status"] for c in summary["superseded_commands"]] == ["error"]
    rungs = json.loads((run_dir / "env" / "ladder.json").read_text())
    assert rungs[-1]["name"] == "run_time_drift" and rungs[-1]["outcome"] == "ok"
    assert rungs[-1]["reason"].startswith("entry point 1 (analysis.ipynb) failed with run-time drift")
    assert APPEND_GONE in rungs[-1]["reason"], "read from IPython's traceback, through the notebook runner"


def _failed_append(tmp_path: Path) -> ExecResult:
    return ExecResult(
        command="python3 analysis.py",
        cwd="code",
        exit_code=1,
        status="error",
        wall_seconds=1.0,
        stdout="",
        stderr=(Path(__file__).parent / "fixtures" / "drift" / "new-df_append.txt").read_text(),
        stdout_path=tmp_path / "out",
        stderr_path=tmp_path / "err",
    )


def test_without_a_date_the_rung_is_not_climbed_and_the_console_says_so(tmp_path: Path) -> None:
    (tmp_path / "run" / "env").mkdir(parents=True)
    said: list[str] = []
    failed = _failed_append(tmp_path)
    assert (
        run_time_rung(
            Plan(capsule="undated", entry_points=[ENTRY]), [failed], tmp_path, tmp_path / "run", said.append
        )
        is None
    )
    assert said and "no older environment is tried: the capsule has no date" in said[0]
    rungs = json.loads((tmp_path / "run" / "env" / "ladder.json").read_text())
    assert rungs[-1]["name"] == "run_time_drift" and rungs[-1]["outcome"] == "skipped"
    assert "not climbed: the capsule has no date" in rungs[-1]["reason"]


def test_an_environment_already_of_its_date_on_its_stated_python_is_not_rebuilt(tmp_path: Path) -> None:
    dated = Rung(name="exclude_newer", reason="", outcome="ok", uv_flags=["--exclude-newer", "2022-06-15"])
    ladder = tmp_path / "run" / "env" / "ladder.json"
    ladder.parent.mkdir(parents=True)
    ladder.write_text(json.dumps([dated.model_dump(mode="json")]))
    when = Decision[dt.date](value=dt.date(2022, 6, 15), evidence=Evidence(file=".git"))
    plan = Plan(capsule="dated", cutoff_date=when, entry_points=[ENTRY])
    failed = _failed_append(tmp_path)
    rung = run_time_rung(plan, [failed], tmp_path, tmp_path / "run", lambda _message: None)
    assert rung is not None and rung.earlier == [dated], "another interpreter may still cure it"

    stated = plan.model_copy(
        update={"python_version": Decision(value="3.11", evidence=Evidence(file="README"))}
    )
    assert run_time_rung(stated, [failed], tmp_path, tmp_path / "run", lambda _message: None) is None
    rungs = json.loads(ladder.read_text())
    assert [(r["name"], r["outcome"]) for r in rungs] == [
        ("exclude_newer", "ok"),
        ("run_time_drift", "skipped"),
    ]
    assert rungs[-1]["reason"].endswith("not climbed: the environment already has the packages of its date")
