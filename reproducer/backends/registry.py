"""The one place a backend name is read: which backends exist, opening a session of one, and what is
done for a backend without opening a session (sweeping an earlier runner's leftovers)."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args

from reproducer.errors import WorkFailed
from reproducer.sandbox.limits import DEFAULT_MAX_DISK_GB, DEFAULT_MAX_MEMORY_GB, GIB, RunLimits

if TYPE_CHECKING:  # the registry itself stays light: settings and the CLI read its names at start-up
    from reproducer.backends.base import Backend

BackendName = Literal["local", "docker", "auto"]
BACKEND_NAMES: tuple[str, ...] = get_args(BackendName)


@dataclass(frozen=True)
class SessionOptions:
    """What a session is opened with: the uv cache (local), the run id its resources are labelled
    with (Docker), what the local backend's commands may write, and the memory of every sandbox."""

    cache_root: Path | None = None
    run_id: str | None = None
    max_disk_gb: float = DEFAULT_MAX_DISK_GB
    max_memory_gb: float = DEFAULT_MAX_MEMORY_GB

    def limits(self) -> RunLimits:
        return RunLimits(disk_bytes=int(self.max_disk_gb * GIB), memory_bytes=int(self.max_memory_gb * GIB))


def _open_local(options: SessionOptions) -> "Backend":
    from reproducer.backends.local import LocalBackend

    return LocalBackend(options.cache_root, options.limits())


def _open_docker(options: SessionOptions) -> "Backend":
    from reproducer.backends.docker import DockerBackend

    return DockerBackend(options.run_id, options.limits())


def _docker_answers() -> bool:
    from reproducer.docker import engine_problem

    return engine_problem() is None


# Every registered backend, by name; `auto` is not one of them but a choice between them.
OPENERS: dict[str, Callable[[SessionOptions], "Backend"]] = {"local": _open_local, "docker": _open_docker}
# The backends whose sessions leave engine resources behind a dead runner (see `sweep_leftovers`).
LEAVES_RESOURCES = frozenset({"docker"})


def resolve(name: str) -> str:
    """The registered backend `name` stands for: `auto` is Docker whenever an engine answers, else local."""
    if name == "auto":
        return "docker" if _docker_answers() else "local"
    if name not in OPENERS:
        raise WorkFailed(f"unknown backend {name!r}; the backends are: {', '.join(BACKEND_NAMES)}")
    return name


def open_backend(
    name: str,
    *,
    cache_root: Path | None = None,
    run_id: str | None = None,
    max_disk_gb: float = DEFAULT_MAX_DISK_GB,
    max_memory_gb: float = DEFAULT_MAX_MEMORY_GB,
) -> "Backend":
    """A session of the backend called `name` (see `resolve`); the caller closes it. `max_disk_gb` caps
    what the local backend's commands may write (the workspace and HOME), `max_memory_gb` what any of
    its sandboxes may hold in memory (a cgroup locally, the container's limit on Docker)."""
    options = SessionOptions(
        cache_root=cache_root, run_id=run_id, max_disk_gb=max_disk_gb, max_memory_gb=max_memory_gb
    )
    return OPENERS[resolve(name)](options)


def may_leave_resources(name: str) -> bool:
    """Whether a runner of backend `name` (`auto` included) may have left engine resources behind."""
    return name == "auto" or name in LEAVES_RESOURCES


def sweep_leftovers(name: str, run_id: str | None) -> tuple[list[str], list[str]]:
    """Before a bench resumes: remove what runners of `run_id` (or dead runners) left, for a backend that
    leaves resources. Returns (what was removed, notes on what could not be looked at)."""
    if not may_leave_resources(name):
        return [], []
    try:
        session = open_backend("docker", run_id=run_id)
    except WorkFailed as error:
        return [], [f"containers of earlier runs were not looked for: {error}"]
    swept = list(getattr(session, "swept", []))
    try:
        return swept + (session.cleanup(run_id) if run_id is not None else []), []
    except WorkFailed as error:
        return [], [str(error)]
    finally:
        session.close()


def _remove_docker_leftovers(run_id: str | None, everything: bool) -> list[str]:
    from reproducer.docker.cleanup import sweep
    from reproducer.docker.engine import connect

    client = connect()
    try:
        removed = sweep(client, run_id=run_id, everything=everything)
    finally:
        client.close()
    return [f"removed {item.kind} {item.name}: {item.reason}" for item in removed]


# For `reproducer cleanup`: each backend that leaves resources, and how to remove them.
REMOVERS: dict[str, Callable[[str | None, bool], list[str]]] = {"docker": _remove_docker_leftovers}


def remove_leftovers(*, run_id: str | None, everything: bool) -> list[str]:
    """Remove what runs left behind on every backend that leaves resources: by default what is past its
    deadline or whose runner is gone, `run_id`'s whatever its state, or `everything` of ours."""
    return [line for name in sorted(LEAVES_RESOURCES) for line in REMOVERS[name](run_id, everything)]
