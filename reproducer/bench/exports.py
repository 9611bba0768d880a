"""Writing the CORE-Bench and HAL files of a run into `RUNDIR/exports/`, one set per repeat.

The CORE-Bench file is named as the official harness names its own, `<YYYYMMDD-HHMMSS>_codeocean_<level>.json`
(the bench's start, in UTC), because its `--resume_path` takes the level from the name (after the first
`_`) and the timestamp from before it. With `--repeats K` each repeat's file goes in `repeat-<k>/`, so
every file keeps that name.
"""

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reproducer.bench.export_corebench import corebench_results
from reproducer.bench.export_hal import hal_run_id, hal_upload, raw_eval_results
from reproducer.capsules import Level
from reproducer.jsonio import write_json_atomic
from reproducer.rundir.bench_layout import BenchDir
from reproducer.rundir.bench_result import TaskResult
from reproducer.rundir.statuses import SKIPPED
from reproducer.tasks.model import Task


def write_exports(
    bench_dir: BenchDir,
    results: Sequence[TaskResult],
    tasks: dict[str, Task],
    *,
    level: Level,
    run_id: str,
    started: str,
    repeats: int,
    agent_args: dict[str, Any],
    command_line: str,
) -> list[Path]:
    """Write the files for the finished, not skipped results; returns their paths."""
    counted = [result for result in results if result.status != SKIPPED]
    written: list[Path] = []
    for repeat in range(1, repeats + 1):
        subset = [result for result in counted if result.repeat == repeat]
        tag = repeat if repeats > 1 else None
        folder = bench_dir.exports / "corebench" / (f"repeat-{repeat}" if tag else "")
        corebench = folder / corebench_file_name(started, level)
        write_json_atomic(corebench, corebench_results(subset))
        hal_id = hal_run_id(level, run_id, tag)
        raw = bench_dir.exports / "hal" / f"{hal_id}.json"
        upload = bench_dir.exports / "hal" / f"{hal_id}_UPLOAD.json"
        write_json_atomic(raw, raw_eval_results(subset))
        write_json_atomic(
            upload,
            hal_upload(
                bench_dir.root,
                subset,
                tasks,
                level=level,
                run_id=hal_id,
                agent_args=agent_args,
                command_line=command_line,
            ),
        )
        written += [corebench, raw, upload]
    return written


def corebench_file_name(started: str, level: Level) -> str:
    """`<YYYYMMDD-HHMMSS>_codeocean_<level>.json` for a bench started at `started` (ISO 8601)."""
    stamp = dt.datetime.fromisoformat(started).strftime("%Y%m%d-%H%M%S")
    return f"{stamp}_codeocean_{level}.json"
