"""A sandbox in a hardened Docker container: one container per attempt, setup profile then run profile."""

import os
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import Any

import docker

from reproducer.docker.cleanup import Removed, sweep
from reproducer.docker.container import (
    CAPSULE_MOUNT,
    TMP,
    VAR_TMP,
    ContainerSpec,
    HomeDir,
    Started,
    create_volume,
    describe,
    forget_name_servers,
    prepare_container,
    remove_container,
    remove_network,
    remove_volume,
    run_quietly,
    start_container,
)
from reproducer.docker.dockerfile import CRAN_MIRROR
from reproducer.docker.egress import IndexEgress, index_hosts_for
from reproducer.docker.engine import connect
from reproducer.docker.env import container_env, host_ca_bundle
from reproducer.docker.exec import run_exec
from reproducer.docker.labels import resource_name, sandbox_labels, workspace_labels
from reproducer.docker.limits import ContainerLimits
from reproducer.docker.ownership import Handover, Owner
from reproducer.docker.procs import CommandStopper, ContainerProcesses, Report
from reproducer.docker.profiles import (
    ROOT_HOME,
    ROOT_USER,
    SETUP,
    ProfileSettings,
    run_identity,
    run_profile,
)
from reproducer.docker.status import classify, stopped_by_sandbox
from reproducer.errors import BadInput, WorkFailed
from reproducer.sandbox.base import ExecResult
from reproducer.sandbox.bwrap import CODE_OCEAN_DIRS
from reproducer.sandbox.disk import DiskWatch
from reproducer.sandbox.files import list_workspace_files, read_workspace_file, write_workspace_file
from reproducer.sandbox.limits import RunLimits
from reproducer.sandbox.paths import relative_to_root, resolve_inside
from reproducer.sandbox.recording import Recording

# Only for a sandbox opened without its task's limits; the pipeline gives each one its task's time.
DEFAULT_LIFETIME_SECONDS = 2 * 3600
# A command's timeout is cut so that it ends this long before the container's own end.
LIFETIME_MARGIN_SECONDS = 30.0
MIN_TIMEOUT_SECONDS = 0.01
# /tmp with less room than this after a failed command: the command filled it.
TMP_FULL_BYTES = 1024 * 1024
TMP_FREE = ["df", "-B1", "--output=avail", TMP, VAR_TMP]
DOCKER_SOCKETS = (Path("/var/run/docker.sock"), Path("/run/docker.sock"))


def lifetime_for(seconds: float | None, limits: RunLimits = RunLimits()) -> float:  # noqa: B008 - immutable
    """A container's lifetime for work that may take `seconds`: that, plus each command's grace and the
    margin kept before the end (DEFAULT_LIFETIME_SECONDS when the work's length is unknown)."""
    if seconds is None:
        return DEFAULT_LIFETIME_SECONDS
    return seconds + limits.term_grace_seconds + limits.backstop_seconds + 2 * LIFETIME_MARGIN_SECONDS


class DockerSandbox:
    """Runs `bash -c COMMAND` in a container of `image`, with the capsule dir (the workspace root) bound
    at /capsule (and /code, /data, /results linking into it); every command is logged to `log_dir`.

    With `setup`, the container starts in the setup profile (root, on an internal network from which only
    the package indexes are reachable, through the runner's proxy: egress.py); `enter_run_profile()`
    switches it, for good, to the run profile (uid 1000 or the non-root runner's uid, no network), in
    which it starts otherwise. The container ends by itself after `lifetime_seconds` (give the task's time
    budget), and within seconds of this process's end, however it ends (see container.py's lease).
    `bin_dirs` are container paths put first on PATH. After each command every process it left
    is killed, unless `keep_background` (here, or for one call of `exec`): then what it left running in
    the background lives on until the sandbox stops (a command the sandbox stopped is killed whole).
    `volumes` (name -> container path) are mounted; with `own_volumes` they are created first (with the
    sandbox's labels) and removed at stop, else they must exist. With `root_installs`, `exec(...,
    as_root=True)` runs a command as root without network (an installer's offline step, see
    installer.py), the container keeping CAP_CHOWN for root alone. Use as a context manager, or call
    `stop()`.
    """

    sandbox_kind = "docker"

    def __init__(
        self,
        capsule_dir: Path,
        log_dir: Path,
        *,
        image: str,
        run_id: str,
        task_id: str,
        setup: bool = False,
        bin_dirs: Sequence[str] = (),
        limits: RunLimits = RunLimits(),  # noqa: B008 - immutable
        container_limits: ContainerLimits = ContainerLimits(),  # noqa: B008 - immutable
        lifetime_seconds: float = DEFAULT_LIFETIME_SECONDS,
        client: Any = None,
        volumes: Mapping[str, str] | None = None,
        own_volumes: bool = False,
        keep_background: bool = False,
        root_installs: bool = False,
    ) -> None:
        self.capsule_dir = _checked_workspace(capsule_dir)
        # The capsule is a bind mount of the host's disk: only a watch on its size keeps a command from
        # filling it (the scratch folders are tmpfs, capped by size).
        self.disk = DiskWatch([self.capsule_dir], limits.disk_bytes, limits.disk_poll_seconds)
        self.log_dir = log_dir.absolute()
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.bin_dirs = list(bin_dirs)
        self.limits = limits
        self.container_limits = container_limits
        self.run_id, self.task_id = run_id, task_id
        self.name = resource_name(run_id, task_id)
        self.deadline = time.time() + lifetime_seconds
        self.warnings: list[str] = []
        identity = run_identity()
        self._run = run_profile(identity)
        self.profile: ProfileSettings = SETUP if setup else self._run
        run_user = Owner(identity.uid, identity.gid)
        self._run_ids = (identity.uid, identity.gid)
        self._workspace = Handover(self.capsule_dir, run_user, needed=identity.chown_workspace)
        self._client = client if client is not None else connect()
        self._own_client = client is None
        self._container_id: str | None = None
        self._network_id: str | None = None
        self._egress: IndexEgress | None = None
        self.keep_background = keep_background
        self.root_installs = root_installs
        self.volumes = dict(volumes or {})
        self._own_volumes: list[str] = []
        self._lease: Started | None = None
        self._gone: str | None = None
        self._stopped = False
        self._background = False
        self._ca_bundle = host_ca_bundle() if setup else None
        labels = sandbox_labels(run_id, task_id, self.deadline)
        if identity.chown_workspace:  # so that a sweep can give it back if this runner dies
            labels.update(workspace_labels(self.capsule_dir, self._workspace.original))
        try:
            self.swept: list[Removed] = sweep(self._client)
            for name in self.volumes if own_volumes else ():
                create_volume(self._client, name, labels)
                self._own_volumes.append(name)
            self._start(image, labels, setup, int(lifetime_seconds))
        except BaseException:
            self.stop()
            raise

    def _start(self, image: str, labels: dict[str, str], setup: bool, lifetime: int) -> None:
        if setup:
            hosts = index_hosts_for(os.environ, debian=True, cran=CRAN_MIRROR)
            self._egress = IndexEgress(self._client, self.name, labels, hosts)
            self._network_id = self._egress.network_id
        else:
            self._workspace.hand_over()
        spec = ContainerSpec(
            image=image,
            name=self.name,
            workspace=self.capsule_dir,
            labels=labels,
            limits=self.container_limits,
            lifetime_seconds=lifetime,
            setup=setup,
            network=self.name if setup else None,
            ca_bundle=self._ca_bundle,
            # A container that starts in the setup profile keeps root's image home (its tools live there).
            home=None if setup or self._run.home == TMP else HomeDir(self._run.home, *self._run_ids),
            volumes=tuple(self.volumes.items()),
            root_installs=self.root_installs,
        )
        self._lease = start_container(self._client, spec)
        self._container_id = str(self._lease.container.id)
        sleep_pid = prepare_container(self._client.api, self._container_id, setup=setup)
        self._procs = ContainerProcesses(self._client.api, self._container_id, (sleep_pid,))
        self._ooms = self._procs.oom_kills(self.profile.user)

    def enter_run_profile(self) -> None:
        """Switch to the run profile for good: what the setup profile left running is killed, the network
        is gone, and the workspace belongs to the run user."""
        if self.profile.name == "run":
            return
        self._check_usable()
        if not self._procs.kill(SETUP.user).clean:
            raise WorkFailed(f"{self.name}: processes of the setup profile survived SIGKILL")
        try:
            if self._network_id is not None:
                self._client.api.disconnect_container_from_network(
                    self._container_id, self._network_id, force=True
                )
                self._close_egress()
            forget_name_servers(self._client.api, str(self._container_id))
        except docker.errors.DockerException as error:
            raise WorkFailed(f"{self.name}: could not take the network away: {describe(error)}") from error
        self._workspace.hand_over()
        self.profile = self._run
        self._background = False

    def exec(
        self,
        command: str,
        *,
        cwd: str = ".",
        timeout: float,
        env: Mapping[str, str] | None = None,
        log_name: str | None = None,
        keep_background: bool | None = None,
        as_root: bool = False,
    ) -> ExecResult:
        """Run `command` with `bash -c` from `cwd` (relative to the capsule), stopped after `timeout` s.

        `keep_background` leaves what it started in the background running (unless it was stopped).
        Such jobs should send their output elsewhere (`nohup job > job.log 2>&1 &`): while one holds the
        command's output open, the engine holds up the next command for a few seconds.
        """
        self._check_usable()
        keep_background = self.keep_background if keep_background is None else keep_background
        if as_root and not self.root_installs:
            raise WorkFailed(f"{self.name}: opened without root_installs; no command runs as root in it")
        workdir = resolve_inside(self.capsule_dir, cwd)
        if not workdir.is_dir():
            raise BadInput(f"{cwd}: working directory does not exist in {self.capsule_dir}")
        if timeout <= 0:
            raise BadInput(f"timeout must be positive, not {timeout}")
        warnings: list[str] = []
        timeout = self._fit_in_lifetime(timeout, warnings)
        profile, marker = self.profile, uuid.uuid4().hex
        if as_root:  # the profile's network (none in the run profile), root's identity
            profile = replace(profile, user=ROOT_USER, home=ROOT_HOME)
            keep_background = False
        environment = container_env(
            profile,
            # Root's PATH is the system's alone: the environments in bin_dirs are written by package
            # builds and the run user's code, never to be run as root.
            bin_dirs=[] if as_root else self.bin_dirs,
            marker=marker,
            threads=self.container_limits.threads,
            ca_mounted=self._ca_bundle is not None,
            extra={**(self._egress.environment if self._egress else {}), **(env or {})},
        )
        refused_before = len(self._egress.proxy.refused) if self._egress else 0
        # `timeout 0` (or `-k 0`) would mean no timeout (or no SIGKILL) at all.
        grace, seconds = (
            max(value, MIN_TIMEOUT_SECONDS) for value in (self.limits.term_grace_seconds, timeout)
        )
        argv = ["timeout", "-k", f"{grace:.3f}", f"{seconds:.3f}", "bash", "-c", command]
        stopper = CommandStopper(self._procs, profile.user, marker, keep_background, self._kill_container)
        ooms_before = self._procs.oom_kills(profile.user) if self._background else self._ooms
        with Recording(self.capsule_dir, self.log_dir, self.limits, log_name) as recording:
            try:
                finished = run_exec(
                    self._client.api,
                    str(self._container_id),
                    argv,
                    user=profile.user,
                    env=environment,
                    workdir=str(PurePosixPath(CAPSULE_MOUNT, relative_to_root(self.capsule_dir, workdir))),
                    timeout=timeout,
                    limits=self.limits,
                    stdout=recording.out,
                    stderr=recording.err,
                    stopper=stopper,
                    disk=self.disk,
                )
            except BaseException as error:  # even on Ctrl-C, nothing of the command runs on
                self._settle(profile.user, marker, keep_background=False, stopped=True)
                if isinstance(error, docker.errors.DockerException | OSError):
                    raise WorkFailed(
                        f"{self.name}: could not run the command: {self._why_failed(error)}"
                    ) from error
                raise
        stopped = stopped_by_sandbox(finished, timeout=timeout)
        background = self._background
        report = self._settle(profile.user, marker, keep_background=keep_background, stopped=stopped)
        if as_root:  # the run user's background jobs (if any) still run
            self._background = background
        if not report.clean:
            warnings.append("processes of the command survived SIGKILL")
        oom = report.oom_kills is not None and ooms_before is not None and report.oom_kills > ooms_before
        status, exit_code = classify(finished, timeout=timeout, oom_killed=oom)
        if status in ("error", "killed") and self._tmp_full():
            status = "disk_limit"
            warnings.append(
                "/tmp, /var/tmp or the home is full "
                f"(each a tmpfs of {self.container_limits.tmp_bytes} bytes)"
            )
        if self._egress and (refused := sorted(set(self._egress.proxy.refused[refused_before:]))):
            warnings.append(f"egress refused (only the package indexes are reachable): {', '.join(refused)}")
        if oom and status != "oom":
            warnings.append("the OOM killer ended a process in the container during the command")
        return recording.result(
            command=command,
            cwd=cwd,
            status=status,
            exit_code=exit_code,
            wall_seconds=finished.wall_seconds,
            sandbox_kind=self.sandbox_kind,
            warnings=[*warnings, *finished.warnings],
        )

    def read_file(self, path: str) -> bytes:
        return read_workspace_file(self.capsule_dir, path)

    def write_file(self, path: str, data: bytes) -> None:
        """Write a workspace file from the host; in the run profile it belongs to the run user."""
        write_workspace_file(self.capsule_dir, path, data)
        self._workspace.adopt(resolve_inside(self.capsule_dir, path))

    def list_files(self, path: str = ".") -> list[str]:
        """Files under `path`, recursively, relative to the workspace root (version-control dirs skipped)."""
        return list_workspace_files(self.capsule_dir, path, self.limits.max_snapshot_files)

    def stop(self) -> None:
        """Remove the container and its network, and give the workspace back to its owner. Idempotent;
        problems become `warnings`, never exceptions (stop runs in `finally` blocks)."""
        if self._stopped:
            return
        self._stopped = True
        try:
            if self._lease is not None:
                self._lease.release()
            if self._container_id is not None:
                remove_container(self._client, self._container_id)
            self._close_egress()
            for name in self._own_volumes:
                remove_volume(self._client, name)
        except (docker.errors.DockerException, OSError) as error:
            self.warnings.append(
                f"{self.name}: could not remove the container, network or volumes: {describe(error)}"
            )
        self.warnings += self._workspace.give_back()
        if self._own_client:
            self._client.close()

    def __enter__(self) -> "DockerSandbox":
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def container_id(self) -> str | None:
        return self._container_id

    @property
    def processes(self) -> ContainerProcesses:
        """The container's processes, to signal them or read the OOM count (see procs.py)."""
        return self._procs

    def _settle(self, user: str, marker: str, *, keep_background: bool, stopped: bool) -> Report:
        """After a command: kill every process of the profile's user, or, keeping background jobs, only
        those of a command the sandbox stopped; and read the OOM count."""
        if not keep_background:
            report = self._procs.kill(user)
        elif stopped:
            report = self._procs.kill(user, marker)
        else:
            report = Report(clean=True, oom_kills=self._procs.oom_kills(user))
        self._ooms, self._background = report.oom_kills, keep_background
        return report

    def _fit_in_lifetime(self, timeout: float, warnings: list[str]) -> float:
        left = self.deadline - time.time() - LIFETIME_MARGIN_SECONDS - self.limits.term_grace_seconds
        if left <= 0:
            raise WorkFailed(f"{self.name}: the sandbox's lifetime is over; no more commands can run in it")
        if timeout > left:
            warnings.append(
                f"timeout cut from {timeout:g} s to {left:.0f} s: the sandbox's lifetime ends then"
            )
        return min(timeout, left)

    def _tmp_full(self) -> bool:
        """Whether one of the container's scratch tmpfs (/tmp, /var/tmp, the home) has less than
        TMP_FULL_BYTES left: a failed command that filled it ends as "disk_limit", not as an error."""
        argv = [*TMP_FREE, self.profile.home]
        try:
            code, output = run_quietly(self._client.api, str(self._container_id), argv, ROOT_USER)
        except (docker.errors.DockerException, OSError):
            return False
        free = [int(word) for word in output.split() if word.isdigit()]
        return code == 0 and any(room < TMP_FULL_BYTES for room in free)

    def _close_egress(self) -> None:
        """Stop the setup profile's index proxy and remove its network (no container may be on it)."""
        if self._egress is not None:
            self._egress.close()
        elif self._network_id is not None:
            remove_network(self._client, self._network_id)
        self._egress, self._network_id = None, None

    def _kill_container(self) -> None:
        self._gone = "it was killed because a command's processes survived SIGKILL"
        if self._container_id is not None:
            remove_container(self._client, self._container_id)

    def _check_usable(self) -> None:
        if self._stopped:
            raise WorkFailed("the sandbox was stopped; no more commands can run in it")
        if self._gone is not None:
            raise WorkFailed(f"{self.name}: the sandbox's container is gone: {self._gone}")

    def _why_failed(self, error: Exception) -> str:
        try:
            running = self._client.containers.get(self._container_id).status == "running"
        except docker.errors.NotFound:
            running = False
        except (docker.errors.DockerException, OSError):
            running = True
        if not running:
            self._gone = "it ended (its lifetime is over, or it was stopped from outside)"
            return f"the sandbox's container is gone: {self._gone}"
        return describe(error)


def _checked_workspace(capsule_dir: Path) -> Path:
    if not capsule_dir.is_dir():
        raise BadInput(f"{capsule_dir}: capsule directory does not exist")
    root = capsule_dir.resolve()
    for socket in DOCKER_SOCKETS:
        if socket.exists() and socket.resolve().is_relative_to(root):
            raise BadInput(f"{root}: holds the Docker socket {socket}; it cannot be a sandbox's workspace")
    # Code Ocean capsules write to ../results and expect the three dirs to exist.
    for name in CODE_OCEAN_DIRS:
        if (root / name).exists() and not (root / name).is_dir():
            raise BadInput(f"{root / name}: expected a directory, found a file")
        (root / name).mkdir(exist_ok=True)
    return root
