"""Running one process tree with a timeout, streaming its output to capped files from a single thread."""

import contextlib
import os
import selectors
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from reproducer.sandbox.capture import CappedStream
from reproducer.sandbox.cgroup import RunCgroup
from reproducer.sandbox.disk import DiskWatch
from reproducer.sandbox.limits import RunLimits
from reproducer.sandbox.procs import CommandProcesses
from reproducer.sandbox.rlimits import rlimit_setter

READ_CHUNK_BYTES = 1024 * 1024
POLL_SECONDS = 0.1
# Once the command has exited and its leftovers are killed, the pipes close at once; a pipe still open
# after this long is held by a process we could not find, and we stop reading.
DRAIN_SECONDS = 2.0
REAP_SECONDS = 5.0

StopReason = Literal["timeout", "output_limit", "disk_limit"]


@dataclass
class Finished:
    returncode: int | None
    stopped_for: StopReason | None
    wall_seconds: float
    warnings: list[str]
    # With `keep_background`, the processes left running when the command returned, to be killed later.
    kept: CommandProcesses | None = None


def run_streaming(
    argv: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    timeout: float,
    limits: RunLimits,
    marker: str,
    bubblewrapped: bool,
    stdout: CappedStream,
    stderr: CappedStream,
    keep_background: bool = False,
    cgroup: RunCgroup | None = None,
    disk: DiskWatch | None = None,
    shared: bool = False,
) -> Finished:
    """Run `argv` in a new session (inside `cgroup` when given); on timeout, runaway output or the
    workspace passing its `disk` cap, SIGTERM, grace, SIGKILL. Whatever happens (even an exception
    here), no process of the command outlives this call, except, with `keep_background`, those it left
    running when it returned by itself: `Finished.kept` finds them. `shared` says the cgroup and the PID
    namespace hold other commands' processes too (a session's): then the command's own processes are
    those of its process group and marker only."""
    started = time.monotonic()
    enter = cgroup.enter() if cgroup is not None else None
    process = subprocess.Popen(
        argv,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=rlimit_setter(limits, cgroup=cgroup is not None, then=enter),
    )
    launcher = process.pid if bubblewrapped else None
    own_cgroup = None if shared else cgroup
    tree = CommandProcesses(process.pid, marker, launcher, own_cgroup, whole_namespace=not shared)
    warnings: list[str] = []
    assert process.stdout is not None and process.stderr is not None
    sinks = {process.stdout.fileno(): stdout, process.stderr.fileno(): stderr}
    kept: CommandProcesses | None = None
    try:
        stopped_for, ended = _pump(
            process, tree, sinks, started + timeout, limits, warnings, keep_background, disk
        )
        kept = tree if keep_background and stopped_for is None else None
    finally:
        if kept is None and not tree.kill_all():
            warnings.append(f"processes of the command survived SIGKILL: {sorted(tree.find())}")
        try:
            process.wait(timeout=REAP_SECONDS)
        except subprocess.TimeoutExpired:
            warnings.append(f"process {process.pid} could not be reaped")
        for pipe in (process.stdout, process.stderr):
            if pipe is not None:
                pipe.close()
    return Finished(process.returncode, stopped_for, ended - started, warnings, kept)


def _pump(
    process: "subprocess.Popen[bytes]",
    tree: CommandProcesses,
    sinks: Mapping[int, CappedStream],
    deadline: float,
    limits: RunLimits,
    warnings: list[str],
    keep_background: bool,
    disk: DiskWatch | None,
) -> tuple[StopReason | None, float]:
    """Copy output to the sinks until the command ended and both pipes closed; returns why we stopped
    the command (None if it ended on its own) and when it ended."""
    selector = selectors.DefaultSelector()
    for fd, sink in sinks.items():
        os.set_blocking(fd, False)
        selector.register(fd, selectors.EVENT_READ, sink)
    stopped_for: StopReason | None = None
    terminated_at: float | None = None
    killed = False
    exited_at: float | None = None
    backstop = deadline + limits.term_grace_seconds + limits.backstop_seconds
    while True:
        now = time.monotonic()
        if exited_at is None and process.poll() is not None:
            exited_at = now
            if not keep_background:
                tree.kill_all()  # leftovers in the background would hold the pipes open
        if exited_at is not None and not selector.get_map():
            break
        if stopped_for is None and now >= deadline:
            stopped_for = "timeout"
        if stopped_for is None and exited_at is None and disk is not None and disk.exceeded():
            stopped_for = "disk_limit"
            warnings.append(disk.describe())
        if stopped_for is not None and terminated_at is None:
            tree.terminate()
            terminated_at = now
        if not killed and terminated_at is not None and now >= terminated_at + limits.term_grace_seconds:
            tree.kill_all()
            killed = True
        if exited_at is not None and now >= exited_at + DRAIN_SECONDS:
            warnings.append("output pipes still open after the command ended; stopped reading")
            break
        if now >= backstop:
            warnings.append(f"gave up waiting for the command {limits.backstop_seconds:g} s after SIGKILL")
            break
        if not selector.get_map():
            _wait_briefly(process)
        elif _copy_ready(selector) > limits.output_kill_bytes and stopped_for is None:
            stopped_for = "output_limit"
    selector.close()
    return stopped_for, exited_at if exited_at is not None else time.monotonic()


def _copy_ready(selector: selectors.BaseSelector) -> int:
    """Copy what is readable now into the sinks; returns the largest total a sink has received."""
    largest = 0
    for key, _ in selector.select(POLL_SECONDS):
        sink: CappedStream = key.data
        data = os.read(key.fd, READ_CHUNK_BYTES)
        if data:
            sink.write(data)
        else:
            selector.unregister(key.fd)
        largest = max(largest, sink.total)
    return largest


def _wait_briefly(process: "subprocess.Popen[bytes]") -> None:
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=POLL_SECONDS)
