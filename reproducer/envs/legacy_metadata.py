"""Old distributions whose metadata uv refuses: a legacy version in a requirement (`pytz (>=2011k)`).

pip of their day read such metadata; uv stops on it ("pandas==0.21.1 has invalid metadata"), so an
old paper's exact pin could never resolve. The distribution's own wheel metadata (PEP 658, served
beside each wheel by the index) is read again with each legacy version cut to its release number
(`2011k` -> `2011`: the same or a looser bound) and handed to uv as static `dependency-metadata` for
that one name and version, in a config file the rung's compile and sync both read.
"""

import email.parser
import json
import os
import re
import urllib.error
import urllib.request
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import InvalidWheelFilename, canonicalize_name, parse_wheel_filename
from packaging.version import InvalidVersion, Version

from reproducer.envs.wheels import DEFAULT_INDEX, INDEX_VARIABLE, TIMEOUT_S, fetch_listing

INVALID = re.compile(r"Because (\S+?)==(\S+) has invalid metadata")
# A legacy version's release number and the letters after it (`2011k`, `1.0dev`).
_LEGACY = re.compile(r"(\d+(?:\.\d+)*)[A-Za-z][\w.]*")
MAX_METADATA_BYTES = 1 << 20


def invalid_metadata_pin(stderr: str) -> tuple[str, str] | None:
    """(name, version) of the pin uv found invalid metadata in, if that is why it failed."""
    found = INVALID.search(stderr)
    return (found.group(1), found.group(2)) if found else None


def repaired_requirements(name: str, version: str, index: str | None = None) -> list[str] | None:
    """`Requires-Dist` of `name==version` from its wheels' metadata, legacy versions repaired; None when
    no wheel's metadata can be read (no wheel, an old index, no network)."""
    index = (index or os.environ.get(INDEX_VARIABLE) or DEFAULT_INDEX).rstrip("/")
    try:
        listing = fetch_listing(index, canonicalize_name(name))
    except (OSError, ValueError, urllib.error.URLError):
        return None
    for url in _wheel_urls(listing.get("files", []), version):
        try:
            with urllib.request.urlopen(f"{url}.metadata", timeout=TIMEOUT_S) as response:
                text = response.read(MAX_METADATA_BYTES).decode("utf-8", "replace")
        except (OSError, ValueError, urllib.error.URLError):
            continue
        lines = email.parser.HeaderParser().parsestr(text).get_all("Requires-Dist") or []
        return [repaired for line in lines if (repaired := repair(line)) is not None]
    return None


def repair(line: str) -> str | None:
    """A requirement line made valid: legacy versions cut to their release number; None if hopeless."""
    for candidate in (line, _LEGACY.sub(r"\1", line)):
        try:
            return str(Requirement(candidate))
        except InvalidRequirement:
            continue
    return None


def write_config(path: Path, repaired: dict[tuple[str, str], list[str]]) -> None:
    """A uv config file declaring each (name, version)'s dependencies (TOML strings are JSON strings)."""
    blocks = [
        f"[[dependency-metadata]]\nname = {json.dumps(name)}\nversion = {json.dumps(version)}\n"
        f"requires-dist = {json.dumps(requires)}\n"
        for (name, version), requires in repaired.items()
    ]
    path.write_text("\n".join(blocks), encoding="utf-8")


def _wheel_urls(files: list[dict[str, object]], version: str) -> list[str]:
    urls: list[str] = []
    for file in files:
        filename, url = str(file.get("filename", "")), str(file.get("url", ""))
        try:
            if filename.endswith(".whl") and parse_wheel_filename(filename)[1] == Version(version):
                urls.append(url)
        except (InvalidWheelFilename, InvalidVersion):
            continue
    return urls
