"""Honest endings: a failing entry point does not stop the next, the total time is shared out and
recorded, a plan with nothing to run ends as `no_entry_point`, a run that did nothing is flagged, and
SIGINT/SIGTERM end `reproducer run` as `interrupted` with its records written."""

import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from reproducer.backends.local import LocalBackend
from reproducer.docker.labels import TASK_ID
from reproducer.pipeline.entry_runs import MIN_ENTRY_S, RESERVE_PER_LATER_ENTRY_S
from reproducer.pipeline.execute import run_entries
from reproducer.pipeline.run import run_capsule
from reproducer.pipeline.steps import Steps
from reproducer.plan.model import EntryPoint, Evidence
from reproducer.rundir.layout import RunDir
from reproducer.rundir.summary import RunSummary, TimeBudget
from reproducer.tasks.load import load_task

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "pipeline"


def _commands_log(run_dir: Path) -> list[dict[str, Any]]:
    lines = (run_dir / "logs" / "commands.jsonl").read_text().splitlines()
    return [json.loads(line) for line in lines]


@pytest.mark.slow
def test_a_failing_entry_does_not_stop_the_next_and_the_budget_split_is_recorded(tmp_path: Path) -> None:
    task = load_task(FIXTURES / "two-entries" / "task.yaml")
    summary = run_capsule(
        task.capsule or "", task, tmp_path / "run", total_timeout_s=900, cache_root=tmp_path / "cache"
    )

    # The planner names the interpreter as the prompt or the README does (python3, python).
    assert [(c.command.split()[-1], c.status) for c in summary.commands] == [
        ("broken.py", "error"),
        ("summarise.py", "ok"),
    ]
    assert summary.status == "correct", "the second entry's printed value answers the question"
    assert summary.time_budget is not None and summary.time_budget.total_s == 900
    first, second = (c.budget_s or 0.0 for c in summary.commands)
    assert first == 900 - RESERVE_PER_LATER_ENTRY_S, "the first keeps a reserve for the one after it"
    assert 800 < second <= 900, "the last gets what is left of the total"
    assert [line["status"] for line in _commands_log(tmp_path / "run")] == ["error", "ok"]
    saved = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert [c["budget_s"] for c in saved["commands"]] == [first, second]


def _run_shell(entries: list[str], total_s: float, tmp_path: Path) -> RunSummary:
    capsule = tmp_path / "capsule"
    (capsule / "code").mkdir(parents=True)
    run_dir = RunDir.create(tmp_path / "run")
    summary = RunSummary(run_dir=str(run_dir.root), capsule_id="budget", level="hard", backend="local")
    steps = Steps(summary, run_dir, lambda _message: None)
    sandbox = LocalBackend(None).sandbox(capsule, run_dir.root, "budget")
    points = [EntryPoint(command=c, kind="shell", evidence=Evidence(file="README.md")) for c in entries]
    try:
        run_entries(
            points, sandbox, capsule, run_dir, steps, TimeBudget(total_s=total_s, per_command_s=60), None, []
        )
    finally:
        sandbox.stop()
    return summary


@pytest.mark.slow
def test_a_timed_out_entry_leaves_time_to_the_next_and_a_spent_total_skips_the_rest(tmp_path: Path) -> None:
    summary = _run_shell(["sleep 30", "echo two", "echo three"], 16, tmp_path / "a")
    assert [c.status for c in summary.commands] == ["timeout", "ok", "ok"]
    budgets = [c.budget_s or 0.0 for c in summary.commands]
    assert budgets[0] == 8.0, "half the total stays in reserve for the two entries after it"
    assert budgets[1] >= MIN_ENTRY_S

    summary = _run_shell(["sleep 30", "echo late"], 7, tmp_path / "b")
    assert [c.status for c in summary.commands] == ["timeout", "skipped"]
    assert "was spent before it started" in summary.commands[1].detail
    assert [line["status"] for line in _commands_log(tmp_path / "b" / "run")] == ["timeout", "skipped"]


@pytest.mark.slow
def test_no_entry_point_is_said_on_the_console_and_ends_the_run_so(tmp_path: Path) -> None:
    task_file = FIXTURES / "no-entry" / "task.yaml"
    completed = subprocess.run(
        [sys.executable, "-m", "reproducer", "run", "--task", str(task_file), "--out", str(tmp_path / "run")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 1
    assert "no entry point: neither the task prompt, the instruction files nor the code" in completed.stderr
    assert "no_entry_point" in completed.stderr
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["status"] == summary["problem"] == "no_entry_point"
    assert (tmp_path / "run" / "report.json").is_file(), "the questions are still answered from what exists"


@pytest.mark.slow
def test_commands_that_exit_zero_but_do_nothing_are_flagged(tmp_path: Path) -> None:
    task = load_task(FIXTURES / "make-idle" / "task.yaml")
    messages: list[str] = []
    summary = run_capsule(
        task.capsule or "", task, tmp_path / "run", cache_root=tmp_path / "cache", progress=messages.append
    )
    assert [(c.command.split()[0], c.status) for c in summary.commands] == [("make", "ok")]
    assert summary.produced_nothing
    assert any("none wrote a file or printed anything" in message for message in messages)

    summary = _run_shell(["echo something"], 60, tmp_path / "echo")
    assert not summary.produced_nothing, "printing is doing something"


def _wait_for_start(process: "subprocess.Popen[str]", heartbeat: Path) -> None:
    deadline = time.monotonic() + 300
    while not heartbeat.is_file():
        assert process.poll() is None, "reproducer run ended before the capsule started"
        assert time.monotonic() < deadline, "gave up waiting for the capsule to start"
        time.sleep(0.2)


def _interrupt(backend: str, signals: list[signal.Signals], tmp_path: Path) -> tuple[int, str, Path]:
    """Runs `reproducer run` on the sleeping capsule, sends `signals` once it has started, and returns the
    exit status, the console output and the run directory."""
    run_dir = tmp_path / "run"
    command = [sys.executable, "-m", "reproducer", "run", "--task", str(FIXTURES / "sleeper" / "task.yaml")]
    command += ["--out", str(run_dir), "--backend", backend]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for_start(process, run_dir / "workspace" / "capsule-sleeper" / "heartbeat")
        for sig in signals:
            process.send_signal(sig)
            time.sleep(0.2)
        out, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return process.returncode, out + err, run_dir


def _assert_interrupted_and_harvested(code: int, output: str, run_dir: Path) -> None:
    assert code == 130, output
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["status"] == summary["problem"] == "interrupted"
    assert [c["status"] for c in summary["commands"]] == ["interrupted"]
    assert "interrupted" in [line["status"] for line in _commands_log(run_dir)]
    report = json.loads((run_dir / "report.json").read_text())
    assert report == {"Report the partial accuracy.": 0.61}, (
        "answered from the file written before the signal"
    )
    assert (run_dir / "answers.json").is_file()
    heartbeat = run_dir / "workspace" / "capsule-sleeper" / "heartbeat"
    before = heartbeat.read_text()
    time.sleep(2)
    assert heartbeat.read_text() == before, "the capsule's process is stopped with the run"


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_ends_the_run_as_interrupted_with_its_records(sig: signal.Signals, tmp_path: Path) -> None:
    _assert_interrupted_and_harvested(*_interrupt("local", [sig], tmp_path))


@pytest.mark.slow
def test_a_signal_stops_the_container_too(tmp_path: Path, docker_client: Any) -> None:
    _assert_interrupted_and_harvested(*_interrupt("docker", [signal.SIGTERM], tmp_path))
    left = docker_client.containers.list(all=True, filters={"label": f"{TASK_ID}=capsule-sleeper"})
    assert not [c for c in left if str(tmp_path) in json.dumps(c.attrs.get("Mounts", []))]


@pytest.mark.slow
def test_sigint_then_sigterm_still_ends_as_interrupted(tmp_path: Path) -> None:
    code, output, run_dir = _interrupt("local", [signal.SIGINT, signal.SIGTERM], tmp_path)
    assert code == 130, output
    assert json.loads((run_dir / "summary.json").read_text())["status"] == "interrupted"
    assert (run_dir / "plan.json").is_file()
