"""Capsules that hang, fork, flood or write outside: stopped, reported, and the records kept."""

import json
import os
import subprocess
import textwrap
import uuid
from pathlib import Path

import pytest

from reproducer.pipeline.run import run_capsule
from reproducer.rundir.summary import RunSummary
from reproducer.sandbox import bwrap_problem
from reproducer.tasks import Task

QUESTION = "Report the halfway value."
TIMEOUT_S = 5.0


@pytest.fixture(scope="module")
def cache_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("env-cache")


def run_main(tmp_path: Path, cache_root: Path, main_py: str) -> tuple[RunSummary, Path]:
    capsule = tmp_path / "capsule"
    (capsule / "code").mkdir(parents=True)
    (capsule / "data").mkdir()
    (capsule / "results").mkdir()
    (capsule / "code" / "main.py").write_text(textwrap.dedent(main_py))
    task = Task(capsule_id="capsule-hostile", task_prompt="Run main.py.", results=[{QUESTION: 1.5}] * 3)
    run_dir = tmp_path / "run"
    summary = run_capsule(capsule, task, run_dir, command_timeout_s=TIMEOUT_S, cache_root=cache_root)
    return summary, run_dir


def assert_records_kept(run_dir: Path) -> None:
    # Everything before the hostile command is still there, and the summary says what happened.
    for name in ("plan.json", "summary.json", "report.json", "facts.jsonl", "logs/commands.jsonl"):
        assert (run_dir / name).is_file(), name
    steps = [step["name"] for step in json.loads((run_dir / "summary.json").read_text())["steps"]]
    assert steps[:3] == ["stage", "plan", "environment"]


def no_process_with(token: str) -> bool:
    return subprocess.run(["pgrep", "-f", token], capture_output=True, check=False).returncode == 1


@pytest.mark.slow
def test_a_hanging_capsule_is_stopped_at_the_timeout(tmp_path: Path, cache_root: Path) -> None:
    summary, run_dir = run_main(
        tmp_path,
        cache_root,
        """
        import time
        print("halfway value: 1.5", flush=True)
        time.sleep(1000)
        """,
    )
    assert [command.status for command in summary.commands] == ["timeout"]
    assert summary.commands[0].seconds < TIMEOUT_S + 30
    assert "halfway value: 1.5" in (run_dir / (summary.commands[0].stdout_path or "")).read_text()
    assert summary.status == "correct", "the answer printed before the hang is still harvested"
    assert_records_kept(run_dir)


@pytest.mark.slow
def test_a_capsule_that_forks_leaves_no_survivor(tmp_path: Path, cache_root: Path) -> None:
    token = str(900000 + uuid.uuid4().int % 99999)
    summary, run_dir = run_main(
        tmp_path,
        cache_root,
        f"""
        import subprocess
        subprocess.Popen(["sleep", "{token}"], start_new_session=True)
        subprocess.Popen("nohup sleep {token} >/dev/null 2>&1 &", shell=True)
        print("halfway value: 1.5")
        """,
    )
    assert [command.status for command in summary.commands] == ["ok"]
    assert no_process_with(f"sleep {token}")
    assert_records_kept(run_dir)


@pytest.mark.slow
def test_a_capsule_that_floods_stdout_is_capped_with_head_and_tail(tmp_path: Path, cache_root: Path) -> None:
    summary, run_dir = run_main(
        tmp_path,
        cache_root,
        """
        import sys
        print("halfway value: 1.5")
        chunk = "flood " * 10_000 + "\\n"
        for _ in range(2_000):  # about 120 MB
            sys.stdout.write(chunk)
        print("the last line")
        """,
    )
    log = run_dir / (summary.commands[0].stdout_path or "")
    text = log.read_text(errors="replace")
    assert log.stat().st_size < 64 * 2**20
    assert "bytes dropped" in text
    assert text.startswith("halfway value: 1.5") and text.rstrip().endswith("the last line")
    assert summary.status == "correct"
    assert_records_kept(run_dir)


@pytest.mark.slow
@pytest.mark.skipif(bwrap_problem() is not None, reason=f"bubblewrap cannot run here: {bwrap_problem()}")
def test_a_capsule_cannot_write_outside_its_workspace(tmp_path: Path, cache_root: Path) -> None:
    token = uuid.uuid4().hex
    outside = Path(f"/root/outside-{token}")
    sibling = tmp_path / f"outside-{token}"
    summary, run_dir = run_main(
        tmp_path,
        cache_root,
        f"""
        for path in ("{outside}", "{sibling}"):
            try:
                open(path, "w").write("escaped")
                print("wrote", path)
            except OSError as error:
                print("refused", path, error)
        """,
    )
    # The host is read-only inside the sandbox, and /tmp (where pytest puts the sibling) is private
    # to the command: neither write reaches the host.
    assert not outside.exists() and not sibling.exists()
    stdout = (run_dir / (summary.commands[0].stdout_path or "")).read_text()
    assert f"refused {outside}" in stdout, stdout
    assert_records_kept(run_dir)
    assert os.access(run_dir, os.W_OK)
