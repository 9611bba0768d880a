"""One task's run directory, read into what the page shows. Nothing in it stops the report: a missing
record leaves its section empty, a broken one is named in the task's problems."""

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dc_field
from pathlib import Path
from typing import Any, TypeVar

from reproducer.report.answers_view import AnswerRow, answer_rows
from reproducer.report.commands_view import CommandView, command_views
from reproducer.report.comparison_view import ComparisonView, comparison_view
from reproducer.report.env_view import EnvView, env_view
from reproducer.report.figures import Figure, figures
from reproducer.report.limits import FILE_HEAD_CHARS, FILE_TAIL_CHARS
from reproducer.report.plan_view import PlanRow, plan_rows
from reproducer.report.records import dig, mapping, read_json
from reproducer.report.text import Excerpt, clean, file_excerpt
from reproducer.report.trajectory_view import TrajectoryView, trajectory_view
from reproducer.rundir.layout import RunDir

T = TypeVar("T")
RECORDS = ("summary", "plan", "answers", "report", "verdicts", "trajectory")
# Each record of RECORDS by name, as a JSON object (empty when missing or of the wrong shape).
Records = dict[str, dict[str, Any]]


@dataclass(frozen=True)
class StepRow:
    name: str
    status: str
    seconds: float
    detail: str


@dataclass
class TaskView:
    """What the page shows of one task; `field` and `language` come from the task when a bench knows it."""

    anchor: str
    capsule_id: str
    run_dir: str
    level: str = ""
    status: str = "unknown"
    answerer: str = ""
    field: str = ""
    language: str = ""
    steps: list[StepRow] = dc_field(default_factory=list)
    seconds: float = 0.0
    cost_usd: float = 0.0
    answered: int = 0
    questions: int = 0
    official: bool | None = None
    robust: bool | None = None
    # Whether the task is in the accuracy's denominator: graded, or (in a bench) finished and not skipped.
    counted: bool = False
    plan: list[PlanRow] = dc_field(default_factory=list)
    plan_warnings: list[str] = dc_field(default_factory=list)
    env: EnvView = dc_field(default_factory=EnvView)
    commands: list[CommandView] = dc_field(default_factory=list)
    commands_left_out: int = 0
    figures: list[Figure] = dc_field(default_factory=list)
    # A run without questions: its regenerated outputs against the committed ones.
    comparison: ComparisonView | None = None
    answers: list[AnswerRow] = dc_field(default_factory=list)
    trajectory: TrajectoryView | None = None
    traceback: Excerpt | None = None
    problems: list[str] = dc_field(default_factory=list)
    # A bench's task has a page of its own (this path, relative to the index page); "" when it is a
    # section of the same page (a single run).
    page: str = ""

    def keep_summary_only(self) -> None:
        """Drop what only the task's own page shows (figures, logs, the trajectory): a bench's index of
        hundreds of tasks keeps just the lines of its table and charts in memory."""
        self.plan, self.plan_warnings, self.env = [], [], EnvView()
        self.commands, self.figures, self.answers = [], [], []
        self.trajectory = self.traceback = None


def task_view(run_dir: Path, anchor: str, name: str = "") -> TaskView:
    """Read the single-task run directory `run_dir`; `name` names it when its summary does not."""
    loaded = {key: read_json(run_dir / f"{key}.json") for key in RECORDS}
    data = {key: mapping(record.data) for key, record in loaded.items()}
    summary = data["summary"]
    view = TaskView(anchor, clean(str(summary.get("capsule_id") or name or run_dir.name)), str(run_dir))
    view.problems = [record.problem for record in loaded.values() if record.problem]
    _header(view, summary, data)
    _sections(view, run_dir, summary, data)
    records = RunDir(run_dir)
    if records.traceback.is_file():
        view.traceback = file_excerpt(records.traceback, FILE_HEAD_CHARS, FILE_TAIL_CHARS)
    return view


def _header(view: TaskView, summary: dict[str, Any], data: Records) -> None:
    """The task's line in the summary: status, time, cost, answers and verdicts."""
    view.level, view.answerer = str(summary.get("level", "")), clean(str(summary.get("answerer", "")))
    view.field, view.language = clean(str(summary.get("field", ""))), clean(str(summary.get("language", "")))
    view.status = str(summary.get("status") or ("unknown" if summary else "no summary.json"))
    view.steps = [_step(step) for step in summary.get("steps") or [] if isinstance(step, dict)]
    view.seconds = round(sum(step.seconds for step in view.steps), 3)
    view.answered, view.questions = _count(summary.get("answered")), _questions(summary, data["report"])
    grades = _verdicts(summary, data)
    view.official, view.robust = _correct(grades.get("official")), _correct(grades.get("robust"))
    view.counted = view.official is not None
    view.cost_usd = _cost(summary, data["trajectory"])


def _sections(view: TaskView, run_dir: Path, summary: dict[str, Any], data: Records) -> None:
    """The collapsible sections, each built on its own so one broken record spoils only its section."""
    trajectory = data["trajectory"] or None
    records = RunDir(run_dir)
    view.plan = _safe(view, "plan", lambda: plan_rows(data["plan"]), [])
    warnings = data["plan"].get("warnings")
    view.plan_warnings = [clean(str(text)) for text in warnings] if isinstance(warnings, list) else []
    view.env = _safe(view, "environment", lambda: env_view(records.env), EnvView())
    view.env.outcome = _env_outcome(view.steps, summary)
    no_commands: tuple[list[CommandView], int] = ([], 0)
    view.commands, view.commands_left_out = _safe(
        view, "commands", lambda: command_views(run_dir, summary), no_commands
    )
    capsule_dir = records.workspace / str(summary.get("capsule_id") or view.capsule_id)
    view.figures = _safe(view, "figures", lambda: figures(run_dir, capsule_dir, trajectory), [])
    view.comparison = _safe(view, "comparison", lambda: comparison_view(run_dir, capsule_dir), None)
    submitted = mapping(dig(trajectory, "outcome", "answers")) if trajectory else None
    grades = _verdicts(summary, data)
    view.answers = _safe(
        view, "answers", lambda: answer_rows(data["report"], data["answers"], grades, submitted), []
    )
    if trajectory:
        view.trajectory = _safe(view, "trajectory", lambda: trajectory_view(trajectory), None)


def _verdicts(summary: dict[str, Any], data: Records) -> dict[str, Any]:
    """verdicts.json, or the grades summary.json keeps when there is none."""
    return data["verdicts"] or {mode: summary.get(mode) for mode in ("official", "robust")}


def _env_outcome(steps: list[StepRow], summary: dict[str, Any]) -> str:
    step = next((step for step in steps if step.name == "environment"), None)
    if step is None:
        return ""
    label = clean(str(summary.get("environment_label") or ""))
    return f"{step.status}: {step.detail}" + (f" ({label})" if label and label not in step.detail else "")


def _safe(view: TaskView, section: str, build: Callable[[], T], fallback: T) -> T:
    """A section built from malformed records is left out with a note, not a crash of the whole report."""
    try:
        return build()
    except (KeyError, TypeError, ValueError, AttributeError, OSError) as error:
        view.problems.append(f"the {section} section cannot be shown: {type(error).__name__}: {error}")
        return fallback


def _step(step: dict[str, Any]) -> StepRow:
    seconds = step.get("seconds")
    return StepRow(
        name=clean(str(step.get("name", ""))),
        status=str(step.get("status", "")),
        seconds=float(seconds) if isinstance(seconds, int | float) else 0.0,
        detail=clean(str(step.get("detail", ""))),
    )


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _questions(summary: dict[str, Any], report: dict[str, Any]) -> int:
    counted = _count(summary.get("answered")) + _count(summary.get("unanswered"))
    return counted or len(report)


def _correct(grade: Any) -> bool | None:
    return bool(grade["correct"]) if isinstance(grade, dict) and "correct" in grade else None


def _cost(summary: dict[str, Any], trajectory: dict[str, Any] | None) -> float:
    cost = dig(summary, "agent", "cost_usd")
    if not isinstance(cost, int | float):
        cost = dig(trajectory, "totals", "cost_usd") if trajectory else 0.0
    return float(cost) if isinstance(cost, int | float) else 0.0
