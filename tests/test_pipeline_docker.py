"""`reproducer run --backend docker`: every example reproduced fully correct in a real container."""

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from reproducer.agent.limits import AgentLimits
from reproducer.agent.scripted import ScriptedModel, tool_turn
from reproducer.agent.settings import AgentSettings
from reproducer.docker.labels import RUN_ID
from reproducer.pipeline.run import run_capsule
from reproducer.tasks.load import load_task

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(ROOT.glob("tasks/*/task.yaml"))


@pytest.mark.slow
@pytest.mark.parametrize("level", ["medium", "hard"])
@pytest.mark.parametrize("task_file", EXAMPLES, ids=[path.parent.name for path in EXAMPLES])
def test_example_is_reproduced_in_docker(
    task_file: Path, level: str, tmp_path: Path, docker_client: Any
) -> None:
    task = load_task(task_file)
    assert task.capsule is not None
    run_id = f"test-{uuid.uuid4().hex[:8]}"
    summary = run_capsule(task.capsule, task, tmp_path / "run", level=level, backend="docker", run_id=run_id)  # type: ignore[arg-type]

    failed = [step for step in summary.steps if step.status == "failed"]
    assert summary.backend == "docker"
    assert summary.status == "correct", (failed, summary.official)
    assert all(command.status == "ok" for command in summary.commands)
    assert (tmp_path / "run" / "env" / "Dockerfile").is_file(), (
        "the generated Dockerfile is kept for reviewers"
    )
    leftovers = docker_client.containers.list(all=True, filters={"label": f"{RUN_ID}={run_id}"})
    assert leftovers == [], "the run's container is removed when it ends"


def test_auto_picks_docker_when_an_engine_answers(tmp_path: Path, docker_client: Any) -> None:
    task = load_task(ROOT / "tasks" / "diabetes-logreg" / "task.yaml")
    summary = run_capsule(task.capsule or "", task, tmp_path / "run", level="easy", backend="auto")
    assert summary.backend == "docker" and summary.status == "correct"


def test_a_scripted_agent_works_in_the_container(tmp_path: Path, docker_client: Any) -> None:
    """The agent's bash runs in the run profile's container: uid 1000, no network, the capsule at /capsule."""
    task = load_task(ROOT / "tasks" / "diabetes-logreg" / "task.yaml")
    model = ScriptedModel(
        [
            tool_turn("bash", {"command": "id -u; cat /results/metrics.csv; ls /capsule"}, "toolu_01"),
            tool_turn("submit", {"answers": task.results[0]}, "toolu_02"),
        ]
    )
    settings = AgentSettings(model=model, limits=AgentLimits(steps=5, dollars=1.0))
    summary = run_capsule(
        task.capsule or "", task, tmp_path / "run", level="hard", backend="docker", agent=settings
    )
    assert summary.status == "correct" and summary.agent is not None
    assert summary.agent.outcome == "submitted"
    bash_output = json.dumps(model.calls[1].messages[-1]["content"])
    assert "1000" in bash_output and "test_accuracy" in bash_output and "code" in bash_output
