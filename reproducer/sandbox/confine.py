"""One untrusted helper command outside a workspace (an environment build, an import check), confined
like a capsule's: bubblewrap with only the given paths, a cgroup with the run's limits, the allowlisted
environment, a time limit, and output captured to capped files rather than to the runner's memory.

Without bubblewrap the command runs on the host (with the same environment, limits and time limit);
`Completed.confined` says which, so callers can record it.
"""

import contextlib
import os
import signal
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from reproducer.sandbox.bwrap import bwrap_command, bwrap_problem
from reproducer.sandbox.capture import drop_marker
from reproducer.sandbox.cgroup import RunCgroup, create_cgroup
from reproducer.sandbox.limits import RunLimits
from reproducer.sandbox.rlimits import rlimit_setter

OUTPUT_CAP_BYTES = 16 * 1024 * 1024
REAP_SECONDS = 10.0


@dataclass(frozen=True)
class Completed:
    returncode: int | None  # None: stopped at the time limit
    stdout: str
    stderr: str
    oom: bool
    confined: bool


def run_confined(
    argv: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    read_only: Sequence[Path],
    writable: Sequence[Path],
    network: bool,
    timeout: float,
    limits: RunLimits = RunLimits(),  # noqa: B008 - immutable
    stdin: str | None = None,
    placed: Mapping[Path, Path] | None = None,
) -> Completed:
    """Run `argv` from `cwd` seeing the system, `read_only` and `writable` (with `cwd` among them), and
    `placed` host files at the paths inside given (when confined; `argv` names them by those paths)."""
    confined = bwrap_problem() is None
    if confined:
        argv = bwrap_command(
            argv,
            capsule_dir=None,
            cwd=cwd,
            read_only=[p for p in dict.fromkeys(read_only) if p.exists()],
            writable=[p for p in dict.fromkeys([cwd, *writable]) if p.exists()],
            env=env,
            network=network,
            tmp_bytes=limits.tmp_bytes,
            placed=placed,
        )
    else:
        inside = {str(path): str(source) for source, path in (placed or {}).items()}
        argv = [inside.get(arg, arg) for arg in argv]
    cgroup, _ = create_cgroup(limits)
    enter = cgroup.enter() if cgroup is not None else None
    try:
        with tempfile.TemporaryDirectory(prefix="reproducer-confined-") as scratch:
            out_path, err_path = Path(scratch, "stdout"), Path(scratch, "stderr")
            with out_path.open("wb") as out, err_path.open("wb") as err:
                process = subprocess.Popen(
                    argv,
                    cwd=cwd,
                    env=env,
                    stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                    stdout=out,
                    stderr=err,
                    start_new_session=True,
                    preexec_fn=rlimit_setter(limits, cgroup=cgroup is not None, then=enter),
                )
                code: int | None
                try:
                    process.communicate(stdin.encode() if stdin is not None else None, timeout=timeout)
                    code = process.returncode
                except subprocess.TimeoutExpired:
                    code = None
                finally:
                    _stop(process, cgroup)
            oom = cgroup is not None and cgroup.oom_kills() > 0
            return Completed(code, _read_capped(out_path), _read_capped(err_path), oom, confined)
    finally:
        if cgroup is not None:
            cgroup.remove()


def _stop(process: "subprocess.Popen[bytes]", cgroup: RunCgroup | None) -> None:
    """Kill whatever of the command still runs (its group, its cgroup) and reap it."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    if cgroup is not None:
        cgroup.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=REAP_SECONDS)


def _read_capped(path: Path) -> str:
    size = path.stat().st_size
    with path.open("rb") as file:
        if size <= OUTPUT_CAP_BYTES:
            return file.read().decode(errors="replace")
        head = file.read(OUTPUT_CAP_BYTES // 2)
        file.seek(size - OUTPUT_CAP_BYTES // 2)
        tail = file.read()
    dropped = size - len(head) - len(tail)
    return head.decode(errors="replace") + drop_marker(dropped) + tail.decode(errors="replace")
