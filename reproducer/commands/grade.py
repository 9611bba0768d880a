"""`reproducer grade`: grade a report against a task's ground truth, showing why each answer passed or not."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from reproducer.grading import grade as grade_report
from reproducer.grading.report_file import load_report
from reproducer.rundir.verdict import TaskGrade, Verdict
from reproducer.tasks.load import load_task

# Questions are long and often differ only at their end, so a cut keeps both the head and the tail.
QUESTION_HEAD = 50
QUESTION_TAIL = 30


TASK_HELP = "Task file (CORE-Bench JSON or our own format), or corebench-train."
MODE_HELP = "official: CORE-Bench's grader, quirks included; robust: each question judged on its own."
JSON_HELP = "Print the grade as JSON instead of a table."


class GradeMode(StrEnum):
    official = "official"
    robust = "robust"


def shorten(question: str) -> str:
    """The question's head and tail around an ellipsis, cut at spaces where there are any."""
    if len(question) <= QUESTION_HEAD + QUESTION_TAIL + 1:
        return question
    head, tail = question[:QUESTION_HEAD], question[-QUESTION_TAIL:]
    head = head.rsplit(" ", 1)[0] if " " in head else head
    tail = tail.split(" ", 1)[1] if " " in tail else tail
    return f"{head} … {tail}"


def _verdict_cell(verdict: Verdict) -> Text:
    if verdict.correct:
        return Text("correct", style="bold green")
    return Text("wrong" if verdict.graded else "wrong (not graded)", style="bold red")


def _table(result: TaskGrade) -> Table:
    table = Table(title=f"{result.capsule_id} — {result.mode} grading", show_lines=True)
    table.add_column("#", justify="right")
    table.add_column("question", ratio=2)
    table.add_column("kind")
    table.add_column("verdict")
    table.add_column("reason", ratio=3)
    for number, verdict in enumerate(result.verdicts, start=1):
        question = Text(shorten(verdict.question))
        table.add_row(str(number), question, verdict.kind, _verdict_cell(verdict), Text(verdict.reason))
    return table


def _totals(result: TaskGrade) -> Text:
    outcome = Text("task correct", style="bold green")
    if not result.correct:
        outcome = Text("task wrong", style="bold red")
    return Text.assemble(
        f"written {result.correct_written}/{result.total_written}, "
        f"vision {result.correct_vision}/{result.total_vision}: ",
        outcome,
    )


def grade(
    report: Annotated[Path, typer.Argument(help="The report: a JSON object from question text to answer.")],
    task: Annotated[Path, typer.Option("--task", help=TASK_HELP)],
    capsule: Annotated[
        str | None, typer.Option("--capsule-id", help="Capsule id, when the task file holds several tasks.")
    ] = None,
    capsule_old: Annotated[str | None, typer.Option("--capsule", hidden=True)] = None,  # the old spelling
    mode: Annotated[GradeMode, typer.Option("--mode", help=MODE_HELP)] = GradeMode.official,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Grade REPORT against the task's ground truth; exit 0 when the task is correct, 1 when not."""
    chosen = load_task(task, capsule or capsule_old)
    result = grade_report(chosen, load_report(report), mode.value)
    if as_json:
        typer.echo(result.model_dump_json(indent=2))
    else:
        console = Console()
        console.print(_table(result))
        if result.error is not None:
            console.print(Text(f"grading failed as a whole: {result.error}", style="red"))
        console.print(_totals(result))
    raise typer.Exit(0 if result.correct else 1)
