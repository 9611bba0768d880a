"""The summary of a report: one row per task, accuracy by level, field and language, cost and time."""

from collections.abc import Callable
from dataclasses import dataclass

from reproducer.report.charts import Bar, Chart, Row, bar_chart
from reproducer.report.task_view import TaskView

UNKNOWN = "(not given)"
SERIES = ["official", "robust"]


@dataclass(frozen=True)
class Totals:
    tasks: int
    official: int
    robust: int
    graded: int
    cost_usd: float
    seconds: float


def totals(tasks: list[TaskView]) -> Totals:
    return Totals(
        tasks=len(tasks),
        official=sum(task.counted and task.official is True for task in tasks),
        robust=sum(task.counted and task.robust is True for task in tasks),
        graded=sum(task.counted for task in tasks),
        cost_usd=round(sum(task.cost_usd for task in tasks), 6),
        seconds=round(sum(task.seconds for task in tasks), 3),
    )


# Bars in a per-task chart; beyond it the chart shows the largest ones (the table lists every task).
PER_TASK_BARS = 30


def charts(tasks: list[TaskView]) -> list[Chart]:
    """Accuracy per level, field and language (official and robust), then cost and time per task."""
    made = [
        _accuracy("accuracy by level", tasks, lambda task: task.level),
        _accuracy("accuracy by field", tasks, lambda task: task.field),
        _accuracy("accuracy by language", tasks, lambda task: task.language),
    ]
    costly, slow, of = _largest(tasks, "cost_usd"), _largest(tasks, "seconds"), _of(tasks)
    cost = [Row(task.capsule_id, [Bar(task.cost_usd, f"${task.cost_usd:.4f}")]) for task in costly]
    time = [Row(task.capsule_id, [Bar(task.seconds, _duration(task.seconds))]) for task in slow]
    made += [bar_chart(f"cost per task (USD){of}", cost), bar_chart(f"time per task{of}", time)]
    return made


def _largest(tasks: list[TaskView], attribute: str) -> list[TaskView]:
    """Every task, or the PER_TASK_BARS largest, largest first: 270 bars would be a wall, not a chart."""
    if len(tasks) <= PER_TASK_BARS:
        return tasks
    return sorted(tasks, key=lambda task: float(getattr(task, attribute)), reverse=True)[:PER_TASK_BARS]


def _of(tasks: list[TaskView]) -> str:
    return f": the {PER_TASK_BARS} largest of {len(tasks)}" if len(tasks) > PER_TASK_BARS else ""


def _accuracy(title: str, tasks: list[TaskView], key: Callable[[TaskView], str]) -> Chart:
    """Share of correct tasks per group, over the tasks in the denominator (errors count as wrong)."""
    groups: dict[str, list[TaskView]] = {}
    for task in tasks:
        if task.counted:
            groups.setdefault(key(task) or UNKNOWN, []).append(task)
    rows = []
    for label, members in sorted(groups.items()):
        bars = []
        for series, name in enumerate(SERIES):
            correct = sum(getattr(task, name) is True for task in members)
            share = correct / len(members)
            bars.append(Bar(share, f"{correct}/{len(members)} ({share:.0%})", series))
        rows.append(Row(label, bars))
    return bar_chart(title, rows, legend=SERIES, top=1.0)


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"
