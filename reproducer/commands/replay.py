"""`reproducer replay RUNDIR`: make an agent's recorded tool calls again, without its model."""

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from reproducer.backends.registry import BackendName
from reproducer.pipeline.replay import ReplayReport, replay_run
from reproducer.tasks.load import load_task

INPUT_CHARS = 70


def replay(
    run_dir: Annotated[Path, typer.Argument(metavar="RUNDIR", help="The run whose agent is replayed.")],
    capsule: Annotated[
        str | None,
        typer.Argument(help="Capsule directory, .tar.gz or git URL (default: the task's `capsule`)."),
    ] = None,
    task_file: Annotated[
        Path, typer.Option("--task", help="The run's task file (CORE-Bench JSON or our YAML/JSON).")
    ] = ...,  # type: ignore[assignment]
    capsule_id: Annotated[
        str | None, typer.Option(help="Which task of the file (needed if it holds several).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="New run directory for the replay (default: RUNDIR-replay-<time>).")
    ] = None,
    backend: Annotated[
        BackendName | None, typer.Option(help="Where to replay (default: the recorded run's backend).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the replay report as JSON.")] = False,
) -> None:
    """Re-execute RUNDIR's recorded tool calls on a fresh staging, without any model: each output
    compared with the recorded one, the submitted answers compared, looked for in the outputs and graded
    again (exit 0 when the same answers come out and the replay's outputs hold them as the recorded ones
    did)."""
    task = load_task(task_file, capsule_id)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    new_dir = out or run_dir.with_name(f"{run_dir.resolve().name}-replay-{stamp}")
    console = Console(stderr=True, highlight=False)
    if not as_json:
        console.print(f"[bold]reproducer replay[/] {run_dir} -> {new_dir}")
    report = replay_run(
        run_dir,
        task,
        new_dir,
        source=capsule,
        backend=backend,
        progress=(lambda _m: None) if as_json else (lambda message: console.print(f"  {message}")),
    )
    if as_json:
        print(report.model_dump_json(indent=2))
    else:
        _print_report(Console(highlight=False), report)
    raise typer.Exit(0 if report.reproduced else 1)


def _print_report(console: Console, report: ReplayReport) -> None:
    colours = {"exact": "green", "same": "green", "differs": "yellow"}
    for call in report.calls:
        brief = str(call.input)
        brief = brief if len(brief) <= INPUT_CHARS else brief[: INPUT_CHARS - 3] + "..."
        console.print(
            f"step {call.step:>3} {call.name:<14} [{colours[call.match]}]{call.match:<7}[/] {escape(brief)}"
        )
        for line in call.diff.splitlines():
            console.print(f"      {escape(line)}", style="red" if line.startswith("-") else "green")
    console.print(
        f"{report.matched} of {len(report.calls)} calls gave the recorded output (on {report.backend}); "
        f"replay in {report.replay_dir}"
    )
    for question, value in (report.replayed_answers or report.recorded_answers or {}).items():
        recorded = (report.recorded_answers or {}).get(question)
        before = report.recorded_evidence.get(question) or "in no output"
        after = report.replayed_evidence.get(question) or "in no output"
        console.print(f"{escape(question)}\n  recorded {recorded!r}: {escape(before)}")
        replayed = f"replayed {value!r}: {escape(after)}" if report.replayed_answers else "not submitted"
        console.print(f"  {replayed}")
    if report.reproduced:
        verdict = "[bold green]reproduced[/]: the same answers, held by the replay's outputs"
    elif report.same_answers:
        verdict = "[bold red]not reproduced[/]: the same answers, but the replay's outputs do not hold them"
    else:
        verdict = "[bold red]not reproduced[/]: different answers"
    graded = {None: "", True: "; graded correct", False: "; graded incorrect"}[report.correct]
    console.print(f"{verdict}{graded}")
