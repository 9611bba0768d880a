"""Each command a run ran: exit code, status, time and excerpts of its logs (stderr's tail on failure)."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reproducer.report.limits import COMMANDS_PER_TASK, LOG_HEAD_CHARS, LOG_TAIL_CHARS
from reproducer.report.records import inside, read_jsonl
from reproducer.report.text import Excerpt, clean, file_excerpt
from reproducer.rundir.layout import COMMANDS_FILE, LOGS_DIR

# On failure the start of stderr matters less than its end, where the error is.
FAILURE_HEAD_CHARS = 300


@dataclass(frozen=True)
class CommandView:
    command: str
    cwd: str
    status: str
    exit_code: int | None
    seconds: float
    stdout: Excerpt | None
    stderr: Excerpt | None
    created: list[str]
    warnings: list[str]

    @property
    def failed(self) -> bool:
        return self.status != "ok"


def command_views(run_dir: Path, summary: dict[str, Any]) -> tuple[list[CommandView], int]:
    """The commands of `logs/commands.jsonl` (else of summary.json), and how many were left out."""
    logged = read_jsonl(run_dir / LOGS_DIR / COMMANDS_FILE).data
    rows = logged if logged else summary.get("commands") or []
    rows = [row for row in rows if isinstance(row, dict)]
    views = [_view(run_dir, row) for row in rows[:COMMANDS_PER_TASK]]
    return views, max(0, len(rows) - COMMANDS_PER_TASK)


def _view(run_dir: Path, row: dict[str, Any]) -> CommandView:
    status = str(row.get("status", ""))
    failed = status != "ok"
    return CommandView(
        command=clean(str(row.get("command", ""))),
        cwd=clean(str(row.get("cwd", ""))),
        status=status,
        exit_code=row.get("exit_code") if isinstance(row.get("exit_code"), int) else None,
        seconds=_seconds(row.get("wall_seconds", row.get("seconds"))),
        stdout=_log(run_dir, row.get("stdout_path"), LOG_HEAD_CHARS),
        stderr=_log(run_dir, row.get("stderr_path"), FAILURE_HEAD_CHARS if failed else LOG_HEAD_CHARS),
        created=[clean(str(name)) for name in row.get("created") or []],
        warnings=[clean(str(text)) for text in row.get("warnings") or []],
    )


def _seconds(value: Any) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def _log(run_dir: Path, recorded: Any, head: int) -> Excerpt | None:
    """The log's excerpt; a run directory that moved still finds its logs under `logs/`."""
    if not isinstance(recorded, str) or not recorded:
        return None
    path = inside(run_dir, Path(recorded)) or inside(run_dir, Path(LOGS_DIR) / Path(recorded).name)
    return file_excerpt(path, head, LOG_TAIL_CHARS) if path else None
