"""The `reproducer` command line: one typer app, each verb in its own module under `commands/`.

Only the verb being run is imported: `bench` pulls in the pipeline, the agent and Docker, `grade`
numpy and scipy, and loading all of them made `reproducer --help` take seconds. Every other verb is
registered as a stub that carries its one-line help, so the top-level help still lists them all.
"""

import importlib
import sys
from collections.abc import Callable
from importlib.metadata import version
from typing import Annotated, Any

import typer

from reproducer.errors import ReproducerError

# verb -> (module under reproducer.commands, its typer sub-app "app" or command function, one-line help)
VERBS: dict[str, tuple[str, str, str]] = {
    "run": (
        "run",
        "run",
        "Reproduce one capsule end to end and write the run directory.",
    ),
    "bench": ("bench", "app", "Run many tasks: parallel, resumable, with honest scores."),
    "grade": (
        "grade",
        "grade",
        "Grade REPORT against the task's ground truth (exit 0 when correct).",
    ),
    "show": ("show", "show", "Print what a run did: its steps, commands, answers and the agent's calls."),
    "replay": (
        "replay",
        "replay",
        "Re-execute a run's recorded agent tool calls on a fresh staging, without the model.",
    ),
    "report": ("report", "report", "Write a self-contained HTML report for a run or bench directory."),
    "truth": (
        "truth",
        "truth",
        "Write a task file whose ground truth is several runs of CAPSULE.",
    ),
    "stage": ("stage", "stage", "Stage a capsule for one attempt, prepared for a CORE-Bench level."),
    "env": ("env", "app", "Plan the environment a capsule needs."),
    "tasks": ("tasks", "app", "List and show the tasks of a task file."),
    "cleanup": ("cleanup", "cleanup", "Remove sandbox leftovers: containers and networks of dead runs."),
}


def _version(shown: bool) -> None:
    if shown:
        typer.echo(f"reproducer {version('reproducer')}")
        raise typer.Exit()


def _root(
    _version_flag: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Reproduce a paper's code end to end and answer questions about its results."""


def build_app(invoked: str | None) -> typer.Typer:
    """The app with `invoked`'s real command (all of them when None) and stubs for the other verbs."""
    app = typer.Typer(
        name="reproducer",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=False,
    )
    app.callback()(_root)
    for verb, (module_name, attribute, short_help) in VERBS.items():
        if invoked is None or verb == invoked:
            target = getattr(importlib.import_module(f"reproducer.commands.{module_name}"), attribute)
            if isinstance(target, typer.Typer):
                app.add_typer(target, name=verb)
            else:
                app.command(verb)(target)
        else:
            app.command(verb, help=short_help, add_help_option=False)(_stub(verb))
    return app


def _stub(verb: str) -> Callable[..., Any]:
    def stub() -> None:  # never runs: the invoked verb always gets its real command
        raise AssertionError(f"stub for {verb} invoked")

    return stub


def _invoked_verb(argv: list[str]) -> str | None:
    first = next((arg for arg in argv if not arg.startswith("-")), None)
    return first if first in VERBS else None


def main() -> None:
    """Entry point: runs the app and turns our errors into a message and an exit code, not a traceback."""
    from reproducer.commands.settings import default_map, load_defaults

    try:
        verb = _invoked_verb(sys.argv[1:])
        # reproducer.toml, .env, REPRODUCER_* (commands/settings.py): only a verb has options to default.
        defaults = load_defaults() if verb else {}
        build_app(verb or "")(default_map=default_map(defaults, list(VERBS)))
    except ReproducerError as error:
        from rich.console import Console

        Console(stderr=True).print(f"[bold red]error:[/] {error}", highlight=False, soft_wrap=True)
        sys.exit(error.exit_code)


def __getattr__(name: str) -> typer.Typer:
    # `reproducer.cli.app` (tests, embedding) is the full app, built on first use.
    if name == "app":
        return build_app(None)
    raise AttributeError(name)
