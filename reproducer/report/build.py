"""What a report shows, from a single-task run directory or a bench run directory."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from reproducer.errors import BadInput
from reproducer.report.bench import BenchView, bench_tasks, is_bench_dir
from reproducer.report.charts import Chart
from reproducer.report.limits import PAGE_IMAGE_BYTES
from reproducer.report.summary import Totals, charts, totals
from reproducer.report.task_view import RECORDS, TaskView, task_view


@dataclass
class ReportView:
    """The whole page: where it comes from, the summary and charts, and every task."""

    source: str
    kind: str  # "run" or "bench"
    generated: str
    tasks: list[TaskView] = field(default_factory=list)
    totals: Totals | None = None
    charts: list[Chart] = field(default_factory=list)
    bench: BenchView | None = None


def build_report(path: Path, task_page: Callable[[TaskView], None] | None = None) -> ReportView:
    """Read `path` (a run directory of `reproducer run`, or of `reproducer bench`) into a ReportView.

    With `task_page`, each task of a bench gets a page of its own: `task_page` is called with each task
    as soon as it is read (its figures within one page's budget), and may then slim it."""
    if not path.is_dir():
        raise BadInput(f"{path}: no such run directory")
    stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    if is_bench_dir(path):

        def finish(task: TaskView) -> None:
            if task_page is not None:
                _keep_images_within_budget([task])
                task_page(task)

        bench, tasks = bench_tasks(path, finish)
        view = ReportView(str(path), "bench", stamp, tasks, bench=bench)
    elif any((path / f"{name}.json").is_file() for name in RECORDS):
        view = ReportView(str(path), "run", stamp, [task_view(path, "task-1")])
    else:
        raise BadInput(
            f"{path}: not a run directory (no summary.json or other records of `reproducer run`, "
            "and no config.json or results/ of `reproducer bench`)"
        )
    view.totals, view.charts = totals(view.tasks), charts(view.tasks)
    _keep_images_within_budget(view.tasks)
    return view


def _keep_images_within_budget(tasks: list[TaskView]) -> None:
    spent = 0
    for task in tasks:
        for index, figure in enumerate(task.figures):
            spent += len(figure.data_uri)
            if figure.data_uri and spent > PAGE_IMAGE_BYTES:
                note = f"not embedded: the page's figures already take {PAGE_IMAGE_BYTES} bytes"
                task.figures[index] = replace(figure, data_uri="", problem=note)
