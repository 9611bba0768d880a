"""What `run` and `truth` show while they work: each step as it starts and ends, and on a terminal one live
line with the current step, its elapsed time and the last line the running command wrote.

The live line reads the run directory, not the pipeline: the newest of the command logs (`logs/*`) and
the environment build's logs (`env/commands.log`, Docker's `env/build.log`), so it needs no hook in the
pipeline and shows exactly what a person would see with `tail -f`. Off a terminal (a pipe, CI) only the
step lines are printed, one per line, as before.
"""

import re
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

from rich.console import Console, Group
from rich.live import Live
from rich.text import Text

from reproducer.rundir.layout import BUILD_LOG_FILE, ENV_DIR, ENV_LOG_FILE, LOGS_DIR

# Run-directory files that show what is running, newest first wins.
RUN_LOGS = (
    f"{LOGS_DIR}/*.stdout",
    f"{LOGS_DIR}/*.stderr",
    f"{ENV_DIR}/{ENV_LOG_FILE}",
    f"{ENV_DIR}/{BUILD_LOG_FILE}",
)
TAIL_BYTES = 4096
REFRESH_PER_SECOND = 2
# Escape sequences and other control characters a capsule's output may hold.
_CONTROL = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|[\x00-\x08\x0b-\x1f\x7f]")
_STEP_STARTS = re.compile(r"^\s*(?P<step>\S.*?) \.\.\.$")


def last_line(path: Path) -> str:
    """The file's last non-empty line (of its last few KiB), without control characters."""
    try:
        with path.open("rb") as handle:
            handle.seek(0, 2)
            size = handle.tell()
            handle.seek(max(0, size - TAIL_BYTES))
            tail = handle.read().decode("utf-8", "replace")
    except OSError:
        return ""
    # A progress bar rewrites its line with \r: the last rewrite is what a terminal shows.
    lines = [_CONTROL.sub("", line.rsplit("\r", 1)[-1]).strip() for line in tail.splitlines()]
    return next((line for line in reversed(lines) if line), "")


def newest_log(folders: Sequence[Path], patterns: Sequence[str] = RUN_LOGS) -> Path | None:
    newest: tuple[float, Path] | None = None
    for folder in folders:
        for pattern in patterns:
            for path in folder.glob(pattern):
                try:
                    stamp = path.stat().st_mtime
                except OSError:
                    continue
                if newest is None or stamp > newest[0]:
                    newest = (stamp, path)
    return newest[1] if newest else None


def _clock(seconds: float) -> str:
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes // 60}:{minutes % 60:02d}:{rest:02d}" if minutes >= 60 else f"{minutes}:{rest:02d}"


class LiveProgress:
    """Step lines for `progress` callbacks, and a live status line under them on a terminal.

    `folder` and `patterns` say which logs feed the live line (truth's runs are `truth/run-*/` in it)."""

    def __init__(self, console: Console, folder: Path, patterns: Sequence[str] = RUN_LOGS) -> None:
        self.console = console
        self.folder, self.patterns = folder, tuple(patterns)
        self.started = self.step_started = time.monotonic()
        self.step = "starting"
        self.live: Live | None = None

    def __call__(self, message: str) -> None:
        self.console.print(f"  {message}", markup=False, highlight=False)
        started = _STEP_STARTS.match(message)
        if started:
            self.step, self.step_started = started["step"].strip(), time.monotonic()

    def status(self) -> Group:
        now = time.monotonic()
        head = Text.assemble(
            ("  ▶ ", "cyan"),
            (self.step, "bold"),
            f" {_clock(now - self.step_started)}",
            (f"  (run {_clock(now - self.started)})", "dim"),
        )
        log = newest_log([self.folder], self.patterns)
        line = last_line(log) if log else ""
        if not line:
            return Group(head)
        shown = Text(f"    {log.name if log else ''}: {line}", style="dim", no_wrap=True, overflow="ellipsis")
        return Group(head, shown)

    def __enter__(self) -> "LiveProgress":
        if self.console.is_terminal:
            self.live = Live(
                get_renderable=self.status,
                console=self.console,
                refresh_per_second=REFRESH_PER_SECOND,
                transient=True,
            )
            self.live.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.live is not None:
            self.live.stop()
