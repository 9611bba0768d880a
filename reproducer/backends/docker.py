"""The Docker backend in two parts: `DockerImages` builds a plan's environment image, `DockerContainers`
opens hardened containers of it (one per sandbox, in the run profile)."""

import uuid
from pathlib import Path
from typing import Any

from reproducer.backends.capabilities import DOCKER_CAPABILITIES
from reproducer.backends.concurrency import default_jobs
from reproducer.backends.files import HostFiles, WorkspaceFiles
from reproducer.backends.installer import Installer
from reproducer.docker.limits import ContainerLimits
from reproducer.envs.era import for_run_time
from reproducer.envs.ladder import RunTimeRung
from reproducer.envs.python2 import refuse_python2
from reproducer.plan.model import PIPELINE_EVIDENCE_FILE, Evidence, Plan, Requirement
from reproducer.sandbox.base import Sandbox
from reproducer.sandbox.limits import RunLimits

# Where the Docker environment image keeps the plan's Python packages.
IMAGE_VENV_BIN = "/opt/venv/bin"


class DockerImages:
    """Builds (or reuses) the environment image of a plan, keyed by its content (docker/envimage.py)."""

    def __init__(self, client: Any) -> None:
        from reproducer.docker import load_image_config

        self.client = client
        self.config = load_image_config()
        self.built: str | None = None

    def build(
        self,
        plan: Plan,
        capsule_dir: Path,
        run_dir: Path,
        extra: tuple[str, ...],
        run_time: RunTimeRung | None = None,
    ) -> str:
        from reproducer.docker.envimage import build_environment_image
        from reproducer.docker.images import configured_minors

        if run_time is not None:
            plan, run_time = for_run_time(plan, run_time, configured_minors(self.config))
        stated = plan.python_version
        refuse_python2(stated.value if stated else None, "Docker", str(stated.evidence) if stated else "")
        built = build_environment_image(
            _with_extra(plan, extra),
            run_dir,
            client=self.client,
            config=self.config,
            capsule_dir=capsule_dir,
            run_time=run_time,
        )
        self.built = built.tag
        return f"{'reused' if built.reused else 'built'} image {built.tag} ({built.mode}, on {built.base})"

    def image(self) -> str:
        """The built image, or (the Easy level, a failed build) the default base image."""
        from reproducer.docker.images import choose_base_image

        return self.built or choose_base_image(self.config, None, None).image


class DockerContainers:
    """Opens the sandbox containers of one run, labelled with its run id so that a sweep finds them."""

    def __init__(self, client: Any, run_id: str, limits: RunLimits = RunLimits()) -> None:  # noqa: B008
        self.client = client
        self.run_id = run_id
        self.limits = limits
        # The engine enforces the memory cap on the container as a whole.
        self.container_limits = ContainerLimits(memory_bytes=limits.memory_bytes)

    def sandbox(
        self, image: str, capsule_dir: Path, run_dir: Path, task_id: str, *, venv: bool, seconds: float | None
    ) -> Sandbox:
        from reproducer.docker.sandbox import DockerSandbox, lifetime_for

        return DockerSandbox(
            capsule_dir,
            run_dir / "logs",
            image=image,
            run_id=self.run_id,
            task_id=task_id,
            bin_dirs=[IMAGE_VENV_BIN] if venv else [],
            client=self.client,
            limits=self.limits,
            container_limits=self.container_limits,
            lifetime_seconds=lifetime_for(seconds),
        )

    def agent_sandbox(
        self,
        image: str,
        capsule_dir: Path,
        run_dir: Path,
        task_id: str,
        *,
        built: bool,
        seconds: float | None,
    ) -> tuple[Sandbox, Installer]:
        """The agent's container, with the environment in a volume of its own (filled from the image)
        that the installer's setup-profile containers write to (backends/container_installer.py)."""
        from reproducer.backends.container_installer import VOLUMES, ContainerInstaller
        from reproducer.docker.labels import resource_name
        from reproducer.docker.sandbox import DockerSandbox, lifetime_for

        volumes = {resource_name(self.run_id, f"{task_id}-{key}"): path for key, path in VOLUMES.items()}
        sandbox = DockerSandbox(
            capsule_dir,
            run_dir / "logs",
            image=image,
            run_id=self.run_id,
            task_id=task_id,
            bin_dirs=[IMAGE_VENV_BIN],
            client=self.client,
            limits=self.limits,
            container_limits=self.container_limits,
            lifetime_seconds=lifetime_for(seconds),
            volumes=volumes,
            own_volumes=True,
            keep_background=True,
            root_installs=True,
        )
        installer = ContainerInstaller(
            agent=sandbox,
            client=self.client,
            image=image,
            run_id=self.run_id,
            task_id=task_id,
            volumes=volumes,
            run_dir=run_dir,
        )
        try:
            if not built:
                installer.create_environment()
            installer.install_again()  # what the agent installed before this run was resumed
        except BaseException:
            sandbox.stop()
            raise
        return sandbox, installer

    def sweep(self, run_id: str | None) -> list[str]:
        from reproducer.docker.cleanup import sweep

        return [f"{item.kind} {item.name}" for item in sweep(self.client, run_id=run_id)]


class DockerBackend:
    """An image layered on our base image; one hardened container per sandbox, in the run profile."""

    name = "docker"
    capabilities = DOCKER_CAPABILITIES

    def __init__(self, run_id: str | None = None, limits: RunLimits = RunLimits()) -> None:  # noqa: B008
        from reproducer.docker import connect

        self.client: Any = connect()
        self.run_id = run_id or uuid.uuid4().hex[:12]
        self.images = DockerImages(self.client)
        # The disk cap reaches the exec loop, which watches the bind-mounted workspace.
        self.containers = DockerContainers(self.client, self.run_id, limits)
        self.swept = self.containers.sweep(None)  # leftovers of runs whose runner died

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
        return self.images.build(plan, capsule_dir, run_dir, extra, run_time)

    def sandbox(
        self, capsule_dir: Path, run_dir: Path, task_id: str, *, seconds: float | None = None
    ) -> Sandbox:
        venv = self.images.built is not None
        return self.containers.sandbox(
            self.images.image(), capsule_dir, run_dir, task_id, venv=venv, seconds=seconds
        )

    def agent_sandbox(
        self, capsule_dir: Path, run_dir: Path, task_id: str, *, seconds: float | None = None
    ) -> tuple[Sandbox, Installer]:
        return self.containers.agent_sandbox(
            self.images.image(),
            capsule_dir,
            run_dir,
            task_id,
            built=self.images.built is not None,
            seconds=seconds,
        )

    def files(self, capsule_dir: Path) -> WorkspaceFiles:
        return HostFiles(capsule_dir)  # the workspace is the capsule folder, bind-mounted into the containers

    def cleanup(self, run_id: str) -> list[str]:
        return self.containers.sweep(run_id)

    def default_concurrency(self) -> int:
        return default_jobs(self.containers.limits.memory_bytes)

    def close(self) -> None:
        self.client.close()


def _with_extra(plan: Plan, extra: tuple[str, ...]) -> Plan:
    if not extra:
        return plan
    why = "tools the pipeline needs to run this capsule's notebooks"
    evidence = Evidence(file=PIPELINE_EVIDENCE_FILE, text=why)
    added = [Requirement(spec=spec, evidence=evidence) for spec in extra]
    return plan.model_copy(update={"python_requirements": [*plan.python_requirements, *added]})
