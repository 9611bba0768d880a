"""The figure-bars agent fixture, staged for the real loop on a real local sandbox (shared by the loop tests).

Test modules take the fixtures by assignment (`task, staged = figure_session.task, figure_session.staged`),
which pytest collects like fixtures defined in the module.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reproducer.agent.solve import AgentResult, AgentRun, solve_with_agent
from reproducer.capsules.stage import stage_capsule
from reproducer.sandbox import LocalSandbox
from reproducer.tasks.load import load_task
from reproducer.tasks.model import Task

FIXTURE = Path(__file__).parent / "fixtures" / "agent" / "figure-bars"
HEIGHT = "Report the height of the blue bar in pixels."
COLOUR = "From the figure, report the colour of the taller bar."


@pytest.fixture
def task() -> Task:
    return load_task(FIXTURE / "task.yaml", None)


@pytest.fixture
def staged(tmp_path: Path, task: Task) -> Iterator[tuple[Path, Path, LocalSandbox]]:
    """A run directory holding only the staged capsule: nothing has run yet."""
    run_dir = tmp_path / "run"
    capsule_dir = stage_capsule(FIXTURE / "capsule", "hard", run_dir / "workspace", task=task).capsule_dir
    sandbox = LocalSandbox(capsule_dir, run_dir / "logs", keep_background=True)
    try:
        yield run_dir, capsule_dir, sandbox
    finally:
        sandbox.stop()


def solve(task: Task, staged: tuple[Path, Path, LocalSandbox], model: Any, **options: Any) -> AgentResult:
    run_dir, capsule_dir, sandbox = staged
    return solve_with_agent(AgentRun(task, run_dir, capsule_dir, sandbox, model, **options))
