"""One `docker exec` with its output streamed to capped files, and a host-side backstop.

The command's own timeout runs inside the container (coreutils `timeout`, see sandbox.py): `docker exec`
forwards no signal. The host only watches: a reader thread copies the demultiplexed stream into the
sinks while this thread checks the output cap, notices when the exec's process has ended but its output
stays open (a background process holds it), watches the workspace's size (the bind-mounted capsule is
the host's disk: a `DiskWatch` past its cap stops the command as "disk_limit"), and, if the stream
outlives timeout + grace + backstop, kills the command's processes from inside and at last the container.
"""

import contextlib
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

import docker

from reproducer.sandbox.capture import CappedStream
from reproducer.sandbox.disk import DiskWatch
from reproducer.sandbox.limits import RunLimits
from reproducer.sandbox.runner import Finished, StopReason

POLL_SECONDS = 0.2
# After the exec's process ended and its leftovers were killed, the output closes at once; if it does not
# (a process we could not kill holds it), we stop reading after this long.
DRAIN_SECONDS = 5.0
# Background jobs kept running may hold the output open for good: what they print after the command
# ended is not its output, so we stop reading soon.
KEPT_DRAIN_SECONDS = 0.5
# After the backstop's SIGKILL, how long the stream may stay open before the container is killed.
CONTAINER_KILL_SECONDS = 10.0
JOIN_SECONDS = 5.0


class Stopper(Protocol):
    """How the watcher stops a command it gave up on, from gentle to final."""

    def terminate(self) -> None: ...

    def kill(self) -> None: ...

    def leftovers(self) -> bool:
        """The command's process has ended: deal with what it left running (which may hold the output
        open); True when that keeps running."""

    def kill_container(self) -> None: ...


def _copy(frames: Iterable[tuple[bytes | None, bytes | None]], out: CappedStream, err: CappedStream) -> None:
    # Ends when the engine closes the stream, or when the watcher closes it under us (an OSError, or a
    # ValueError from a sink it had to close before this thread ended).
    with contextlib.suppress(OSError, ValueError, docker.errors.DockerException):
        for stdout, stderr in frames:
            if stdout:
                out.write(stdout)
            if stderr:
                err.write(stderr)


def _running(api: Any, exec_id: str) -> bool:
    try:
        return bool(api.exec_inspect(exec_id).get("Running"))
    except (docker.errors.DockerException, OSError):
        return False


def run_exec(
    api: Any,
    container_id: str,
    argv: Sequence[str],
    *,
    user: str,
    env: Mapping[str, str],
    workdir: str,
    timeout: float,
    limits: RunLimits,
    stdout: CappedStream,
    stderr: CappedStream,
    stopper: Stopper,
    disk: DiskWatch | None = None,
) -> Finished:
    """Run `argv` in the container and stream its output into the sinks. `returncode` is the exec's exit
    code (None when it could not be read: the process outlived us, or the container is gone). A `disk`
    watch past its cap stops the command (SIGTERM, grace, SIGKILL) as "disk_limit"."""
    created = api.exec_create(container_id, list(argv), user=user, environment=dict(env), workdir=workdir)
    exec_id = created["Id"]
    started = time.monotonic()
    stream = api.exec_start(exec_id, stream=True, demux=True)
    reader = threading.Thread(target=_copy, args=(stream, stdout, stderr), daemon=True)
    reader.start()
    warnings: list[str] = []
    stopped_for: StopReason | None = None
    ended: float | None = None
    if disk is not None:
        disk.start_command()
    try:
        stopped_for, ended = _watch(
            api, exec_id, reader, stdout, stderr, started, timeout, limits, stopper, warnings, disk
        )
    finally:
        if reader.is_alive():
            stream.close()
            reader.join(JOIN_SECONDS)
    ended = ended or time.monotonic()
    try:
        info = api.exec_inspect(exec_id)
    except (docker.errors.DockerException, OSError):
        info = {"Running": True}
    returncode = None if info.get("Running") else info.get("ExitCode")
    return Finished(returncode, stopped_for, ended - started, warnings)


def _watch(
    api: Any,
    exec_id: str,
    reader: threading.Thread,
    stdout: CappedStream,
    stderr: CappedStream,
    started: float,
    timeout: float,
    limits: RunLimits,
    stopper: Stopper,
    warnings: list[str],
    disk: DiskWatch | None,
) -> tuple[StopReason | None, float]:
    """Wait for the stream to end; returns why the host stopped the command (if it did) and when the
    command ended."""
    backstop = started + timeout + limits.term_grace_seconds + limits.backstop_seconds
    stopped_for: StopReason | None = None
    terminated_at: float | None = None
    killed_at: float | None = None
    exited_at: float | None = None
    drain = DRAIN_SECONDS
    while True:
        reader.join(POLL_SECONDS)
        now = time.monotonic()
        if not reader.is_alive():
            return stopped_for, exited_at or now
        if stopped_for is None and max(stdout.total, stderr.total) > limits.output_kill_bytes:
            stopped_for, terminated_at = "output_limit", now
            stopper.terminate()
        if stopped_for is None and exited_at is None and disk is not None and disk.exceeded():
            stopped_for, terminated_at = "disk_limit", now
            warnings.append(disk.describe())
            stopper.terminate()
        if (
            killed_at is None
            and terminated_at is not None
            and now >= terminated_at + limits.term_grace_seconds
        ):
            killed_at = now
            stopper.kill()
        if exited_at is None and not _running(api, exec_id):
            exited_at = now
            drain = KEPT_DRAIN_SECONDS if stopper.leftovers() else DRAIN_SECONDS
        if exited_at is not None and now >= exited_at + drain:
            if drain == DRAIN_SECONDS:
                warnings.append("output still open after the command ended and its leftovers were killed")
            return stopped_for, exited_at
        if killed_at is None and now >= backstop:
            overrun = limits.term_grace_seconds + limits.backstop_seconds
            warnings.append(f"the command outlived its timeout by {overrun:g} s; killed from the host")
            stopped_for, killed_at = stopped_for or "timeout", now
            stopper.kill()
        if killed_at is not None and now >= killed_at + CONTAINER_KILL_SECONDS:
            warnings.append("the command's processes survived SIGKILL; the container was killed")
            stopper.kill_container()
            return stopped_for, now
