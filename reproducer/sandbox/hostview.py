"""What of the host a bubblewrapped command may see: system directories, a few /etc entries, interpreters.

Everything else is absent, not merely read-only: `/root`, `/home`, `/work`, `/run` (the Docker socket),
`/etc/shadow`, the task files and the original capsule never appear inside. A bound directory only
shows its own subtree, so an interpreter under `/root/.pyenv` is bound by itself, not `/root`.
"""

import atexit
import functools
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

# Programs and libraries; on merged-/usr systems most of these are symlinks into /usr.
SYSTEM_DIRS = ("usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32")
# What programs read from /etc to start, resolve names, verify certificates and find R or Java; never
# passwd/shadow (a minimal passwd is generated), never the host's tool configurations (gitconfig, npmrc).
ETC_ENTRIES = (
    "alternatives",
    "bash.bashrc",
    "ca-certificates",
    "ca-certificates.conf",
    "debian_version",
    "fonts",
    "gai.conf",
    "host.conf",
    "hosts",
    "inputrc",
    "ld.so.cache",
    "ld.so.conf",
    "ld.so.conf.d",
    "libpaper.d",
    "locale.alias",
    "localtime",
    "magic",
    "magic.mime",
    "mime.types",
    "networks",
    "nsswitch.conf",
    "os-release",
    "papersize",
    "profile",
    "protocols",
    "R",
    "resolv.conf",
    "services",
    "ssl",
    "terminfo",
    "timezone",
)
# Public package databases programs query at run time: Debian's R packages ask dpkg where their
# JavaScript libraries are (rmarkdown's html_dependency_jquery runs `dpkg-query -L libjs-jquery`).
VAR_ENTRIES = ("lib/dpkg",)
# Versioned configuration directories of runtimes (`python3.11`, `java-17-openjdk`, `ImageMagick-6`).
ETC_PATTERNS = ("python3*", "java-*", "ImageMagick-*")
SANDBOX_UID = 1000
SANDBOX_GID = 1000
SANDBOX_HOME = Path("/home/sandbox")
PASSWD = (
    "root:x:0:0:root:/root:/usr/sbin/nologin\n"
    f"sandbox:x:{SANDBOX_UID}:{SANDBOX_GID}:sandbox:{SANDBOX_HOME}:/bin/bash\n"
    "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
)
GROUP = f"root:x:0:\nsandbox:x:{SANDBOX_GID}:\nnogroup:x:65534:\n"


def system_mounts(root: Path = Path("/")) -> list[str]:
    """bwrap arguments showing the system directories and the chosen /etc entries, read-only."""
    args: list[str] = []
    for name in SYSTEM_DIRS:
        args += _mirror(root / name)
    versioned = (path.name for pattern in ETC_PATTERNS for path in sorted((root / "etc").glob(pattern)))
    for name in (*ETC_ENTRIES, *versioned):
        args += _mirror(root / "etc" / name)
    for name in VAR_ENTRIES:
        args += _mirror(root / "var" / name)
    identity = identity_dir()
    args += ["--ro-bind", str(identity / "passwd"), "/etc/passwd"]
    args += ["--ro-bind", str(identity / "group"), "/etc/group"]
    return args


def _mirror(path: Path) -> list[str]:
    if path.is_symlink():
        return ["--symlink", str(path.readlink()), str(path)]
    if path.exists():
        return ["--ro-bind", str(path), str(path)]
    return []


@functools.cache
def identity_dir() -> Path:
    """A directory holding the sandbox's passwd and group (one per runner process, removed at exit)."""
    directory = Path(tempfile.mkdtemp(prefix="reproducer-identity-"))
    directory.chmod(0o755)
    (directory / "passwd").write_text(PASSWD, encoding="utf-8")
    (directory / "group").write_text(GROUP, encoding="utf-8")
    atexit.register(shutil.rmtree, directory, True)
    return directory


def interpreter_roots(bin_dirs: Sequence[Path]) -> list[Path]:
    """The directories a command needs besides the system ones to use these bin dirs: each bin dir's
    venv (or the dir itself) and the prefix of the interpreter a venv was made from."""
    roots: list[Path] = []
    for bin_dir in bin_dirs:
        venv = bin_dir.parent if (bin_dir.parent / "pyvenv.cfg").is_file() else None
        roots.append(venv or bin_dir)
        if venv is not None:
            roots += _base_prefix(venv)
    return outside_system(roots)


def _base_prefix(venv: Path) -> list[Path]:
    """The prefix of the Python a venv was made from: where `bin/python` resolves, two levels up; for a
    copied interpreter (virtualenv's Python 2 environments), the `base-prefix` its pyvenv.cfg names."""
    python = (venv / "bin" / "python").resolve()
    if python.is_file() and not python.is_relative_to(venv.resolve()):
        return [python.parent.parent]
    for line in (venv / "pyvenv.cfg").read_text(encoding="utf-8", errors="replace").splitlines():
        key, _, value = line.partition("=")
        if key.strip() == "base-prefix" and Path(value.strip()).is_absolute():
            return [Path(value.strip())]
    return []


def outside_system(paths: Iterable[Path]) -> list[Path]:
    """Existing paths not already visible through a system mount, without duplicates."""
    system = [Path("/", name) for name in SYSTEM_DIRS]
    kept: list[Path] = []
    for path in paths:
        if path.exists() and not any(path.is_relative_to(s) for s in system) and path not in kept:
            kept.append(path)
    return kept
