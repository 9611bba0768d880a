"""Labels on every container and network of ours, and the deterministic names they get.

The labels let a later sweep find what a dead runner left: the run and task, when the sandbox's own
lifetime ends (`deadline`, unix time), and which process on which host owns it (`pid` plus the process's
start time, so a recycled pid is not mistaken for the runner).
"""

import os
import re
import socket
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reproducer.docker.ownership import Owner

RUN_ID = "org.reproducer.run-id"
TASK_ID = "org.reproducer.task-id"
DEADLINE = "org.reproducer.deadline"
HOST = "org.reproducer.host"
PID = "org.reproducer.pid"
PID_STARTED = "org.reproducer.pid-started"
# Where a root runner handed the workspace to the run user, and to whom it goes back (uid:gid).
WORKSPACE = "org.reproducer.workspace"
WORKSPACE_OWNER = "org.reproducer.workspace-owner"

NAME_PREFIX = "reproducer"
MAX_NAME_CHARS = 120
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")
# Field 22 of /proc/PID/stat, counted after the command name: its index in `_stat_fields`.
START_TIME_FIELD = 19


def resource_name(run_id: str, task_id: str) -> str:
    """`reproducer-<run-id>-<task-id>` with what Docker refuses in names replaced by `-`."""
    parts = [_UNSAFE.sub("-", part).strip("-.") or "x" for part in (run_id, task_id)]
    return "-".join([NAME_PREFIX, *parts])[:MAX_NAME_CHARS]


def process_started(pid: int) -> str | None:
    """The start time of process `pid` in clock ticks since boot (None when there is no such process)."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text(errors="replace")
    except OSError:
        return None
    fields = raw[raw.rfind(")") + 2 :].split()
    return fields[START_TIME_FIELD] if len(fields) > START_TIME_FIELD else None


def sandbox_labels(run_id: str, task_id: str, deadline: float) -> dict[str, str]:
    """The labels of a sandbox owned by this process, ending by itself at `deadline` (unix time)."""
    pid = os.getpid()
    return {
        RUN_ID: run_id,
        TASK_ID: task_id,
        DEADLINE: str(int(deadline)),
        HOST: socket.gethostname(),
        PID: str(pid),
        PID_STARTED: process_started(pid) or "",
    }


def deadline_of(labels: Mapping[str, str]) -> float | None:
    try:
        return float(labels[DEADLINE])
    except (KeyError, ValueError):
        return None


def runner_alive(labels: Mapping[str, str]) -> bool | None:
    """Whether the runner that labelled a resource still runs: None when it ran on another host."""
    if labels.get(HOST) != socket.gethostname():
        return None
    try:
        pid = int(labels[PID])
    except (KeyError, ValueError):
        return None
    started = process_started(pid)
    if started is None:
        return False
    recorded = labels.get(PID_STARTED)
    return not recorded or recorded == started


def workspace_labels(workspace: Path, owner: "Owner") -> dict[str, str]:
    """Labels that let a sweep give `workspace` back to `owner` when its runner died holding it."""
    return {WORKSPACE: str(workspace), WORKSPACE_OWNER: f"{owner.uid}:{owner.gid}"}


def workspace_of(labels: Mapping[str, str]) -> tuple[Path, "Owner"] | None:
    from reproducer.docker.ownership import Owner

    try:
        uid, gid = (int(part) for part in labels[WORKSPACE_OWNER].split(":"))
        return Path(labels[WORKSPACE]), Owner(uid, gid)
    except (KeyError, ValueError):
        return None
