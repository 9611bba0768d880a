"""`reproducer truth`: ground truth for a new task, from several real runs of its capsule."""

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

import typer
from pydantic import ValidationError
from rich.console import Console

from reproducer.commands.live import RUN_LOGS, LiveProgress
from reproducer.errors import BadInput, WorkFailed
from reproducer.grading.interval import MIN_RUNS_FOR_SPREAD
from reproducer.pipeline.run import DEFAULT_COMMAND_TIMEOUT_S
from reproducer.tasks.model import Task
from reproducer.truth import read_questions, record_truth, write_task_file
from reproducer.truth.naming import default_capsule_id, resolved_source
from reproducer.truth.write import JSON_SUFFIXES, YAML_SUFFIXES

DEFAULT_RUNS = 3
DEFAULT_PROMPT = "Run the capsule's code and report the values the questions ask for."
OUT_HELP = "Task file to write: .yaml/.yml (our format) or .json (CORE-Bench) (default: RUN_DIR/task.yaml)."


def truth(
    capsule: Annotated[str, typer.Argument(help="Capsule directory, .tar.gz or git URL.")],
    questions: Annotated[
        Path,
        typer.Option(
            help="YAML/JSON list of question texts, a task file whose questions are taken, or the "
            "comparison.json of a `reproducer run` without a task (a question per number that reproduced)."
        ),
    ] = ...,  # type: ignore[assignment]
    runs: Annotated[
        int, typer.Option(min=MIN_RUNS_FOR_SPREAD, help="How many runs (the grader's interval needs 2+).")
    ] = DEFAULT_RUNS,
    out: Annotated[Path | None, typer.Option(help=OUT_HELP)] = None,
    run_dir: Annotated[
        Path | None,
        typer.Option(help="Where the runs go, as RUN_DIR/truth/run-<k> (default: runs/<id>-truth-<time>)."),
    ] = None,
    capsule_id: Annotated[
        str | None, typer.Option(help="The task's capsule id (default: the task file's, or from the path).")
    ] = None,
    title: Annotated[str | None, typer.Option(help="capsule_title.")] = None,
    field: Annotated[str | None, typer.Option(help="Field of science.")] = None,
    language: Annotated[str | None, typer.Option(help="Language of the code (Python, R, ...).")] = None,
    doi: Annotated[str | None, typer.Option(help="capsule_doi.")] = None,
    task_prompt: Annotated[str | None, typer.Option(help="The task prompt.")] = None,
    level: Annotated[
        Literal["easy", "medium", "hard"], typer.Option(help="The level the runs are made at.")
    ] = "hard",
    timeout: Annotated[
        float, typer.Option(help="Time limit per command, in seconds.")
    ] = DEFAULT_COMMAND_TIMEOUT_S,
    allow_missing: Annotated[
        bool,
        typer.Option(help="Write the task even if some run left questions unanswered (they are left out)."),
    ] = False,
) -> None:
    """Reproduce CAPSULE several times and write a task file whose ground truth is every run's answers."""
    source = read_questions(questions, capsule_id)
    known = source.task
    chosen_id = capsule_id or (known.capsule_id if known else default_capsule_id(capsule))
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    root = run_dir or Path("runs") / f"{chosen_id}-truth-{stamp}"
    target = out or root / "task.yaml"
    if target.suffix.lower() not in (*YAML_SUFFIXES, *JSON_SUFFIXES) or target.is_dir():
        raise BadInput(f"{target}: --out must be a .yaml, .yml (our format) or .json (CORE-Bench) file")
    try:
        task = Task(
            capsule_id=chosen_id,
            task_prompt=task_prompt or (known.task_prompt if known else DEFAULT_PROMPT),
            field=field if field is not None else (known.field if known else ""),
            language=language if language is not None else (known.language if known else ""),
            capsule_title=title if title is not None else (known.capsule_title if known else ""),
            capsule_doi=doi if doi is not None else (known.capsule_doi if known else ""),
            questions=source.questions,
            capsule=resolved_source(capsule),
        )
    except ValidationError as error:
        raise BadInput(f"the task cannot be made: {error.errors()[0]['msg']}") from None

    console = Console(stderr=True, highlight=False, soft_wrap=True)
    console.print(f"[bold]reproducer truth[/] {task.capsule_id}: {runs} runs ({level}) -> {root}")
    with LiveProgress(console, root, [f"truth/run-*/{pattern}" for pattern in RUN_LOGS]) as live:
        found = record_truth(
            capsule,
            task,
            root,
            runs,
            level=level,
            command_timeout_s=timeout,
            allow_missing=allow_missing,
            progress=live,
        )
    for hole in found.holes:
        console.print(f"[yellow]left out:[/] {hole}", markup=True)
    results = found.complete()
    if not results[0]:
        raise WorkFailed(f"no ground truth written: no question was answered in every run (runs in {root})")
    try:
        recorded = Task.model_validate(task.model_dump() | {"results": results, "questions": []})
    except ValidationError as error:
        raise WorkFailed(f"the runs' answers cannot be ground truth: {error.errors()[0]['msg']}") from None
    write_task_file(recorded, target, _comment(runs, level))
    _print_values(console, results)
    Console(highlight=False, soft_wrap=True).print(f"[bold green]wrote[/] {target}")  # the outcome, on stdout


def _comment(runs: int, level: str) -> str:
    return f"Ground truth recorded by `reproducer truth` from {runs} real runs at the {level} level."


def _print_values(console: Console, results: list[dict[str, object]]) -> None:
    for question in results[0]:
        values = [run[question] for run in results]
        spread = "same in every run" if len({repr(value) for value in values}) == 1 else "differs"
        console.print(f"  {question}", markup=False)
        console.print(f"    {', '.join(repr(value) for value in values)} ({spread})", markup=False)
