"""What a backend can do, declared, so that callers ask it instead of comparing backend names.

Nothing here imports the agent or the pipeline: both read these.
"""

from dataclasses import dataclass
from typing import Literal

InstallKind = Literal["python", "r", "system"]


@dataclass(frozen=True)
class Capabilities:
    """What a backend's sandboxes and installer do, for the agent's prompt and tool descriptions.

    `code_ocean_mounts`: /code, /data and /results exist inside the sandbox; `background_jobs`: jobs a
    command leaves running survive until the sandbox stops; `installs`: what the agent's installer adds;
    `isolation`: one line on how commands are contained; `containers`: the backend leaves engine
    resources (containers, networks, volumes) that `cleanup` removes.
    """

    code_ocean_mounts: bool
    background_jobs: bool
    installs: tuple[InstallKind, ...]
    isolation: str
    containers: bool
    # The built environment lives in the run directory (RUNDIR/env), so a resumed run reuses it as is.
    environment_in_run_dir: bool = False


def local_capabilities(contained: bool) -> Capabilities:
    """The local backend's, with bubblewrap (`contained`) or without."""
    return Capabilities(
        # Only a plain sandbox (no bubblewrap) lacks the Code Ocean mount points.
        code_ocean_mounts=contained,
        background_jobs=True,
        installs=("python",),
        isolation="bubblewrap: no network, uid 1000" if contained else "none: commands run on the host as is",
        containers=False,
        environment_in_run_dir=True,
    )


DOCKER_CAPABILITIES = Capabilities(
    code_ocean_mounts=True,
    background_jobs=True,
    installs=("python", "r", "system"),
    isolation="a Docker container: no network, uid 1000, no capabilities",
    containers=True,
)


def capabilities_of(sandbox: object) -> Capabilities:
    """What a sandbox opened without its backend session can do (tests, tools opened by hand), from the
    kind it reports."""
    kind = getattr(sandbox, "sandbox_kind", "")
    if kind == "docker":
        return DOCKER_CAPABILITIES
    return local_capabilities(contained=kind != "plain")
