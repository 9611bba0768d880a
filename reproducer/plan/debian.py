"""Whether Debian has a package of a given name, asked of this machine's apt index (`apt-cache pkgnames`).

A system package the plan suggests must be one `apt-get install` can find: capsules name Ubuntu-only or
retired packages (`python-dev`, `libpng12-dev`), and one unknown name fails the whole install line. The
local index is read, not the network; our base images are Debian of the same suite as this machine.
Where apt-cache is missing or answers nothing, names are kept unchecked (and the plan says so).
"""

import functools
import subprocess

APT_CACHE_TIMEOUT_S = 60.0


@functools.cache
def debian_names() -> frozenset[str] | None:
    """Every package name (real and virtual) in the apt index, or None when it cannot be read."""
    try:
        done = subprocess.run(
            ["apt-cache", "pkgnames"], capture_output=True, text=True, timeout=APT_CACHE_TIMEOUT_S, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    names = frozenset(done.stdout.split())
    return names or None
