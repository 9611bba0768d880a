"""Whether the chosen backend isolates the capsule's code here: the local backend without a working
bubblewrap runs it on this machine as it is, with the runner's rights, files and network.

`run` says so plainly and goes on (one capsule, chosen by the person running it); `bench` runs many
capsules that someone else wrote, so it refuses unless `--allow-unisolated` is given.
"""

from reproducer.errors import BadInput
from reproducer.sandbox.bwrap import bwrap_problem

ALLOW_OPTION = "--allow-unisolated"


def unisolated(backend: str) -> str | None:
    """Why commands on `backend` would run unisolated here, or None when they are isolated (Docker, or
    the local backend under a working bubblewrap); `auto` is Docker whenever an engine answers."""
    if backend == "docker":
        return None
    if backend == "auto":
        from reproducer.backends.registry import resolve

        if resolve(backend) == "docker":
            return None
    return bwrap_problem()


def warning(problem: str) -> str:
    return (
        f"WARNING: the local backend ISOLATES NOTHING here ({problem}): the capsule's code runs on this "
        "machine with your rights, files, secrets and network. Install bubblewrap, or use --backend docker."
    )


def refuse_unisolated(backend: str, *, allowed: bool) -> str | None:
    """For `bench`: raises BadInput when its capsules would run unisolated and `allowed` is not set;
    returns the warning to print when they will run so because it is."""
    problem = unisolated(backend)
    if problem is None:
        return None
    if not allowed:
        raise BadInput(
            f"refusing to run untrusted capsules on the local backend: it isolates nothing here ({problem}). "
            f"Install bubblewrap, use --backend docker, or pass {ALLOW_OPTION} to run them unisolated anyway."
        )
    return warning(problem)
