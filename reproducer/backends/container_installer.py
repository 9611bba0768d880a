"""The agent's installer on the Docker backend: what needs the network runs in a setup-profile container.

The agent's container stays in the run profile (no network, uid 1000) for its whole life; an install
starts a second container of the same image in the setup profile (root, a network of its own, the host's
index settings and CA bundle), over an empty workspace of its own (the capsule is not in it), sharing with
the agent's container only named volumes (`VOLUMES`): the Python environment (/opt/venv), R's site
library, apt's lists and downloaded packages; each install container mounts only the ones its kind
writes, so code a package build runs (as root, with network) cannot plant a package in apt's archive
for root to install in the agent's container. Each volume was filled from the image when the agent's
container was created, so the agent starts from the environment the pipeline built; without one (a
failed build, the Easy level) an empty venv is made there when the agent's container opens (the image's
own packages stay visible).

- python: `uv pip install` into /opt/venv, in the setup container; the agent's PATH starts there.
- r: `install.packages` from the configured CRAN mirror into the shared site library, in the setup
  container; what still does not load falls back to Debian's `r-cran-<name>` (as system packages).
- system: apt resolves and downloads in the setup container (`--download-only`, into the shared archive
  and lists); then root installs the packages offline (`--no-download`) in the agent's container, which
  never gets a network: its run user has no capability and no way to root, root alone keeps CAP_CHOWN
  for dpkg.
"""

import itertools
import os
import shlex
import time
from pathlib import Path
from typing import Any

from reproducer.backends.capabilities import InstallKind
from reproducer.backends.installer import (
    DEFAULT_INSTALL_TIMEOUT_S,
    InstallRequest,
    InstallResult,
    trimmed,
)
from reproducer.docker.dockerfile import CRAN_MIRROR
from reproducer.docker.sandbox import DockerSandbox
from reproducer.errors import WorkFailed
from reproducer.rundir.layout import AGENT_INSTALLS_FILE, ENV_DIR
from reproducer.sandbox.base import ExecResult

VENV = "/opt/venv"
VENV_PYTHON = f"{VENV}/bin/python"
# Where Debian's R looks first for packages (.libPaths()[1]), and apt's state an offline install needs.
R_SITE_LIBRARY = "/usr/local/lib/R/site-library"
APT_LISTS = "/var/lib/apt/lists"
APT_ARCHIVES = "/var/cache/apt/archives"
VOLUMES = {"env": VENV, "rlib": R_SITE_LIBRARY, "aptlists": APT_LISTS, "aptcache": APT_ARCHIVES}
APT = "apt-get -o APT::Sandbox::User=root -q"
# A line the R step prints for each package that still does not load.
MISSING = "##reproducer:missing "
# Time for the setup container to start and stop around the install itself.
CONTAINER_MARGIN_S = 120.0
ENSURE_TIMEOUT_S = 120.0
# The least time a step of an install gets, even when the ones before took the whole budget.
MIN_STEP_S = 30.0
UV_SETTINGS = "export UV_PYTHON_DOWNLOADS=never UV_NO_PROGRESS=1 NO_COLOR=1 UV_LINK_MODE=copy"
CREATE_VENV = shlex.join(
    ["uv", "venv", "--allow-existing", "--system-site-packages", "--python", "python3", VENV]
)
ENSURE_VENV = f"set -e\n{UV_SETTINGS}\n[ -x {VENV_PYTHON} ] || {CREATE_VENV}\n"


R_INSTALL = r"""
names <- commandArgs(trailingOnly = TRUE)
loads <- function(name) suppressWarnings(suppressMessages(requireNamespace(name, quietly = TRUE)))
options(repos = c(CRAN = Sys.getenv("CRAN_MIRROR")), Ncpus = 2L)
wanted <- names[!vapply(names, loads, logical(1))]
if (length(wanted)) {
  tryCatch(install.packages(wanted, lib = "@LIBRARY@"), error = function(e) message(conditionMessage(e)))
}
for (name in names) if (!loads(name)) cat("@MISSING@", name, "\n", sep = "")
""".replace("@LIBRARY@", R_SITE_LIBRARY).replace("@MISSING@", MISSING)


R_CHECK = r"""
loads <- function(name) suppressWarnings(suppressMessages(requireNamespace(name, quietly = TRUE)))
for (name in commandArgs(trailingOnly = TRUE)) if (!loads(name)) cat("@MISSING@", name, "\n", sep = "")
""".replace("@MISSING@", MISSING)


def python_script(request: InstallRequest) -> str:
    """The setup container's command: the venv when the volume holds none, then `uv pip install`."""
    index = ["--index-url", request.index_url] if request.index_url else []
    install = shlex.join(["uv", "pip", "install", "--python", VENV_PYTHON, *index, *request.packages])
    return f"{ENSURE_VENV}{install}\n"


def download_script(packages: list[str]) -> str:
    """The setup container's part of a system install: resolve and download into the shared archive."""
    names = shlex.join(packages)
    return (
        f"set -e\nexport DEBIAN_FRONTEND=noninteractive\n{APT} update\n"
        f"{APT} install -y --download-only --no-install-recommends {names}\n"
    )


def offline_install_script(packages: list[str]) -> str:
    """The agent container's part, as root without network: install what was downloaded."""
    names = shlex.join(packages)
    return (
        "set -e\nexport DEBIAN_FRONTEND=noninteractive\n"
        f"{APT} install -y --no-download --no-install-recommends {names}\n"
    )


def r_script(packages: list[str]) -> str:
    """The setup container's part of an R install: CRAN where R is in the image; the names that still
    do not load are printed (MISSING) for the Debian fallback."""
    names = shlex.join(packages)
    missing = " ".join(f"echo '{MISSING}'{shlex.quote(name)};" for name in packages)
    return (
        f"if command -v Rscript >/dev/null; then Rscript -e {shlex.quote(R_INSTALL)} {names}; "
        f"else echo 'R is not in this image: Debian packages it is'; {missing} fi\n"
    )


class ContainerInstaller:
    """Installs into the agent container's environment volume from setup-profile containers; each
    install's container command is logged in RUNDIR/env/install-logs (its offline and check steps in
    the agent's container, in RUNDIR/logs)."""

    kinds: tuple[InstallKind, ...] = ("python", "r", "system")
    in_container = True

    def __init__(
        self,
        *,
        agent: DockerSandbox,
        client: Any,
        image: str,
        run_id: str,
        task_id: str,
        volumes: dict[str, str],
        run_dir: Path,
        timeout_s: float = DEFAULT_INSTALL_TIMEOUT_S,
    ) -> None:
        self.client = client
        self.image = image
        self.run_id, self.task_id = run_id, task_id
        self.agent = agent
        self.volumes = volumes
        self.workspace = run_dir / "env" / "install-workspace"
        self.log_dir = run_dir / "env" / "install-logs"
        self.record = run_dir / ENV_DIR / AGENT_INSTALLS_FILE  # the agent's installs, one request a line
        self.timeout_s = timeout_s
        self._count = itertools.count(1)

    def __call__(self, request: InstallRequest) -> InstallResult:
        result = self._install(request)
        if result.ok:  # for a resumed run's new container (see `install_again`)
            with self.record.open("a", encoding="utf-8") as handle:
                handle.write(request.model_dump_json() + "\n")
        return result

    def install_again(self) -> list[InstallResult]:
        """Make the installs an earlier container of this run made (RUNDIR/env/agent-installs.jsonl) in
        this one's volumes: a resumed agent finds the environment it left. A failed one is returned as
        such; the agent sees the consequence when it runs the code."""
        try:
            lines = self.record.read_text(encoding="utf-8").splitlines()
        except OSError:
            return []
        requests = []
        for line in lines:
            try:
                requests.append(InstallRequest.model_validate_json(line))
            except ValueError:  # a line cut short when a runner was killed while writing it
                continue
        return [self._install(request) for request in requests]

    def _install(self, request: InstallRequest) -> InstallResult:
        started = time.monotonic()
        deadline = started + self.timeout_s
        if request.kind == "python":
            script = python_script(request)
            steps = [self._run(script, self.timeout_s, (VENV,))]
            command = script.splitlines()[-1]
        elif request.kind == "system":
            steps = self._system(request.packages, deadline)
            command = f"apt-get install {shlex.join(request.packages)}"
        else:
            steps = self._r(request.packages, deadline)
            command = f"install.packages({', '.join(request.packages)}), else apt-get install r-cran-*"
        output = trimmed("\n".join(step.stdout + step.stderr for step in steps))
        if any(step.status == "timeout" for step in steps):
            output += f"\n(stopped: an install may take {self.timeout_s:.0f} s in all)"
        return InstallResult(
            packages=list(request.packages),
            kind=request.kind,
            ok=all(step.ok for step in steps) and MISSING not in output,
            command=command,
            output=output,
            seconds=round(time.monotonic() - started, 2),
        )

    def _system(self, packages: list[str], deadline: float) -> list[ExecResult]:
        downloaded = self._run(download_script(packages), _left(deadline), (APT_LISTS, APT_ARCHIVES))
        if not downloaded.ok:
            return [downloaded]
        installed = self.agent.exec(
            offline_install_script(packages),
            timeout=_left(deadline),
            log_name="install-offline",
            as_root=True,
        )
        return [downloaded, installed]

    def _r(self, packages: list[str], deadline: float) -> list[ExecResult]:
        """CRAN first; then Debian for what still does not load; then a check in the agent's container."""
        tried = self._run(
            r_script(packages), _left(deadline), (R_SITE_LIBRARY,), env={"CRAN_MIRROR": cran_mirror()}
        )
        missing = [
            line.removeprefix(MISSING).strip()
            for line in tried.stdout.splitlines()
            if line.startswith(MISSING)
        ]
        steps = [tried.model_copy(update={"stdout": tried.stdout.replace(MISSING, "not from CRAN: ")})]
        if not missing:
            return steps
        debian = [f"r-cran-{name.lower()}" for name in missing]
        steps += self._system(debian, deadline)
        if steps[-1].ok:
            check = f"Rscript -e {shlex.quote(R_CHECK)} {shlex.join(missing)}"
            steps.append(self.agent.exec(check, timeout=_left(deadline), log_name="install-check"))
        return steps

    def create_environment(self) -> None:
        """Make the venv when the volume holds none (a failed build, the Easy level), so that `python`
        in the agent's container is the environment's from the start."""
        result = self._run(ENSURE_VENV, ENSURE_TIMEOUT_S, (VENV,))
        if not result.ok:
            raise WorkFailed(f"could not create the agent's environment in {VENV}: {result.stderr[-500:]}")

    def _run(
        self, script: str, timeout: float, mounts: tuple[str, ...], env: dict[str, str] | None = None
    ) -> ExecResult:
        """`script` in a new setup-profile container that mounts only the volumes at `mounts`: a package
        build (code from the index, run as root) never reaches apt's state, which root in the agent's
        container later trusts, nor another kind's files."""
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
            volumes={name: path for name, path in self.volumes.items() if path in mounts},
        ) as sandbox:
            return sandbox.exec(script, timeout=timeout, env=env, log_name=f"install-{number}")


def cran_mirror() -> str:
    """The CRAN mirror R installs from: $CRAN_MIRROR on this machine, else the one images are built with."""
    return os.environ.get("CRAN_MIRROR") or CRAN_MIRROR


def _left(deadline: float) -> float:
    return max(MIN_STEP_S, deadline - time.monotonic())
