"""A notebook with a cell that fails on something of the machine (here a missing optional file): the
runner runs the cells after it, the entry stays failed with the cell named, and the harvest uses nothing
of the failed cell and marks what later cells computed from it. Run in a real sandbox on both backends."""

import shutil
import uuid
from pathlib import Path

import pytest

from reproducer.backends.base import Backend
from reproducer.backends.docker import DockerBackend
from reproducer.backends.local import LocalBackend
from reproducer.harvest import harvest
from reproducer.pipeline.execute import pipeline_tools, run_entries
from reproducer.pipeline.run import run_capsule
from reproducer.pipeline.steps import Steps
from reproducer.plan.model import EntryPoint, Evidence, Plan
from reproducer.rundir.layout import RunDir
from reproducer.rundir.summary import RunSummary, TimeBudget
from reproducer.tasks.load import load_task

FIXTURE = Path(__file__).parent / "fixtures" / "pipeline" / "notebook-failing-cell"


def _run_notebook(backend: Backend, tmp_path: Path, prompt: str) -> tuple[RunSummary, Path]:
    capsule = tmp_path / "capsule"
    shutil.copytree(FIXTURE / "capsule", capsule)
    entry = EntryPoint(
        command="analysis.ipynb", kind="notebook", evidence=Evidence(file="task prompt"), output_format="html"
    )
    plan = Plan(capsule="capsule", entry_points=[entry])
    run_dir = RunDir.create(tmp_path / "run")
    summary = RunSummary(run_dir=str(run_dir.root), capsule_id="nb", level="hard", backend=backend.name)
    steps = Steps(summary, run_dir, lambda _message: None)
    backend.prepare(plan, capsule, run_dir.root, private=False, extra=pipeline_tools([entry]))
    sandbox = backend.sandbox(capsule, run_dir.root, "nb")
    try:
        run_entries(
            [entry], sandbox, capsule, run_dir, steps, TimeBudget(total_s=600, per_command_s=300), prompt, []
        )
    finally:
        sandbox.stop()
    return summary, capsule


@pytest.mark.slow
@pytest.mark.parametrize("backend_name", ["local", "docker"])
def test_cells_after_a_failing_cell_run_and_the_failure_stays_recorded(
    backend_name: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if backend_name == "docker":
        request.getfixturevalue("docker_client")  # skips (or fails in CI) without an engine
    backend: Backend = (
        LocalBackend(tmp_path / "cache")
        if backend_name == "local"
        else DockerBackend(f"test-{uuid.uuid4().hex[:8]}")
    )
    summary, capsule = _run_notebook(backend, tmp_path, "Run analysis.ipynb and convert the results to html.")

    [command] = summary.commands
    assert command.status == "error" and command.exit_code == 1, "a failed cell fails the entry"
    assert command.detail.startswith("cell 5 failed: FileNotFoundError"), command.detail
    step = next(step for step in summary.steps if step.name == "run analysis.ipynb")
    assert step.status == "failed" and "cell 5 failed" in step.detail

    notebook, html = capsule / "code" / "analysis.ipynb", capsule / "code" / "analysis.html"
    assert html.is_file(), "converted although a cell failed"
    found = harvest(tmp_path, [notebook, html])
    facts = {fact.value: fact for fact in found.facts}
    assert facts[5.0].caveat == "" and facts[5.0].section == "Mean score", "before the failure: plain"
    assert facts[2].caveat == "", "after the failure, but reads nothing the failed cell sets"
    assert facts[2].label == "number of groups, count: len(groups)"
    assert "cell 5 (FileNotFoundError) failed, from scores" in facts[30].caveat, (
        "computed from the failed cell"
    )
    assert 99 not in facts, "nothing printed by the failed cell is used"
    assert all(fact.file.endswith(".ipynb") for fact in found.facts), "the html conversion is not read twice"


@pytest.mark.slow
def test_a_task_that_allows_errors_gets_an_ok_entry(tmp_path: Path) -> None:
    summary, _capsule = _run_notebook(
        LocalBackend(tmp_path / "cache"), tmp_path, "Run analysis.ipynb, allow errors."
    )
    [command] = summary.commands
    assert command.status == "ok", "the task allowed the errors"
    assert command.detail.startswith("cell 5 failed: FileNotFoundError"), "still named"


@pytest.mark.slow
def test_reproducer_run_answers_from_the_cells_around_a_failing_one(tmp_path: Path) -> None:
    task = load_task(FIXTURE / "task.yaml")
    summary = run_capsule(
        task.capsule or "", task, tmp_path / "run", backend="local", cache_root=tmp_path / "cache"
    )
    assert summary.official is not None and summary.official.correct, (summary.steps, summary.official)
    assert summary.commands[0].status == "error", "the answers do not hide the failure"
