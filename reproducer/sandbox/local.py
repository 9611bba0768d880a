"""A sandbox on this machine: bubblewrap when it works here, else a plain process group."""

import getpass
import shutil
import tempfile
import threading
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Literal

from reproducer.errors import BadInput, WorkFailed
from reproducer.sandbox.base import ExecResult
from reproducer.sandbox.bwrap import CODE_OCEAN_DIRS, bwrap_caveat, bwrap_command, bwrap_problem
from reproducer.sandbox.cgroup import RunCgroup, create_cgroup
from reproducer.sandbox.disk import DiskWatch
from reproducer.sandbox.env import child_env
from reproducer.sandbox.files import list_workspace_files, read_workspace_file, write_workspace_file
from reproducer.sandbox.hostview import interpreter_roots
from reproducer.sandbox.limits import RunLimits
from reproducer.sandbox.oom import oom_kills
from reproducer.sandbox.paths import resolve_inside
from reproducer.sandbox.procs import CommandProcesses
from reproducer.sandbox.recording import Recording
from reproducer.sandbox.runner import run_streaming
from reproducer.sandbox.session import Session
from reproducer.sandbox.status import classify

SandboxKind = Literal["bwrap", "plain"]
BASH = shutil.which("bash") or "/bin/bash"
PLAIN_MODE_WARNINGS = (
    f"plain mode ISOLATES NOTHING: the command runs on the host as {getpass.getuser()}, with every file, "
    "secret, process and network this user can reach; use it only for code you trust",
    "plain mode: absolute /code, /data, /results do not exist; capsule code must use relative paths",
    "plain mode: stray processes are found by process group and an environment marker (best-effort)",
)


class LocalSandbox:
    """Runs `bash -c COMMAND` in `capsule_dir` (the workspace root) and logs every command to `log_dir`.

    Under bubblewrap (see `bwrap`) the command runs as an unprivileged uid without capabilities and
    sees only the system directories, its interpreters and environments, the capsule (also at
    `/capsule`, `/code`, `/data`, `/results`) and HOME, the only writable places besides a private
    `/tmp`; the network is off unless `network`. Each command runs in a cgroup of its own limited to
    `limits` (memory, processes, CPU), else under rlimits; the capsule and HOME together may grow by
    `limits.disk_bytes` while the sandbox lives. `sandbox_kind` and `kind_reason` say which mode is
    used and why; plain mode isolates nothing. Every process a command started is killed when it
    returns, unless `keep_background`: then what a command left running in the background
    (`nohup job > out.log 2>&1 &`) runs on until `stop()`, in one sandbox that lives across commands
    (its PID namespace kept, see `session`) and one cgroup. A command stopped for its timeout, output
    or disk use still loses every process it started.
    """

    def __init__(
        self,
        capsule_dir: Path,
        log_dir: Path,
        *,
        bin_dirs: Sequence[Path] = (),
        use_bwrap: bool | None = None,
        network: bool = False,
        limits: RunLimits = RunLimits(),  # noqa: B008 - immutable
        home_dir: Path | None = None,
        keep_background: bool = False,
    ) -> None:
        if not capsule_dir.is_dir():
            raise BadInput(f"{capsule_dir}: capsule directory does not exist")
        self.capsule_dir = capsule_dir.resolve()
        self.log_dir = log_dir.absolute()
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.bin_dirs = [d.absolute() for d in bin_dirs]
        self.network = network
        self.limits = limits
        self.sandbox_kind, self.kind_reason = _choose_kind(use_bwrap)
        self.warnings = list(PLAIN_MODE_WARNINGS) if self.sandbox_kind == "plain" else []
        caveat = bwrap_caveat() if self.sandbox_kind == "bwrap" else None
        self.warnings += [caveat] if caveat else []
        self._own_home = home_dir is None
        self.home = home_dir.absolute() if home_dir else Path(tempfile.mkdtemp(prefix="reproducer-home-"))
        self.home.mkdir(parents=True, exist_ok=True)
        # Code Ocean capsules write to ../results and expect the three dirs to exist.
        for name in CODE_OCEAN_DIRS:
            if (self.capsule_dir / name).exists() and not (self.capsule_dir / name).is_dir():
                raise BadInput(f"{self.capsule_dir / name}: expected a directory, found a file")
            (self.capsule_dir / name).mkdir(exist_ok=True)
        self._stopped = False
        self.keep_background = keep_background
        self._background: list[CommandProcesses] = []
        self._session: Session | None = None
        self._idle = threading.Event()  # set while no command runs
        self._between = threading.Lock()  # held while the guard judges the idle time, or a command starts
        self._halt = threading.Event()
        self._guard: threading.Thread | None = None
        self._pending: list[str] = []
        self._shared_cgroup: RunCgroup | None = None
        self.disk = DiskWatch([self.capsule_dir, self.home], limits.disk_bytes, limits.disk_poll_seconds)

    def exec(
        self,
        command: str,
        *,
        cwd: str = ".",
        timeout: float,
        env: Mapping[str, str] | None = None,
        log_name: str | None = None,
    ) -> ExecResult:
        """Run `command` with `bash -c` from `cwd` (relative to the capsule); stop it after `timeout` s."""
        if self._stopped:
            raise WorkFailed("the sandbox was stopped; no more commands can run in it")
        workdir = resolve_inside(self.capsule_dir, cwd)
        if not workdir.is_dir():
            raise BadInput(f"{cwd}: working directory does not exist in {self.capsule_dir}")
        if timeout <= 0:
            raise BadInput(f"timeout must be positive, not {timeout}")
        marker = uuid.uuid4().hex
        child = child_env(
            bin_dirs=self.bin_dirs,
            home=self.home,
            marker=marker,
            network=self.network,
            threads=self.limits.threads,
            extra=env,
        )
        with self._between:
            self._idle.clear()
        cgroup, warnings = self._cgroup()
        warnings += self._take_pending()
        argv = self._argv(command, workdir, child)
        self.disk.start_command()
        ooms_before = cgroup.oom_kills() if cgroup is not None else oom_kills()
        try:
            with Recording(self.capsule_dir, self.log_dir, self.limits, log_name) as recording:
                try:
                    finished = run_streaming(
                        argv,
                        cwd=workdir,
                        env=child,
                        timeout=timeout,
                        limits=self.limits,
                        marker=marker,
                        bubblewrapped=self.sandbox_kind == "bwrap" and not self.keep_background,
                        stdout=recording.out,
                        stderr=recording.err,
                        keep_background=self.keep_background,
                        cgroup=cgroup,
                        shared=self.keep_background,
                        disk=self.disk,
                    )
                except OSError as error:
                    raise WorkFailed(f"could not start {argv[0]}: {error}") from error
            ooms_after = cgroup.oom_kills() if cgroup is not None else oom_kills()
        finally:
            if cgroup is not None and not self.keep_background:
                cgroup.remove()
            self._idle.set()
        if finished.kept is not None:
            self._background.append(finished.kept)
        if self.keep_background and finished.stopped_for == "disk_limit":
            self._end_background(finished.warnings)
        self._start_guard()
        status, exit_code = classify(finished, ooms_after is not None and ooms_after != ooms_before)
        return recording.result(
            command=command,
            cwd=cwd,
            status=status,
            exit_code=exit_code,
            wall_seconds=finished.wall_seconds,
            sandbox_kind=self.sandbox_kind,
            warnings=[*warnings, *finished.warnings],
        )

    def _cgroup(self) -> tuple[RunCgroup | None, list[str]]:
        """The cgroup the next command runs in (its own, or the sandbox's with `keep_background`), and
        the warnings of this mode."""
        warnings = list(PLAIN_MODE_WARNINGS[:1]) if self.sandbox_kind == "plain" else list(self.warnings)
        if self.keep_background and self._shared_cgroup is not None:
            return self._shared_cgroup, warnings
        cgroup, how = create_cgroup(self.limits)
        if cgroup is None:
            warnings.append(how)
        elif self.keep_background:
            self._shared_cgroup = cgroup
        return cgroup, warnings

    def read_file(self, path: str) -> bytes:
        return read_workspace_file(self.capsule_dir, path)

    def write_file(self, path: str, data: bytes) -> None:
        write_workspace_file(self.capsule_dir, path, data)

    def list_files(self, path: str = ".") -> list[str]:
        """Files under `path`, recursively, relative to the workspace root (version-control dirs skipped)."""
        return list_workspace_files(self.capsule_dir, path, self.limits.max_snapshot_files)

    def _start_guard(self) -> None:
        """With `keep_background`, a thread stopping background jobs that pass the disk cap between
        commands (a command's own run is watched by `run_streaming`)."""
        if self.keep_background and self._guard is None:
            self._guard = threading.Thread(target=self._watch_background, daemon=True, name="disk-guard")
            self._guard.start()

    def _watch_background(self) -> None:
        while not self._halt.wait(self.limits.disk_poll_seconds):
            with self._between:
                if self._idle.is_set() and self.disk.over_cap():
                    self._end_background(self._pending)

    def _end_background(self, into: list[str]) -> None:
        """Kill every background job (and the session holding them), saying why in `into`."""
        if self._session is not None:
            self._session.stop()
            self._session = None
        for processes in self._background:
            processes.kill_all()
        self._background.clear()
        if self._shared_cgroup is not None:
            self._shared_cgroup.kill()
        into.append(f"{self.disk.describe()}: every background job was stopped")

    def _take_pending(self) -> list[str]:
        taken, self._pending = self._pending, []
        return taken

    def stop(self) -> None:
        """Refuse further commands, kill what runs in the background and remove the private HOME (when
        the sandbox made it)."""
        self._stopped = True
        self._halt.set()
        if self._guard is not None:
            self._guard.join()
        if self._session is not None:
            self._session.stop()
        for processes in self._background:
            processes.kill_all()
        self._background.clear()
        if self._shared_cgroup is not None:
            self._shared_cgroup.remove()
        if self._own_home:
            shutil.rmtree(self.home, ignore_errors=True)

    def __enter__(self) -> "LocalSandbox":
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def _argv(self, command: str, workdir: Path, env: Mapping[str, str]) -> list[str]:
        argv = [BASH, "-c", command]
        if self.sandbox_kind == "plain":
            return argv
        if not self.keep_background:
            return self._bwrap(argv, workdir, env)
        if self._session is None or not self._session.alive():
            if self._session is not None:
                self._session.stop()
            bwrap = self._bwrap([], self.capsule_dir, env)
            self._session = Session(bwrap, env, self.limits, self._shared_cgroup)
        return self._session.enter(argv, workdir)

    def _bwrap(self, argv: Sequence[str], workdir: Path, env: Mapping[str, str]) -> list[str]:
        return bwrap_command(
            argv,
            capsule_dir=self.capsule_dir,
            cwd=workdir,
            read_only=[p for p in interpreter_roots(self.bin_dirs) if not p.is_relative_to(self.capsule_dir)],
            writable=[self.home],
            env=env,
            network=self.network,
            tmp_bytes=self.limits.tmp_bytes,
        )


def _choose_kind(use_bwrap: bool | None) -> tuple[SandboxKind, str]:
    if use_bwrap is False:
        return "plain", "bubblewrap disabled by the caller"
    problem = bwrap_problem()
    if problem is None:
        return "bwrap", "bubblewrap works here"
    if use_bwrap:
        raise WorkFailed(f"bubblewrap was required but {problem}")
    return "plain", problem
