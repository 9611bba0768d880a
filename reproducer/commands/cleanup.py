"""`reproducer cleanup`: remove the Docker containers, networks and volumes runs left behind."""

from typing import Annotated

import typer
from rich.console import Console

from reproducer.backends.registry import remove_leftovers


def cleanup(
    run_id: Annotated[
        str | None, typer.Option("--run-id", help="Remove this run's resources, even if its runner is alive.")
    ] = None,
    everything: Annotated[
        bool, typer.Option("--all", help="Remove every resource of reproducer, even of live runs.")
    ] = False,
) -> None:
    """Remove sandbox leftovers: by default those past their deadline or whose runner is gone."""
    removed = remove_leftovers(run_id=run_id, everything=everything)
    console = Console(highlight=False, soft_wrap=True)
    for line in removed:
        console.print(line)
    if not removed:
        console.print("nothing to remove")
