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
