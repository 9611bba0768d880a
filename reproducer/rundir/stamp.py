"""What every record of a run or bench directory carries, written by one helper: the schema version, the
tool's version, and when the work it records started and ended (UTC, ISO-8601).

A reader can then tell which reproducer wrote a file and against which schema (`rundir/schemas/`). The one
exception is `report.json`: its keys are the questions (CORE-Bench's format, read by other harnesses), so a
stamp there would read as a question; its version and times are those of `summary.json` beside it.
"""

import datetime as dt
import json
from importlib import metadata
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from reproducer.jsonio import write_json_atomic

# Raised when a field changes meaning or a required field is added; readers accept older versions.
SCHEMA_VERSION = 1
TOOL = "reproducer"


class Stamped(BaseModel):
    """The stamp's fields, declared on each record model so that its JSON Schema lists them. Absent (None)
    in records written before stamps."""

    schema_version: int | None = None
    tool_version: str | None = None
    started_at: str | None = None
    finished_at: str | None = None


STAMP_KEYS = ("schema_version", "tool_version", "started_at", "finished_at")


def unstamped(record: dict[str, Any]) -> dict[str, Any]:
    """`record` without its stamp: what its writer handed to `write_record`, for comparing contents."""
    return {key: value for key, value in record.items() if key not in STAMP_KEYS}


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def tool_version() -> str:
    try:
        return metadata.version(TOOL)
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def stamped(
    data: BaseModel | dict[str, Any], *, started_at: str | None = None, earlier: str | None = None
) -> dict[str, Any]:
    """`data` as a JSON object with its stamp. `started_at` is the one given, else the one `data` has,
    else `earlier` (the file's), else now; `finished_at` is now."""
    body = data.model_dump(mode="json") if isinstance(data, BaseModel) else dict(data)
    time = now()
    return body | {
        "schema_version": SCHEMA_VERSION,
        "tool_version": tool_version(),
        "started_at": started_at or body.get("started_at") or earlier or time,
        "finished_at": time,
    }


def write_record(path: Path, data: BaseModel | dict[str, Any], *, started_at: str | None = None) -> None:
    """Write the record `data` to `path` atomically, stamped. A record rewritten as its work goes on (a
    run's summary) keeps the `started_at` of its first writing."""
    write_json_atomic(path, stamped(data, started_at=started_at, earlier=_started_at(path)))


def _started_at(path: Path) -> str | None:
    try:
        earlier = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = earlier.get("started_at") if isinstance(earlier, dict) else None
    return value if isinstance(value, str) else None
