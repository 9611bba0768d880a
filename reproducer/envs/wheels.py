"""Which Pythons the paper's exact pins have Linux wheels for, asked of the package index and cached.

An old pin (`numpy==1.16.4`) has wheels only for the Pythons of its day (3.5 to 3.7); on a newer one,
uv builds it from source for minutes, and often fails. Asking first lets the builder pick an interpreter
that every pin has a wheel for before any source build. The index's JSON listing (PEP 691) is asked once
per project and the reduced answer (version -> minors) cached on disk; a failed question constrains
nothing.
"""

import json
import os
import re
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from packaging.utils import InvalidWheelFilename, canonicalize_name, parse_wheel_filename
from packaging.version import InvalidVersion, Version

from reproducer.jsonio import write_json_atomic

Minor = tuple[int, int]
# Any Python 3: a pure wheel, or a project with no wheel for this version (it builds anywhere or nowhere).
ANY = "any"
DEFAULT_INDEX = "https://pypi.org/simple"
INDEX_VARIABLE = "REPRODUCER_WHEEL_INDEX"
ACCEPT = "application/vnd.pypi.simple.v1+json"
TIMEOUT_S = 20.0
MAX_PINS = 40
WORKERS = 6
NEWEST_MINOR = 20
_CP_TAG = re.compile(r"^(?:cp|py)3(\d+)$")


def pin_minors(
    pins: Mapping[str, str], cache_dir: Path, index: str | None = None
) -> dict[str, frozenset[Minor]]:
    """For each pin (name -> exact version) that has Linux x86_64 wheels for some Pythons only: those.

    Pins with a pure wheel, with no wheel at all, or that the index could not answer are left out.
    """
    index = (index or os.environ.get(INDEX_VARIABLE) or DEFAULT_INDEX).rstrip("/")
    chosen = sorted(pins.items())[:MAX_PINS]
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        answers = pool.map(lambda item: _lookup(_versions(item[0], cache_dir, index), item[1]), chosen)
        found = dict(zip((name for name, _ in chosen), answers, strict=True))
    return {name: frozenset(m) for name, m in found.items() if m is not None and not isinstance(m, str)}


def _lookup(versions: dict[str, list[Minor] | str], pin: str) -> list[Minor] | str | None:
    """The entry for `pin`, which may be written otherwise than the index writes it (`1.4` for `1.4.0`)."""
    if pin in versions:
        return versions[pin]
    try:
        wanted = Version(pin)
    except InvalidVersion:
        return None
    for version, minors in versions.items():
        try:
            if Version(version) == wanted:
                return minors
        except InvalidVersion:
            continue
    return None


def minors_of_files(filenames: Iterable[str]) -> dict[str, list[Minor] | str]:
    """Version -> the Python 3 minors its Linux x86_64 wheels serve (sorted), or ANY."""
    by_version: dict[str, set[Minor] | str] = {}
    for filename in filenames:
        if not filename.endswith(".whl"):
            continue
        try:
            _, version, _, tags = parse_wheel_filename(filename)
        except InvalidWheelFilename:
            continue
        served = _served(tags)
        key = str(version)
        if isinstance(served, str) or by_version.get(key) == ANY:
            by_version[key] = ANY
        elif served:
            current = by_version.setdefault(key, set())
            assert isinstance(current, set)
            current |= served
    return {v: m if isinstance(m, str) else sorted(m) for v, m in by_version.items()}


def _served(tags: Iterable[object]) -> set[Minor] | str:
    served: set[Minor] = set()
    for tag in tags:
        interpreter, abi, platform = str(tag).split("-")
        if not (platform == "any" or ("linux" in platform and platform.endswith("x86_64"))):
            continue
        if interpreter in ("py3", "py30") and abi == "none":
            return ANY if platform == "any" else set(_from((3, 0)))
        match = _CP_TAG.match(interpreter)
        if match is None:
            continue
        minor = (3, int(match.group(1)))
        # abi3 and pure `py3X` wheels serve their minor and every later one.
        served |= set(_from(minor)) if abi in ("abi3", "none") else {minor}
    return served


def _from(minor: Minor) -> list[Minor]:
    return [(3, m) for m in range(minor[1], NEWEST_MINOR + 1)]


def _versions(name: str, cache_dir: Path, index: str) -> dict[str, list[Minor] | str]:
    """The reduced listing of project `name`, from the cache, else from the index (then cached)."""
    project = canonicalize_name(name)
    cached = cache_dir / f"{project}.json"
    try:
        stored = json.loads(cached.read_text(encoding="utf-8"))
        return {v: m if isinstance(m, str) else [tuple(x) for x in m] for v, m in stored.items()}
    except (OSError, ValueError):
        pass
    try:
        listing = fetch_listing(index, project)
    except (OSError, ValueError, urllib.error.URLError):
        return {}
    reduced = minors_of_files(str(f.get("filename", "")) for f in listing.get("files", []))
    # A temporary file of its own: two builds in one process (bench -j) look the same project up at once.
    write_json_atomic(cached, reduced)
    return reduced


def fetch_listing(index: str, project: str) -> dict[str, list[dict[str, object]]]:
    # A `file://` index is a folder of recorded answers, `<project>.json` each (the tests use one).
    url = f"{index}/{project}.json" if index.startswith("file://") else f"{index}/{project}/"
    request = urllib.request.Request(url, headers={"Accept": ACCEPT})
    with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
        data = json.load(response)
    return data if isinstance(data, dict) else {}


def choose_minor(
    want: Minor, available: Iterable[Minor], constraints: Mapping[str, frozenset[Minor]]
) -> tuple[Minor, list[str]]:
    """The installed minor to use: `want` if every constrained pin has a wheel for it, else the nearest
    one that serves them all (else the most). Also returns the pins `want` lacks a wheel for."""
    ordered = sorted(set(available))
    lacking = sorted(name for name, minors in constraints.items() if want not in minors)
    if not lacking or not ordered:
        return want, lacking

    def rank(minor: Minor) -> tuple[int, int, int]:
        served = sum(minor in minors for minors in constraints.values())
        return -served, abs(minor[1] - want[1]), -minor[1]  # most pins, then nearest, then newer

    return min(ordered, key=rank), lacking
