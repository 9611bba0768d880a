"""The command log: numbered stdout/stderr files and one JSON line per command in `commands.jsonl`.

Each line names its log files relative to the run directory (the log folder's parent, RUNDIR/logs), so a
moved run directory still finds them (readers resolve them with `RunDir.resolve`). Each line is stamped
like a JSON record (`rundir.stamp`): the file is appended to by every runner of a run, and a resumed run
may be a newer reproducer than the first, so the version goes with the line, not with the file.
"""

import json
import re
from pathlib import Path
from typing import Any

from reproducer.rundir.layout import COMMANDS_FILE
from reproducer.rundir.stamp import stamped
from reproducer.sandbox.base import ExecResult

DEFAULT_LOG_NAME = "command"
MAX_LOG_NAME_CHARS = 60


def next_log_stem(log_dir: Path, log_name: str | None) -> str:
    """`NN-name` numbered after every command already logged in `log_dir`, so earlier logs are kept."""
    numbers = [int(m.group(1)) for p in log_dir.iterdir() if (m := re.match(r"(\d+)-", p.name))]
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", log_name or DEFAULT_LOG_NAME).strip("-.")
    return f"{max(numbers, default=0) + 1:02d}-{safe[:MAX_LOG_NAME_CHARS] or DEFAULT_LOG_NAME}"


def append_record(log_dir: Path, result: ExecResult) -> None:
    """The line of a command the sandbox ran; its output is in the files the line names."""
    line = result.model_dump(mode="json", exclude={"stdout", "stderr"})
    for key in ("stdout_path", "stderr_path"):
        line[key] = _relative(log_dir, Path(line[key]))
    append_line(log_dir, line)


def append_line(log_dir: Path, line: dict[str, Any]) -> None:
    """Append `line` to the log folder's commands.jsonl, stamped; its `started_at` is the command's."""
    text = json.dumps(stamped(line, started_at=line.get("started_at") or None), separators=(",", ":"))
    with (log_dir / COMMANDS_FILE).open("a", encoding="utf-8") as log:
        log.write(text + "\n")


def _relative(log_dir: Path, path: Path) -> str:
    """`path` relative to the run directory, the log folder's parent; as it is when outside it."""
    try:
        return path.relative_to(log_dir.parent).as_posix()
    except ValueError:
        return str(path)
