"""`reproducer run`: reproduce one capsule end to end and write the run directory."""

import datetime as dt
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.console import Console

from reproducer.agent.limits import DEFAULT_DOLLARS, DEFAULT_STEPS, DEFAULT_WALL_SECONDS, AgentLimits
from reproducer.agent.settings import DEFAULT_MODEL, AgentChoice, agent_settings, default_agent
from reproducer.backends.registry import BackendName
from reproducer.commands.isolation import unisolated, warning
from reproducer.commands.live import LiveProgress
from reproducer.commands.model_options import (
    BaseUrlOption,
    FreeOption,
    ModelOption,
    ModelProxyOption,
    PriceInOption,
    PriceOutOption,
    model_choice,
)
from reproducer.compare import DEFAULT_TOLERANCE, CompareOptions, Comparison, adhoc_task
from reproducer.compare.headline import headline
from reproducer.errors import BadInput
from reproducer.pipeline.resume import resume_capsule
from reproducer.pipeline.run import (
    DEFAULT_COMMAND_TIMEOUT_S,
    DEFAULT_TOTAL_TIMEOUT_S,
    RunInterrupted,
    run_capsule,
    terminate_as_interrupt,
)
from reproducer.pipeline.steps import Progress
from reproducer.rundir.layout import COMPARISON_FILE
from reproducer.sandbox.limits import DEFAULT_MAX_DISK_GB, DEFAULT_MAX_MEMORY_GB, GIB, MIN_MEMORY_BYTES
from reproducer.tasks.load import load_task

# The shell's exit status for a command stopped by SIGINT (128 + 2), whichever signal stopped the run.
INTERRUPTED_EXIT = 130


def run(
    capsule: Annotated[
        str | None,
        typer.Argument(help="Capsule directory, .tar.gz or git URL (default: the task's `capsule`)."),
    ] = None,
    task_file: Annotated[
        Path | None,
        typer.Option(
            "--task",
            help="Task file (CORE-Bench JSON or our YAML/JSON). Without one, the regenerated outputs are "
            "compared with the committed ones.",
        ),
    ] = None,
    capsule_id: Annotated[
        str | None, typer.Option(help="Which task of the file (needed if it holds several).")
    ] = None,
    level: Annotated[
        Literal["easy", "medium", "hard"], typer.Option(help="CORE-Bench difficulty level.")
    ] = "hard",
    backend: Annotated[
        BackendName, typer.Option(help="Where the code runs: local (uv + bubblewrap), docker, or auto.")
    ] = "local",
    out: Annotated[
        Path | None, typer.Option(help="Run directory (default: runs/<capsule_id>-<time>).")
    ] = None,
    timeout: Annotated[
        float, typer.Option(help="Time limit per command, in seconds.")
    ] = DEFAULT_COMMAND_TIMEOUT_S,
    total_timeout: Annotated[
        float,
        typer.Option(help="Time limit for all the entry points together, in seconds (shared out in order)."),
    ] = DEFAULT_TOTAL_TIMEOUT_S,
    agent: Annotated[
        AgentChoice | None,
        typer.Option(
            help="claude (our LLM agent, any --model), offline, or your own: 'cmd:PATH [ARGS]' or "
            "py:MODULE:FUNCTION (default: claude if ANTHROPIC_API_KEY is set or --model names another "
            "provider)."
        ),
    ] = None,
    model: ModelOption = DEFAULT_MODEL,
    base_url: BaseUrlOption = None,
    price_in: PriceInOption = None,
    price_out: PriceOutOption = None,
    free: FreeOption = False,
    model_proxy: ModelProxyOption = False,
    max_cost_usd: Annotated[
        float, typer.Option(help="The agent's dollar limit for this task.")
    ] = DEFAULT_DOLLARS,
    max_steps: Annotated[int, typer.Option(help="The agent's step limit.")] = DEFAULT_STEPS,
    max_minutes: Annotated[float, typer.Option(help="The agent's wall-time limit.")] = DEFAULT_WALL_SECONDS
    / 60,
    allow_unknown_price: Annotated[
        bool, typer.Option(help="Run a model with no price in the table (its cost is counted as 0).")
    ] = False,
    tolerance: Annotated[
        float | None,
        typer.Option(
            min=0.0,
            help="Without a task: a looser relative tolerance, reported apart from the default "
            f"{DEFAULT_TOLERANCE:g}.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    resume: Annotated[
        Path | None,
        typer.Option(
            "--resume",
            metavar="RUNDIR",
            help="Continue the interrupted agent of the run in RUNDIR from its trajectory (limits count "
            "what it already spent).",
        ),
    ] = None,
    max_disk_gb: Annotated[
        float,
        typer.Option(
            help="GiB the capsule may write (workspace and home); past it the run ends as disk_limit."
        ),
    ] = DEFAULT_MAX_DISK_GB,
    max_memory_gb: Annotated[
        float,
        typer.Option(
            help="GiB of memory the capsule's sandboxes may hold (a cgroup locally, the container's limit on "
            "Docker); a command past it ends as oom."
        ),
    ] = DEFAULT_MAX_MEMORY_GB,
) -> None:
    """Stage, plan, build, run, harvest, answer and (with ground truth) grade one capsule.

    Without --task: run the code and compare what it regenerates with the outputs the authors committed."""
    compare = None
    if task_file is None:
        if capsule is None:
            raise BadInput("give a capsule (a folder, an archive or a git URL), or a task file with --task")
        if level == "easy":
            raise BadInput("--level easy runs nothing, so there is nothing to compare; use medium or hard")
        task, compare = adhoc_task(capsule), CompareOptions(loose=tolerance)
    else:
        task = load_task(task_file, capsule_id)
    if max_memory_gb * GIB < MIN_MEMORY_BYTES:
        raise BadInput(f"--max-memory-gb must be at least {MIN_MEMORY_BYTES / GIB:g} (GiB)")
    choice = agent or default_agent(model)
    limits = AgentLimits(steps=max_steps, dollars=max_cost_usd, wall_seconds=max_minutes * 60)
    # With no questions there is nothing for the agent to answer.
    settings = (
        agent_settings(
            choice,
            model,
            limits,
            allow_unknown_price=allow_unknown_price,
            model_choice=model_choice(base_url, price_in, price_out, free),
            model_proxy=model_proxy,
        )
        if task_file
        else None
    )
    source = capsule or task.capsule
    if source is None and resume is None:
        raise BadInput(
            f"{task_file}: task {task.capsule_id} names no `capsule`; give the capsule as an argument"
        )
    if resume is not None and (settings is None or settings.model is None):
        raise BadInput("--resume continues our agent: set ANTHROPIC_API_KEY or pass --agent claude")
    if resume is not None and out is not None:
        raise BadInput("--resume goes on in RUNDIR itself; drop --out")
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    run_dir = resume or out or Path("runs") / f"{task.capsule_id}-{stamp}"
    console = Console(stderr=True, highlight=False)
    if level != "easy" and (problem := unisolated(backend)) is not None:  # on stderr, even with --json
        console.print(warning(problem), style="bold red", markup=False, soft_wrap=True)
    if not as_json:
        answerer = (
            f"agent {model}, at most ${max_cost_usd:g} and {max_steps} steps"
            if settings and settings.model
            else f"your agent {settings.name}, at most {max_minutes:g} min"
            if settings
            else "offline answerer: no LLM (set ANTHROPIC_API_KEY or pass --agent claude to use one)"
        )
        doing = f"resuming the agent in {run_dir}" if resume else f"({level}, {backend} backend) -> {run_dir}"
        console.print(f"[bold]reproducer run[/] {task.capsule_id} {doing}")
        if compare:
            console.print("  no task file: the regenerated outputs are compared with the committed ones")
        else:
            console.print(f"  answers by: {answerer}")
    live = LiveProgress(console, run_dir)
    progress: Progress = (lambda _m: None) if as_json else live
    try:
        with terminate_as_interrupt(), nullcontext() if as_json else live:
            if resume is not None and settings is not None:
                summary = resume_capsule(resume, task, settings, source=source, progress=progress)
            else:
                summary = run_capsule(
                    source,  # type: ignore[arg-type] # checked above
                    task,
                    run_dir,
                    level=level,
                    backend=backend,
                    command_timeout_s=timeout,
                    total_timeout_s=total_timeout,
                    agent=settings,
                    max_disk_gb=max_disk_gb,
                    max_memory_gb=max_memory_gb,
                    progress=progress,
                    compare=compare,
                )
    except RunInterrupted as stopped:
        summary = stopped.summary
    except KeyboardInterrupt:
        # A second signal cut the harvest that follows the first: summary.json says `interrupted`.
        console.print(f"[bold red]interrupted[/]; records up to this point in {run_dir}")
        raise typer.Exit(INTERRUPTED_EXIT) from None
    # The verdict on stdout (what a script captures); the steps and notes stay on stderr.
    verdict = Console(highlight=False, soft_wrap=True)
    if as_json:
        print(summary.model_dump_json(indent=2))
    elif compare:
        _print_comparison(verdict, summary.status, Path(summary.run_dir))
    else:
        _print_outcome(verdict, summary.status, summary.answered, summary.unanswered, summary.run_dir)
        if summary.problem is not None and summary.problem != summary.status:
            console.print(f"  [red]but {summary.problem}[/]: the answers came from files the capsule held")
        if summary.produced_nothing:
            console.print("  [yellow]produced nothing[/]: every entry point exited 0 without output")
    if summary.status == "interrupted":
        raise typer.Exit(INTERRUPTED_EXIT)
    raise typer.Exit(0 if summary.status in ("correct", "answered") else 1)


def _print_outcome(console: Console, status: str, answered: int, unanswered: int, run_dir: str) -> None:
    colour = "green" if status in ("correct", "answered") else "red"
    console.print(
        f"[bold {colour}]{status}[/]: {answered} answered, {unanswered} unanswered; records in {run_dir}"
    )


def _print_comparison(console: Console, status: str, run_dir: Path) -> None:
    path = run_dir / COMPARISON_FILE
    if not path.is_file():  # the run stopped before the compare step
        console.print(f"[bold red]{status}[/]: nothing compared; records in {run_dir}")
        return
    comparison = Comparison.model_validate_json(path.read_text(encoding="utf-8"))
    colour = "green" if status == "correct" else "red"
    console.print(f"[bold {colour}]{headline(comparison)}[/]")
    console.print(f"  {status}; details in {path}")
