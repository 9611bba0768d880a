"""Where a capsule's environment is built and its code runs: this machine (uv + bubblewrap) or Docker.

A backend prepares the environment for a plan (raising `EnvironmentFailed` with a label), then opens
sandboxes over the staged capsule: one for the entry points, one for the LLM agent.
"""

import uuid
from pathlib import Path
from typing import Any, Literal, Protocol

from reproducer.agent.solve import local_agent_sandbox
from reproducer.agent.tools import Installer
from reproducer.envs import BuiltEnvironment, build_environment
from reproducer.envs.era import for_run_time
from reproducer.envs.interpreters import usable_minors
from reproducer.envs.ladder import RunTimeRung
from reproducer.envs.r_host import check_host_r, needs_r
from reproducer.plan.model import PIPELINE_EVIDENCE_FILE, Evidence, Plan, Requirement
from reproducer.sandbox.base import Sandbox
from reproducer.sandbox.bwrap import bwrap_problem
from reproducer.sandbox.limits import DEFAULT_MAX_DISK_GB, GIB, RunLimits
from reproducer.sandbox.local import LocalSandbox

BackendName = Literal["local", "docker", "auto"]
# Where the Docker environment image keeps the plan's Python packages.
IMAGE_VENV_BIN = "/opt/venv/bin"


class Backend(Protocol):
    name: str

    def prepare(
        self,
        plan: Plan,
        capsule_dir: Path,
        run_dir: Path,
        *,
        private: bool,
        extra: tuple[str, ...],
        run_time: RunTimeRung | None = None,
    ) -> str:
        """Build (or reuse) the plan's environment; returns a one-line description of what was done.

        With `run_time`, rebuild it on the run-time rung: capped at the plan's date, on the interpreter of
        that date this backend has (see reproducer.envs.era)."""
        ...

    def sandbox(
        self, capsule_dir: Path, run_dir: Path, task_id: str, *, seconds: float | None = None
    ) -> Sandbox:
        """A sandbox over the capsule; `seconds` is the most its work may take (its commands' timeouts
        summed), so that on Docker the container ends then, not at a fixed lifetime."""
        ...

    def agent_sandbox(
        self, capsule_dir: Path, run_dir: Path, task_id: str, *, seconds: float | None = None
    ) -> tuple[Sandbox, Installer | None]: ...


class LocalBackend:
    """A uv environment with an interpreter found on this machine; commands under bubblewrap."""

    name = "local"

    def __init__(self, cache_root: Path | None, limits: RunLimits = RunLimits()) -> None:  # noqa: B008
        self.cache_root = cache_root
        self.limits = limits
        self.environment: BuiltEnvironment | None = None

    def prepare(
        self,
        plan: Plan,
        capsule_dir: Path,
        run_dir: Path,
        *,
        private: bool,
        extra: tuple[str, ...],
        run_time: RunTimeRung | None = None,
    ) -> str:
        if needs_r(plan):
            check_host_r(plan)
        if run_time is not None:
            plan, run_time = for_run_time(plan, run_time, usable_minors())
        self.environment = build_environment(
            plan,
            run_dir,
            cache_root=self.cache_root,
            extra=extra,
            private=private,
            capsule_dir=capsule_dir,
            run_time=run_time,
        )
        done = f"{'reused' if self.environment.reused else 'built'} {self.environment.key[:12]}"
        problem = bwrap_problem()
        # Said where a user sees it, not only in the logs: without bubblewrap nothing is contained.
        return done if problem is None else f"{done}; NO ISOLATION: code runs on the host as is ({problem})"

    def sandbox(
        self, capsule_dir: Path, run_dir: Path, task_id: str, *, seconds: float | None = None
    ) -> Sandbox:
        bin_dirs = [self.environment.bin_dir] if self.environment else []
        return LocalSandbox(
            capsule_dir, run_dir / "logs", bin_dirs=bin_dirs, home_dir=run_dir / "home", limits=self.limits
        )

    def agent_sandbox(
        self, capsule_dir: Path, run_dir: Path, task_id: str, *, seconds: float | None = None
    ) -> tuple[Sandbox, Installer | None]:
        return local_agent_sandbox(run_dir, capsule_dir, self.limits)


class DockerBackend:
    """An image layered on our base image; one hardened container per sandbox, in the run profile."""

    name = "docker"

    def __init__(self, run_id: str | None = None) -> None:
        from reproducer.docker import connect, load_image_config
        from reproducer.docker.cleanup import sweep

        self.client: Any = connect()
        self.config = load_image_config()
        self.run_id = run_id or uuid.uuid4().hex[:12]
        self.image: str | None = None
        sweep(self.client)  # leftovers of runs whose runner died

    def prepare(
        self,
        plan: Plan,
        capsule_dir: Path,
        run_dir: Path,
        *,
        private: bool,
        extra: tuple[str, ...],
        run_time: RunTimeRung | None = None,
    ) -> str:
        from reproducer.docker.envimage import build_environment_image
        from reproducer.docker.images import configured_minors

        if run_time is not None:
            plan, run_time = for_run_time(plan, run_time, configured_minors(self.config))
        built = build_environment_image(
            _with_extra(plan, extra),
            run_dir,
            client=self.client,
            config=self.config,
            capsule_dir=capsule_dir,
            run_time=run_time,
        )
        self.image = built.tag
        return f"{'reused' if built.reused else 'built'} image {built.tag} ({built.mode}, on {built.base})"

    def sandbox(
        self, capsule_dir: Path, run_dir: Path, task_id: str, *, seconds: float | None = None
    ) -> Sandbox:
        from reproducer.docker.images import choose_base_image
        from reproducer.docker.sandbox import DockerSandbox, lifetime_for

        # Without a built environment (the Easy level), the default base image serves.
        image = self.image or choose_base_image(self.config, None, None).image
        return DockerSandbox(
            capsule_dir,
            run_dir / "logs",
            image=image,
            run_id=self.run_id,
            task_id=task_id,
            bin_dirs=[IMAGE_VENV_BIN] if self.image else [],
            client=self.client,
            lifetime_seconds=lifetime_for(seconds),
        )

    def agent_sandbox(
        self, capsule_dir: Path, run_dir: Path, task_id: str, *, seconds: float | None = None
    ) -> tuple[Sandbox, Installer | None]:
        # The run profile has no network: the agent cannot install packages in a container (yet).
        return self.sandbox(capsule_dir, run_dir, task_id, seconds=seconds), None


def open_backend(
    name: BackendName,
    *,
    cache_root: Path | None,
    run_id: str | None = None,
    max_disk_gb: float = DEFAULT_MAX_DISK_GB,
) -> Backend:
    """The backend called `name`; `auto` is Docker whenever an engine answers, else local. `max_disk_gb`
    caps what the local backend's commands may write (the workspace and HOME)."""
    if name == "auto":
        from reproducer.docker import engine_problem

        name = "docker" if engine_problem() is None else "local"
    if name == "docker":
        return DockerBackend(run_id)
    return LocalBackend(cache_root, RunLimits(disk_bytes=int(max_disk_gb * GIB)))


def _with_extra(plan: Plan, extra: tuple[str, ...]) -> Plan:
    if not extra:
        return plan
    why = "tools the pipeline needs to run this capsule's notebooks"
    evidence = Evidence(file=PIPELINE_EVIDENCE_FILE, text=why)
    added = [Requirement(spec=spec, evidence=evidence) for spec in extra]
    return plan.model_copy(update={"python_requirements": [*plan.python_requirements, *added]})
