"""The agent repairs an environment the pipeline could not build, on every backend, through the backend
session's own sandbox and installer (the path `reproducer run --agent` takes).

The capsule's requirements.txt misspells `six`: the build fails (`env_failed`) and leaves no
environment. The agent's installer creates one (local: a venv in the run directory; Docker: a venv in
the agent container's environment volume, written by a setup-profile container), the scripted model
installs what the code imports, reruns it with bash (no network there), finds the value and submits it.
"""

import json
import re
import uuid
from pathlib import Path
from typing import Any

import pytest

from reproducer.agent.limits import AgentLimits
from reproducer.agent.model import AssistantTurn
from reproducer.agent.scripted import ScriptedModel, tool_turn
from reproducer.agent.settings import AgentSettings
from reproducer.pipeline.run import run_capsule
from reproducer.tasks.load import load_task

FIXTURE = Path(__file__).parent / "fixtures" / "agent" / "wrong-requirement"
QUESTION = "Report the mean validation accuracy of the classifier."


def last_output(messages: list[dict[str, Any]]) -> str:
    return str(messages[-1]["content"][0]["content"][0]["text"])


def submit_the_top_match(messages: list[dict[str, Any]]) -> AssistantTurn:
    found = re.search(r"^1\. (\S+) \(printed", last_output(messages), re.MULTILINE)
    assert found, last_output(messages)
    return tool_turn("submit", {"answers": {QUESTION: float(found.group(1))}})


@pytest.fixture(params=["local", "docker"])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "docker":
        request.getfixturevalue("docker_client")  # skipped where no engine answers (not in CI)
    return str(request.param)


@pytest.mark.slow
def test_agent_repairs_a_failed_environment_build(tmp_path: Path, backend: str) -> None:
    task = load_task(FIXTURE / "task.yaml", None)
    model = ScriptedModel(
        [
            tool_turn("bash", {"command": "cd code && python main.py"}),
            tool_turn("install", {"packages": ["six==1.16.0", "packaging"]}),
            tool_turn("bash", {"command": "cd code && python main.py && id -u"}),
            tool_turn("search_outputs", {"query": "mean validation accuracy"}),
            submit_the_top_match,
        ]
    )
    run_dir = tmp_path / "run"
    summary = run_capsule(
        FIXTURE / "capsule",
        task,
        run_dir,
        backend=backend,
        cache_root=tmp_path / "cache",
        run_id=f"test-{uuid.uuid4().hex[:8]}",
        agent=AgentSettings(model=model, limits=AgentLimits(steps=8)),
    )

    assert summary.environment_label is not None and "six-reproducer-misspelt" in summary.environment_label
    assert summary.agent is not None and summary.agent.outcome == "submitted"
    assert json.loads((run_dir / "report.json").read_text()) == {QUESTION: 0.8261}
    assert summary.official is not None and summary.official.correct
    outputs = [last_output(call.messages) for call in model.calls[1:]]
    assert "No module named" in outputs[0]  # the new environment is empty: nothing of the bad build
    assert outputs[1].startswith("installed six==1.16.0, packaging"), outputs[1]
    assert outputs[2].startswith("exit code 0") and "metrics written" in outputs[2]
    assert re.search(r"^1000$", outputs[2], re.MULTILINE), "the agent's bash is not root"
    install = model.calls[0].tools[[tool["name"] for tool in model.calls[0].tools].index("install")]
    where = "separate container" if backend == "docker" else "on this machine"
    assert where in install["description"]


R_FIXTURE = Path(__file__).parent / "fixtures" / "agent" / "r-missing-package"
R_QUESTION = "Report the mean score."


@pytest.mark.slow
def test_agent_installs_a_missing_r_package_in_docker(tmp_path: Path, docker_client: Any) -> None:
    """CRAN is out of reach here, so the R install falls back to Debian's r-cran-iterators: downloaded
    in a setup-profile container, installed offline by root in the agent's container."""
    task = load_task(R_FIXTURE / "task.yaml", None)
    model = ScriptedModel(
        [
            tool_turn("install", {"packages": ["iterators"], "kind": "r"}),
            tool_turn("bash", {"command": "cd code && Rscript main.R"}),
            tool_turn("search_outputs", {"query": "mean score"}),
            lambda messages: tool_turn(
                "submit", {"answers": {R_QUESTION: float(_top_match(last_output(messages)))}}
            ),
        ]
    )
    run_dir = tmp_path / "run"
    summary = run_capsule(
        R_FIXTURE / "capsule",
        task,
        run_dir,
        backend="docker",
        run_id=f"test-{uuid.uuid4().hex[:8]}",
        agent=AgentSettings(model=model, limits=AgentLimits(steps=6)),
    )

    assert summary.commands and summary.commands[0].status == "error"
    assert "iterators" in (run_dir / str(summary.commands[0].stderr_path)).read_text()
    outputs = [last_output(call.messages) for call in model.calls[1:]]
    assert outputs[0].startswith("installed iterators"), outputs[0]
    assert "r-cran-iterators" in outputs[0]
    assert outputs[1].startswith("exit code 0") and "score written" in outputs[1]
    assert summary.official is not None and summary.official.correct


def _top_match(text: str) -> str:
    found = re.search(r"^1\. (\S+) \(printed", text, re.MULTILINE)
    assert found, text
    return found.group(1)
