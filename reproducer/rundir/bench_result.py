"""One finished benchmark task, as written to `RUNDIR/results/<key>.json`."""

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from reproducer.errors import BadInput
from reproducer.rundir.stamp import Stamped
from reproducer.rundir.statuses import ResultStatus
from reproducer.rundir.verdict import TaskGrade


class CapsuleRecord(BaseModel):
    """Where the task's capsule came from and what is known of its integrity."""

    source: str
    archive: str | None = None
    sha256: str | None = None
    # True: the archive matched a checksum from the manifest; False: no checksum was known for it.
    checksum_verified: bool = False
    downloaded: bool = False


class TaskResult(Stamped):
    """The outcome of one task of a bench run. `run_dir` and `traceback` are relative to RUNDIR."""

    key: str
    capsule_id: str
    repeat: int = 1
    status: ResultStatus
    detail: str = ""
    level: str
    field: str = ""
    language: str = ""
    capsule_title: str = ""
    total_written: int = 0
    total_vision: int = 0
    dropped_vision: int = 0
    official: TaskGrade | None = None
    robust: TaskGrade | None = None
    report: Any = None
    result_paths: list[str] = Field(default_factory=list)
    result_paths_success: bool | None = None
    uses_gpu: bool | None = None
    capsule: CapsuleRecord | None = None
    cost_usd: float = 0.0
    agent_steps: int | None = None
    started_at: str
    finished_at: str
    seconds: float
    prepare_seconds: float = 0.0
    run_seconds: float = 0.0
    run_dir: str | None = None
    traceback: str | None = None


def read_result(path: Path) -> TaskResult:
    try:
        return TaskResult.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, ValidationError) as error:
        raise BadInput(
            f"{path}: not a readable task result ({error}); move it away to run the task again"
        ) from None


def read_results(results_dir: Path, keys: set[str]) -> dict[str, TaskResult]:
    """The results of the given keys that exist, by key."""
    found: dict[str, TaskResult] = {}
    for key in sorted(keys):
        path = results_dir / f"{key}.json"
        if path.is_file():
            found[key] = read_result(path)
    return found
