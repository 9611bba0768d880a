"""Render a ReportView to one self-contained HTML page with the package's Jinja2 templates."""

from functools import cache
from importlib.resources import files
from pathlib import Path

import jinja2

from reproducer.errors import BadInput
from reproducer.report.build import ReportView, build_report

TEMPLATES = "templates"
PAGE = "report.html.j2"
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


def write_report_html(path: Path, out: Path | None = None) -> Path:
    """Write the report of the run directory `path` (single task or bench) to `out` (default
    `path/report.html`) and return where it went."""
    target = out or path / "report.html"
    if target.is_dir():
        raise BadInput(f"{target}: is a folder; --out names the HTML file to write")
    html = render_report(build_report(path))
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_text(html, encoding="utf-8")
    temporary.replace(target)
    return target
