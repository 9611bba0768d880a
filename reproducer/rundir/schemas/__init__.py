"""The published JSON Schemas of the run directory's records, generated from their pydantic models.

`scripts/with-uv python -m reproducer.rundir.schemas` writes them beside this module as
`<name>.schema.json`; a test fails when the committed files differ from what the models generate.
"""

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, JsonValue, RootModel

from reproducer.rundir.bench_result import TaskResult
from reproducer.rundir.stamp import SCHEMA_VERSION
from reproducer.rundir.summary import RunSummary
from reproducer.rundir.verdict import VerdictsRecord

FOLDER = Path(__file__).parent


class Report(RootModel[dict[str, JsonValue]]):
    """`report.json`: each question, verbatim, to its answer (CORE-Bench's format); null when unanswered."""


# name -> the model of `<name>.json` (`results` is a bench directory's `results/<key>.json`).
MODELS: dict[str, type[BaseModel]] = {
    "summary": RunSummary,
    "report": Report,
    "verdicts": VerdictsRecord,
    "results": TaskResult,
}


def schema(name: str) -> dict[str, Any]:
    """The JSON Schema of record `name`, with the schema version it describes."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "x-schema-version": SCHEMA_VERSION,
        **MODELS[name].model_json_schema(),
    }


def schema_text(name: str) -> str:
    return json.dumps(schema(name), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def schema_path(name: str) -> Path:
    return FOLDER / f"{name}.schema.json"


def write_schemas() -> list[Path]:
    """Write every schema whose committed file differs; returns the files written."""
    written = []
    for name in MODELS:
        path, text = schema_path(name), schema_text(name)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written
