"""Resuming: a runner killed with SIGKILL at a random moment, then started again, ends with every task
exactly once and no sandbox left; a second runner fails fast while the first holds the lock; Ctrl-C stops
cleanly, keeps what is done and prints the command that resumes."""

import json
import os
import random
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_bench_support import reproducer_env, run_cli, trivial_capsule, trivial_record, write_task_file

from reproducer.rundir.bench_layout import BenchDir

WAIT_S = 60.0
POLL_S = 0.05


def slow_task_file(folder: Path, count: int, sleep_s: float, token: str) -> Path:
    """`count` capsules that sleep, leave a detached background process carrying `token`, then answer."""
    records = []
    for number in range(1, count + 1):
        capsule = trivial_capsule(folder / f"capsule-{number}", value=number, sleep_s=sleep_s)
        main = capsule / "code" / "main.py"
        main.write_text(
            "import subprocess\n"
            f"subprocess.Popen(['sleep', '{token}'], start_new_session=True)\n" + main.read_text()
        )
        records.append(trivial_record(f"capsule-slow-{number}", number, str(capsule)))
    return write_task_file(folder / "tasks.json", records)


def start(args: list[str], env: dict[str, str]) -> "subprocess.Popen[str]":
    command = [sys.executable, "-m", "reproducer", *args]
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(POLL_S)


def strays(out: Path, token: str) -> list[str]:
    """Live processes working inside the run directory or carrying the capsules' token."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cwd = (entry / "cwd").readlink()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z" and (cwd.is_relative_to(out) or token in cmdline):
            found.append(f"{entry.name}: {cmdline}")
    return found


def containers_of(run_id: str) -> list[str]:
    """Containers labelled with the run's id, when a Docker engine answers (else none can exist)."""
    try:
        import docker

        client = docker.from_env(timeout=10)
        client.ping()
    except Exception:  # docker-py raises several unrelated types when no engine answers
        return []
    try:
        listed = client.containers.list(all=True, filters={"label": f"org.reproducer.run-id={run_id}"})
        return [container.name for container in listed]
    finally:
        client.close()


def assert_each_task_once(out: Path, keys: set[str]) -> dict[str, Any]:
    bench_dir = BenchDir(out)
    assert bench_dir.finished_keys() == keys
    assert sorted(path.name for path in bench_dir.results.iterdir()) == sorted(f"{key}.json" for key in keys)
    scores: dict[str, Any] = json.loads(bench_dir.scores.read_text())
    assert scores["complete"] and scores["finished"] == scores["counted"] == len(keys)
    assert scores["statuses"] == {**dict.fromkeys(scores["statuses"], 0), "correct": len(keys)}
    return scores


@pytest.mark.slow
def test_a_runner_killed_at_a_random_moment_resumes_to_every_task_once(tmp_path: Path) -> None:
    token = f"{random.randint(100000, 999999)}.{random.randint(1, 9)}"
    task_file = slow_task_file(tmp_path, count=4, sleep_s=1.5, token=token)
    out = tmp_path / "run"
    env = reproducer_env(tmp_path / "cache")
    args = ["bench", "tasks", str(task_file), "--level", "hard", "-j", "2", "--out", str(out), "--json"]
    delay = random.uniform(1.0, 6.0)
    runner = start(args, env)
    time.sleep(delay)
    runner.send_signal(signal.SIGKILL)
    runner.communicate(timeout=WAIT_S)
    killed_with = BenchDir(out).finished_keys() if out.exists() else set()

    resumed = run_cli(args, env)
    assert resumed.returncode == 0, (delay, resumed.stderr)
    outcome = json.loads(resumed.stdout)
    keys = {f"capsule-slow-{number}" for number in range(1, 5)}
    assert_each_task_once(out, keys)
    assert outcome["earlier_results"] == len(killed_with), delay
    cut_off = {path.name.split(".interrupted-")[0] for path in (out / "tasks").glob("*.interrupted-*")}
    assert cut_off <= keys - killed_with, (delay, cut_off, killed_with)
    assert strays(out, token) == [], delay
    assert containers_of(json.loads((out / "config.json").read_text())["run_id"]) == []


@pytest.mark.slow
def test_lock_then_ctrl_c_then_the_printed_command_resumes(tmp_path: Path) -> None:
    token = f"{random.randint(100000, 999999)}.{random.randint(1, 9)}"
    task_file = slow_task_file(tmp_path, count=2, sleep_s=4.0, token=token)
    out = tmp_path / "run"
    env = reproducer_env(tmp_path / "cache")
    args = ["bench", "tasks", str(task_file), "--level", "hard", "-j", "1", "--out", str(out)]
    first = start(args, env)
    try:
        lock = out / ".lock"
        wait_for(lambda: lock.is_file() and lock.read_text().startswith("pid"), "the first runner's lock")
        began = time.monotonic()
        second = run_cli(args, env, timeout=WAIT_S)
        assert second.returncode == 2 and f"pid {first.pid}" in second.stderr, second.stderr
        assert time.monotonic() - began < 20, "the second runner fails fast"

        wait_for(lambda: BenchDir(out).finished_keys() == {"capsule-slow-1"}, "the first result")
        time.sleep(1.0)  # the second task is running its capsule now
        first.send_signal(signal.SIGINT)
        stdout, stderr = first.communicate(timeout=WAIT_S)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == 130, stderr
    assert "1 running tasks cancelled" in stdout and "every result written so far is kept" in stdout
    assert BenchDir(out).finished_keys() == {"capsule-slow-1"}
    assert strays(out, token) == [], "cancelled sandboxes are killed"
    resume_line = next(line for line in stdout.splitlines() if line.startswith("to resume: "))
    resume_args = shlex.split(resume_line.removeprefix("to resume: "))
    assert resume_args[0] == "reproducer" and resume_args[resume_args.index("--out") + 1] == str(out)

    resumed = run_cli(resume_args[1:], env)
    assert resumed.returncode == 0, resumed.stderr
    assert "1 cut-off tasks moved aside" in resumed.stdout
    assert_each_task_once(out, {"capsule-slow-1", "capsule-slow-2"})
    assert (out / "tasks" / "capsule-slow-2.interrupted-1").is_dir()
    assert strays(out, token) == []
