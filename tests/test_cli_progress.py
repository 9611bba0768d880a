"""Live progress of `reproducer run`: on a terminal, the current step with its elapsed time and the last
line the running command wrote; the verdict on stdout; off a terminal, plain step lines only."""

import json
import os
import pty
import re
import select
import subprocess
import sys
from pathlib import Path

from test_bench_support import QUESTION, reproducer_env, trivial_record, write_task_file

from reproducer.commands.live import RUN_LOGS, last_line, newest_log

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def test_the_last_line_is_what_a_terminal_would_show(tmp_path: Path) -> None:
    log = tmp_path / "01-run.stdout"
    log.write_bytes(b"start\n\x1b[32mgreen\x1b[0m\n 10%\r 55%\r 90% \x07\n\n")
    assert last_line(log) == "90%"
    log.write_bytes(b"x" * 10_000 + b"\nlast words\n")
    assert last_line(log) == "last words"
    assert last_line(tmp_path / "absent") == ""


def test_the_newest_log_of_the_run_directory_is_followed(tmp_path: Path) -> None:
    (tmp_path / "logs").mkdir()
    (tmp_path / "env").mkdir()
    older, newer = tmp_path / "env" / "commands.log", tmp_path / "logs" / "01-run.stderr"
    older.write_text("uv pip install\n")
    newer.write_text("training\n")
    os.utime(older, (1, 1))
    assert newest_log([tmp_path]) == newer
    (tmp_path / "workspace").mkdir()
    (tmp_path / "workspace" / "noise.log").write_text("not a log of ours")
    assert newest_log([tmp_path]) == newer


def test_truth_follows_the_run_in_progress(tmp_path: Path) -> None:
    """`truth` makes one run directory per run under ROOT/truth/: the newest log of any of them is shown."""
    patterns = [f"truth/run-*/{pattern}" for pattern in RUN_LOGS]
    first, second = tmp_path / "truth" / "run-1" / "logs", tmp_path / "truth" / "run-2" / "env"
    first.mkdir(parents=True)
    second.mkdir(parents=True)
    (first / "01-entry-1.stdout").write_text("done\n")
    os.utime(first / "01-entry-1.stdout", (1, 1))
    (second / "commands.log").write_text("$ uv pip install numpy\n")
    assert newest_log([tmp_path], patterns) == second / "commands.log"
    assert last_line(second / "commands.log") == "$ uv pip install numpy"


def _capsule(folder: Path) -> Path:
    """Prints an epoch line every 0.25 s for about 4 s, then the value the task asks for."""
    (folder / "code").mkdir(parents=True)
    (folder / "results").mkdir()
    loop = "for i in range(16):\n    print(f'epoch {i} loss 0.{i}', flush=True)\n    time.sleep(0.25)\n"
    (folder / "code" / "main.py").write_text(f"import time\n{loop}print('halfway value: 1', flush=True)\n")
    (folder / "code" / "run").write_text("#!/usr/bin/env bash\npython main.py\n")
    (folder / "REPRODUCING.md").write_text("Run `bash code/run`.\n")
    return folder


def _run_on_a_terminal(args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    """The CLI with stderr on a pseudo-terminal (the live display) and stdout on a pipe."""
    master, slave = pty.openpty()
    command = [sys.executable, "-m", "reproducer", *args]
    env = {**env, "COLUMNS": "160", "TERM": "xterm"}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=slave, env=env)
    os.close(slave)
    screen = b""
    while True:
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            screen += chunk
        elif process.poll() is not None:
            break
    stdout = process.stdout.read().decode() if process.stdout else ""
    os.close(master)
    return process.wait(timeout=60), stdout, ANSI.sub("", screen.decode("utf-8", "replace"))


def test_run_shows_the_step_its_time_and_the_commands_last_line(tmp_path: Path) -> None:
    record = trivial_record("capsule-progress", value=1, capsule=str(_capsule(tmp_path / "capsule")))
    task_file = write_task_file(tmp_path / "task.json", [record])
    out = tmp_path / "run"
    env = reproducer_env(tmp_path / "cache")
    args = ["run", "--task", str(task_file), "--level", "medium", "--agent", "offline", "--out", str(out)]
    code, stdout, screen = _run_on_a_terminal(args, env)
    assert code == 0, screen
    assert re.search(r"▶ run python main\.py \d+:\d\d", screen), "the running step with its elapsed time"
    assert re.search(r"01-[\w.-]+\.stdout: epoch \d+ loss", screen), "the command's last log line, live"
    assert stdout.startswith("correct: 1 answered, 0 unanswered"), stdout
    assert QUESTION not in stdout

    plain = subprocess.run(
        [sys.executable, "-m", "reproducer", *args[:-1], str(tmp_path / "again")],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert plain.returncode == 0, plain.stderr
    assert "▶" not in plain.stderr and "run python main.py ..." in plain.stderr, "off a terminal: step lines"
    assert plain.stdout.startswith("correct:")
    assert json.loads((tmp_path / "again" / "summary.json").read_text())["status"] == "correct"
