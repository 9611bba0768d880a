"""Render a ReportView to self-contained HTML pages with the package's Jinja2 templates.

A single run is one page. A bench is an index page (summary, charts, the table of tasks) and one page per
task in a folder beside it (`report.html` -> `report-tasks/`), so the index of hundreds of tasks stays
small and each task's figures, logs and trajectory load only when opened. No page has scripts or loads
anything from the network.
"""

import re
from functools import cache
from importlib.resources import files
from pathlib import Path

import jinja2

from reproducer.errors import BadInput
from reproducer.report.bench import is_bench_dir
from reproducer.report.build import ReportView, build_report
from reproducer.report.task_view import TaskView

TEMPLATES = "templates"
PAGE = "report.html.j2"
TASK_PAGE = "task_page.html.j2"
TASKS_FOLDER_SUFFIX = "-tasks"
UNSAFE_FILE_CHARS = re.compile(r"[^A-Za-z0-9_.+-]")
# Statuses a reader should see as a success or as a failure; anything else is neutral.
GOOD_STATUSES = frozenset({"correct", "answered", "ok"})
BAD_STATUSES = frozenset(
    {
        # runs and bench tasks
        *("incorrect", "unanswered", "timeout", "cost_limit", "env_failed", "infra_error", "invalid_task"),
        *("no_entry_point", "interrupted"),
        # steps, ladder rungs and commands
        *("failed", "error", "killed", "oom", "output_limit", "disk_limit"),
    }
)


def _template_source(name: str) -> str:
    return files("reproducer.report").joinpath(TEMPLATES, name).read_text(encoding="utf-8")


def tone(status: str) -> str:
    """The CSS class for a status: good, bad or neutral (never the status text itself)."""
    if status in GOOD_STATUSES:
        return "good"
    return "bad" if status in BAD_STATUSES else "neutral"


def _money(value: float) -> str:
    return f"${value:.4f}"


@cache
def environment() -> jinja2.Environment:
    """Autoescaping everywhere: every text on the page may come from a hostile capsule."""
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(_template_source),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["tone"] = tone
    env.filters["money"] = _money
    return env


def render_report(view: ReportView) -> str:
    return environment().get_template(PAGE).render(report=view)


def task_page_name(task: TaskView) -> str:
    """The task's page: its anchor keeps names unique (`a#1` and `a_1` are both possible keys)."""
    return f"{task.anchor}-{UNSAFE_FILE_CHARS.sub('_', task.capsule_id)}.html"


def write_report_html(path: Path, out: Path | None = None) -> Path:
    """Write the report of the run directory `path` (single task or bench) to `out` (default
    `path/report.html`), with a bench's task pages beside it, and return where the index went."""
    target = out or path / "report.html"
    if target.is_dir():
        raise BadInput(f"{target}: is a folder; --out names the HTML file to write")
    target.parent.mkdir(parents=True, exist_ok=True)
    if not is_bench_dir(path):
        _write(target, render_report(build_report(path)))
        return target
    folder = target.with_name(f"{target.stem}{TASKS_FOLDER_SUFFIX}")
    folder.mkdir(exist_ok=True)
    written: set[str] = set()
    template = environment().get_template(TASK_PAGE)

    def task_page(task: TaskView) -> None:
        name = task_page_name(task)
        _write(folder / name, template.render(task=task, index=f"../{target.name}", source=str(path)))
        written.add(name)
        task.page = f"{folder.name}/{name}"
        task.keep_summary_only()

    view = build_report(path, task_page)
    for stale in folder.glob("*.html"):  # pages of tasks an earlier report had and this one has not
        if stale.name not in written:
            stale.unlink()
    _write(target, render_report(view))
    return target


def _write(target: Path, html: str) -> None:
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_text(html, encoding="utf-8")
    temporary.replace(target)
