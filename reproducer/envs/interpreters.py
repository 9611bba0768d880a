"""Find the Pythons installed on this machine and pick the best one for a requested version.

uv is never allowed to download an interpreter: a capsule runs on a Python that is really here.
"""

import functools
import json
import os
import re
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from reproducer.envs.failure import NO_INTERPRETER, EnvironmentFailed
from reproducer.envs.model import Interpreter
from reproducer.envs.wheels import choose_minor, pin_minors

Minor = tuple[int, int]

# uv cannot create environments for older Pythons (it runs them with `-I`, new in 3.6).
OLDEST_USABLE: Minor = (3, 6)
QUERY_TIMEOUT_S = 15.0
SYSTEM_DIRS = (Path("/usr/bin"), Path("/usr/local/bin"))
VERSIONED_NAME = re.compile(r"python(\d)\.(\d+)")
VERSION_IN_REQUEST = re.compile(r"(\d+)(?:\.(\d+))?")
# Runs under every candidate, Python 2.7 included, so it uses nothing newer.
QUERY = (
    "import json, platform, sysconfig; print(json.dumps({'version': platform.python_version(),"
    " 'implementation': platform.python_implementation(), 'platform': sysconfig.get_platform()}))"
)


EXACT_VERSION = re.compile(r"\d+\.\d+(?:\.\d+)?")


def find_interpreter(requested: str | None) -> Interpreter:
    """The installed Python that best matches `requested` (e.g. "3.9", "3.9.7", ">=3.8", None).

    Exact minor if installed; else the nearest newer minor (else the newest older one), with a
    `warning`; None means the minor version running this program. Raises `EnvironmentFailed`
    labelled `no_interpreter` when nothing usable exists (Python 2 always ends here).
    """
    want = requested_minor(requested)
    by_minor = installed_by_minor()
    if want[0] < OLDEST_USABLE[0]:
        raise EnvironmentFailed(NO_INTERPRETER, _python2_message(requested, want, by_minor.get(want, [])))
    usable = sorted(minor for minor in by_minor if minor >= OLDEST_USABLE)
    if not usable:
        raise EnvironmentFailed(NO_INTERPRETER, f"no Python 3 interpreter found; looked in {_places()}")
    minor = nearest_minor(want, usable)
    started = [
        i for i in map(query_interpreter, by_minor[minor]) if i is not None and i.implementation == "CPython"
    ]
    if not started:
        raise EnvironmentFailed(
            NO_INTERPRETER, f"no working Python {minor[0]}.{minor[1]} at {by_minor[minor]}"
        )
    best = max(started, key=lambda i: _numbers(i.version))
    warning = None
    if minor != want:
        direction = "nearest newer" if minor > want else "newest available, older"
        warning = (
            f"Python {want[0]}.{want[1]} (requested {requested!r}) is not installed here; using "
            f"{best.version} at {best.path} ({direction}). Installed: "
            + ", ".join(f"{m[0]}.{m[1]}" for m in usable)
            + "."
        )
    return best.model_copy(update={"requested": requested, "warning": warning})


def nearest_minor(want: Minor, available: Iterable[Minor]) -> Minor:
    """`want` if available, else the nearest newer one, else the newest older one."""
    ordered = sorted(set(available))
    newer = [m for m in ordered if m >= want]
    return newer[0] if newer else ordered[-1]


def requested_minor(requested: str | None) -> Minor:
    """The major.minor a plan's version text asks for; a bare "3" or nothing means the running one."""
    running = sys.version_info[0], sys.version_info[1]
    match = VERSION_IN_REQUEST.search(requested or "")
    if match is None:
        return running
    major = int(match.group(1))
    if match.group(2) is not None:
        return major, int(match.group(2))
    return running if major == running[0] else (major, 7)


@functools.cache
def installed_by_minor() -> dict[Minor, list[Path]]:
    """The interpreters on this machine by minor version (cached for the process).

    A versioned file name (python3.9) is trusted for the minor, so only the few candidates without
    one are started here; the chosen ones are started later to read their full version.
    """
    by_minor: dict[Minor, list[Path]] = defaultdict(list)
    for path in _candidate_paths():
        named = VERSIONED_NAME.fullmatch(path.name)
        if named is not None:
            by_minor[int(named.group(1)), int(named.group(2))].append(path)
        elif (found := query_interpreter(path)) is not None:
            by_minor[found.minor].append(path)
    return dict(by_minor)


def usable_minors() -> list[Minor]:
    """The minor versions of the interpreters here that uv can make environments for."""
    return sorted(minor for minor in installed_by_minor() if minor >= OLDEST_USABLE)


def _candidate_paths() -> list[Path]:
    seen: dict[Path, None] = {}
    for path in _all_candidates():
        try:
            real = path.resolve(strict=True)
        except OSError:
            continue
        if real.is_file() and os.access(real, os.X_OK):
            seen.setdefault(real)
    return list(seen)


def _all_candidates() -> Iterator[Path]:
    pyenv_root = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")
    yield from sorted((pyenv_root / "versions").glob("*/bin/python"))
    for entry in os.environ.get("PATH", "").split(os.pathsep):
        # pyenv shims pick a version from pyenv's own settings, not from their name: skip them.
        if entry and "shims" not in Path(entry).parts:
            yield from sorted(p for p in Path(entry).glob("python3.*") if VERSIONED_NAME.fullmatch(p.name))
    for directory in SYSTEM_DIRS:
        yield from sorted(p for p in directory.glob("python3*") if VERSIONED_NAME.fullmatch(p.name))
        yield directory / "python3"
    yield Path(getattr(sys, "_base_executable", sys.executable))


@functools.cache
def query_interpreter(path: Path) -> Interpreter | None:
    try:
        done = subprocess.run(
            [str(path), "-S", "-E", "-c", QUERY],
            capture_output=True,
            text=True,
            timeout=QUERY_TIMEOUT_S,
            check=True,
        )
        return Interpreter(path=path, **json.loads(done.stdout))
    except (OSError, subprocess.SubprocessError, ValueError):
        return None


def _python2_message(requested: str | None, want: Minor, here: list[Path]) -> str:
    where = f"Python {want[0]}.{want[1]} is installed at {here[0]}, but " if here else ""
    return (
        f"the plan asks for Python {want[0]}.{want[1]} (requested {requested!r}); {where}uv cannot create "
        "Python 2 environments. Port the code to Python 3 and set the plan's Python version to 3.x, "
        "or run the capsule in its own Docker image."
    )


def _places() -> str:
    pyenv_root = os.environ.get("PYENV_ROOT") or str(Path.home() / ".pyenv")
    return f"{pyenv_root}/versions/*/bin/python, python3.X on PATH, /usr/bin/python3*"


def _numbers(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version))


def find_interpreter_for_pins(requested: str | None, pins: Mapping[str, str], cache_dir: Path) -> Interpreter:
    """Like `find_interpreter`, but when the requested minor lacks a Linux wheel for an exact pin
    (`numpy==1.16.4` on 3.11), the installed minor nearest to it whose wheels serve every pin instead.

    A source build of an old pin takes minutes and often fails, while the paper ran on a Python of its
    day; the warning says which pins decided. `cache_dir` keeps the index's answers. An exact version
    the capsule states (`3.9`, `3.11.2`) is the author's own and is kept: only a range, a minimum or no
    version at all leaves the choice to the wheels.
    """
    if requested is not None and EXACT_VERSION.fullmatch(requested.strip()):
        return find_interpreter(requested)
    asked = requested_minor(requested)
    usable = [minor for minor in installed_by_minor() if minor >= OLDEST_USABLE]
    if not pins or asked < OLDEST_USABLE or not usable:
        return find_interpreter(requested)
    want = nearest_minor(asked, usable)  # what `find_interpreter` would pick: its wheels are checked
    constraints = pin_minors(pins, cache_dir)
    minor, lacking = choose_minor(want, usable, constraints)
    if minor == want:
        return find_interpreter(requested)
    chosen = find_interpreter(f"{minor[0]}.{minor[1]}")
    served = [name for name in lacking if minor in constraints[name]]
    note = (
        f"Python {want[0]}.{want[1]} (requested {requested!r}) has no Linux wheel for "
        + ", ".join(f"{name}=={pins[name]}" for name in lacking)
        + f"; using {chosen.version}, which has wheels for {', '.join(served) or 'none of them'}, "
        "instead of building from source"
    )
    return chosen.model_copy(update={"requested": requested, "warning": note})
