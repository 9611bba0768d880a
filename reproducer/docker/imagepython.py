"""The Python of an image, as the ladder's index lookups target it from this machine: uv resolves for
that Python version and platform, with the index settings the image build gets."""

import contextlib
import re
from pathlib import Path
from typing import Any

import docker

from reproducer.docker.dockerfile import INDEX_ARGUMENTS
from reproducer.envs.uv import Uv
from reproducer.rundir.layout import ENV_LOG_FILE

# glibc baseline of the wheels a lookup accepts: at most the glibc of every Debian base we build (bullseye
# has 2.31, bookworm 2.36), so a version it finds installs on any of them.
MANYLINUX = "manylinux_2_28"
# The engine's architecture names -> uv's.
ARCHITECTURES = {"amd64": "x86_64", "x86_64": "x86_64", "arm64": "aarch64", "aarch64": "aarch64"}
PROBE_TIMEOUT_S = 60
_VERSION = re.compile(r"^(\d+\.\d+)\s*$")


def image_python(client: Any, image: str) -> str:
    """The `X.Y` version of `python3` in `image` (R images name none), or "" when it does not run."""
    code = "import sys; print('%d.%d' % sys.version_info[:2])"
    container = None
    try:
        container = client.containers.create(image, ["python3", "-c", code], network_mode="none")
        container.start()
        if container.wait(timeout=PROBE_TIMEOUT_S)["StatusCode"] != 0:
            return ""
        printed = container.logs(stdout=True, stderr=False).decode(errors="replace")
    except (docker.errors.DockerException, OSError):  # OSError: requests' time-out
        return ""
    finally:
        if container is not None:
            with contextlib.suppress(docker.errors.DockerException):
                container.remove(force=True)
    found = _VERSION.match(printed)
    return found.group(1) if found else ""


def image_target(client: Any, image: str, python: str) -> list[str]:
    """uv's flags that resolve for `python` (X.Y) on the platform of `image`."""
    target = ["--python-version", python] if python else []
    architecture = (client.images.get(image).attrs or {}).get("Architecture")
    if (machine := ARCHITECTURES.get(str(architecture))) is not None:
        target += ["--python-platform", f"{machine}-{MANYLINUX}"]
    return target


def lookup_uv(env_dir: Path, deadline: float, buildargs: dict[str, str]) -> Uv:
    """uv for the lookups, logged to env/commands.log, seeing the indexes the build sees (not, say, a
    host folder of wheels the build cannot reach)."""
    uv = Uv(env_dir / ENV_LOG_FILE, env_dir, deadline)
    for name in INDEX_ARGUMENTS:
        uv.env.pop(name, None)
    uv.env |= {name: buildargs[name] for name in INDEX_ARGUMENTS if name in buildargs}
    return uv
