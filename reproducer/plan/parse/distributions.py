"""Declared Python requirements that cannot be installed as written: retired names, and markers that
exclude every interpreter we could run on (`; sys_platform == "win32"`, `; python_version < "3"`)."""

import re

from packaging.markers import InvalidMarker, Marker, UndefinedComparison, UndefinedEnvironmentName

from reproducer.plan.parse.pep508 import requirement_name

# Names on PyPI that no longer install the package people mean, with the one that does. Each is a
# placeholder that fails on purpose, or an import name that was never a distribution:
# - sklearn: deprecated stub; its install fails since 2023 ("use scikit-learn").
# - skimage: stub whose install fails, telling the user to install scikit-image.
# - pytorch: stub whose install raises, telling the user to install torch.
# - PIL: an import name; PIL itself was never on PyPI for Python 3, Pillow is its fork.
# - cv2: an import name; OpenCV's wheels are opencv-python.
# - pycrypto: abandoned in 2013, fails to build on current compilers; pycryptodome is the drop-in
#   replacement (same `Crypto` package).
RETIRED = {
    "sklearn": "scikit-learn",
    "skimage": "scikit-image",
    "pytorch": "torch",
    "pil": "Pillow",
    "cv2": "opencv-python",
    "pycrypto": "pycryptodome",
}
# Retired from a version on: tensorflow-gpu is an error stub from 2.12; older pins still install.
RETIRED_UNPINNED = {"tensorflow-gpu": "tensorflow"}
# The interpreters a capsule can get (pyenv's 2.7 is refused by uv), on the Linux we run.
OUR_PYTHONS = tuple(f"3.{minor}" for minor in range(6, 14))
LINUX = {
    "os_name": "posix",
    "sys_platform": "linux",
    "platform_system": "Linux",
    "platform_machine": "x86_64",
    "platform_python_implementation": "CPython",
    "implementation_name": "cpython",
}


def current_name(spec: str) -> str:
    """`spec` with a retired distribution name replaced by the one that installs; else `spec` itself.

    The version goes with the old name (`sklearn==0.0` pins the stub, not scikit-learn); the marker stays.
    """
    name = requirement_name(spec)
    if name is None or "://" in spec:
        return spec
    requirement, semicolon, marker = spec.partition(";")
    pinned = bool(re.search(r"[=<>~]", requirement))
    renamed = RETIRED.get(name) or (None if pinned else RETIRED_UNPINNED.get(name))
    if renamed is None:
        return spec
    return f"{renamed}; {marker.strip()}" if semicolon else renamed


def excluded_everywhere(spec: str) -> str | None:
    """The marker of `spec` if it is false on Linux for every Python we could use; else None."""
    if ";" not in spec or "://" in spec.split(";")[0]:
        return None
    text = spec.split(";", 1)[1].strip()
    try:
        marker = Marker(text)
    except InvalidMarker:
        return None
    for version in OUR_PYTHONS:
        environment = {**LINUX, "python_version": version, "python_full_version": f"{version}.0"}
        try:
            if marker.evaluate(environment):
                return None
        except (UndefinedComparison, UndefinedEnvironmentName):
            return None
    return text
