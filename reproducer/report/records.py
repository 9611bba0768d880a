"""Reading a run's records for the report: a missing or broken file is noted, never fatal."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reproducer.report.limits import MAX_JSON_BYTES
from reproducer.safefs import Refused, read_inside


@dataclass(frozen=True)
class Record:
    """A JSON record: `data` when it was read; `problem` says why not when the file is there but unusable."""

    data: Any = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.data is not None


def read_json(path: Path) -> Record:
    return _read(path, json.loads)


def read_jsonl(path: Path) -> Record:
    """A JSON-lines file as a list (a line that is not JSON is skipped: a run killed mid-write)."""

    def parse(text: str) -> list[Any]:
        rows: list[Any] = []
        for line in text.splitlines():
            try:
                rows.append(json.loads(line))
            except ValueError:
                continue
        return rows

    return _read(path, parse)


def _read(path: Path, parse: Any) -> Record:
    try:
        if path.stat().st_size > MAX_JSON_BYTES:
            return Record(problem=f"{path.name} is larger than {MAX_JSON_BYTES} bytes; not read")
        # Not through a link out of its folder, not a fifo or a device, and capped even if it grows.
        data = read_inside(path.parent, path.name, MAX_JSON_BYTES)
        return Record(parse(data.decode("utf-8", errors="replace")))
    except FileNotFoundError:
        return Record()
    except Refused as refused:
        return Record(problem=f"{path.name} is not read: {refused}")
    except (OSError, ValueError) as error:
        return Record(problem=f"{path.name} cannot be read ({error})")


def inside(root: Path, path: Path) -> Path | None:
    """`path` (absolute, or relative to `root`) when it resolves to a file inside `root`, else None.

    A run directory may come from elsewhere: its records must not make the report read other files.
    """
    try:
        resolved = (root / path).resolve()
        if resolved.is_relative_to(root.resolve()) and resolved.is_file():
            return resolved
    except (OSError, ValueError):
        return None
    return None


def mapping(value: Any) -> dict[str, Any]:
    """`value` when it is a JSON object, else an empty one (a record of the wrong shape shows nothing)."""
    return value if isinstance(value, dict) else {}


def dig(data: Any, *keys: str, default: Any = None) -> Any:
    """`data[k1][k2]...` through dictionaries, or `default` as soon as a step is missing."""
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return default
        data = data[key]
    return data
