"""Hostile task files: a YAML alias bomb, a task file of a gigabyte, a fifo in its place. Each is refused
at once with a message naming the file (exit 2 from the CLI), never a traceback or a hang."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reproducer.errors import BadInput
from reproducer.tasks import load_tasks
from reproducer.tasks.load import MAX_TASK_FILE_BYTES

BILLION_LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [
        f"{chr(ord('a') + k)}: &{chr(ord('a') + k)} [{','.join(['*' + chr(ord('a') + k - 1)] * 9)}]"
        for k in range(1, 9)
    ]
    + ["capsule_id: capsule-1", "results: *i"]
)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "reproducer", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def test_a_yaml_alias_bomb_is_refused_at_once(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(BILLION_LAUGHS)
    started = time.monotonic()
    with pytest.raises(
        BadInput, match=r"bomb.yaml: not valid YAML: an alias \(\*a\); task files may not use"
    ):
        load_tasks(path)
    assert time.monotonic() - started < 5


def test_the_bundled_yaml_task_files_still_load() -> None:
    for path in sorted((Path(__file__).resolve().parent.parent / "tasks").glob("*/task.yaml")):
        loaded = load_tasks(path)
        assert loaded.tasks and not loaded.problems, path


def test_a_gigabyte_task_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:  # sparse: no disk used
        handle.truncate(1024**3)
    started = time.monotonic()
    done = _cli("tasks", "list", str(path))
    assert time.monotonic() - started < 60
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert f"huge.json: {1024**3} bytes is over the cap of {MAX_TASK_FILE_BYTES} bytes" in done.stderr


def test_the_alias_bomb_through_the_cli_is_a_clean_error(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(BILLION_LAUGHS)
    done = _cli("tasks", "list", str(path))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "bomb.yaml" in done.stderr and "alias" in done.stderr


def test_a_fifo_task_file_is_refused_without_waiting(tmp_path: Path) -> None:
    path = tmp_path / "tasks.json"
    os.mkfifo(path)
    with pytest.raises(BadInput, match=r"tasks.json: not a regular file \(a fifo\)"):
        load_tasks(path)
