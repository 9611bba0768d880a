"""The agent's installer on the Docker backend: each install runs in a container of the setup profile.

The agent's container stays in the run profile (no network, uid 1000) for its whole life; an install
starts a second container of the same image in the setup profile (root, a network of its own, the host's
index settings and CA bundle), over an empty workspace of its own (the capsule is not in it), sharing with
the agent's container only the named volume that holds the environment (/opt/venv). The volume was
filled from the image when the agent's container was created, so the agent starts from the environment
the pipeline built; without one (a failed build, the Easy level) an empty venv is made there when the
agent's container opens (the image's own packages stay visible). What is installed appears at once in
the agent's container, whose PATH starts with the venv's bin dir.
"""

import itertools
import shlex
import time
from pathlib import Path
from typing import Any

from reproducer.agent.tools.installer import (
    DEFAULT_INSTALL_TIMEOUT_S,
    InstallRequest,
    InstallResult,
    trimmed,
)
from reproducer.backends.capabilities import InstallKind
from reproducer.docker.sandbox import DockerSandbox
from reproducer.errors import WorkFailed
from reproducer.sandbox.base import ExecResult

VENV = "/opt/venv"
VENV_PYTHON = f"{VENV}/bin/python"
# Time for the setup container to start and stop around the install itself.
CONTAINER_MARGIN_S = 120.0
ENSURE_TIMEOUT_S = 120.0
UV_SETTINGS = "export UV_PYTHON_DOWNLOADS=never UV_NO_PROGRESS=1 NO_COLOR=1 UV_LINK_MODE=copy"
CREATE_VENV = shlex.join(
    ["uv", "venv", "--allow-existing", "--system-site-packages", "--python", "python3", VENV]
)
ENSURE_VENV = f"set -e\n{UV_SETTINGS}\n[ -x {VENV_PYTHON} ] || {CREATE_VENV}\n"


def python_script(request: InstallRequest) -> str:
    """The setup container's command: the venv when the volume holds none, then `uv pip install`."""
    index = ["--index-url", request.index_url] if request.index_url else []
    install = shlex.join(["uv", "pip", "install", "--python", VENV_PYTHON, *index, *request.packages])
    return f"{ENSURE_VENV}{install}\n"


class ContainerInstaller:
    """Installs into the agent container's environment volume from setup-profile containers; each
    install's command and output are logged in RUNDIR/logs like any sandbox command (`install-N`)."""

    kinds: tuple[InstallKind, ...] = ("python",)
    in_container = True

    def __init__(
        self,
        *,
        client: Any,
        image: str,
        run_id: str,
        task_id: str,
        volume: str,
        run_dir: Path,
        timeout_s: float = DEFAULT_INSTALL_TIMEOUT_S,
    ) -> None:
        self.client = client
        self.image = image
        self.run_id, self.task_id = run_id, task_id
        self.volume = volume
        self.workspace = run_dir / "env" / "install-workspace"
        self.log_dir = run_dir / "logs"
        self.timeout_s = timeout_s
        self._count = itertools.count(1)

    def __call__(self, request: InstallRequest) -> InstallResult:
        script = python_script(request)
        started = time.monotonic()
        result = self._run(script, self.timeout_s)
        output = trimmed(result.stdout + result.stderr)
        if result.status == "timeout":
            output += f"\n(stopped after {self.timeout_s:.0f} s)"
        return InstallResult(
            packages=list(request.packages),
            kind=request.kind,
            ok=result.ok,
            command=script.splitlines()[-1],
            output=output,
            seconds=round(time.monotonic() - started, 2),
        )

    def create_environment(self) -> None:
        """Make the venv when the volume holds none (a failed build, the Easy level), so that `python`
        in the agent's container is the environment's from the start."""
        result = self._run(ENSURE_VENV, ENSURE_TIMEOUT_S)
        if not result.ok:
            raise WorkFailed(f"could not create the agent's environment in {VENV}: {result.stderr[-500:]}")

    def _run(self, script: str, timeout: float) -> ExecResult:
        number = next(self._count)
        self.workspace.mkdir(parents=True, exist_ok=True)
        with DockerSandbox(
            self.workspace,
            self.log_dir,
            image=self.image,
            run_id=self.run_id,
            task_id=f"{self.task_id}-install-{number}",
            setup=True,
            client=self.client,
            lifetime_seconds=timeout + CONTAINER_MARGIN_S,
            volumes={self.volume: VENV},
        ) as sandbox:
            return sandbox.exec(script, timeout=timeout, log_name=f"install-{number}")
