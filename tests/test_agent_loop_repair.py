"""A scripted agent repairs a capsule whose requirements forget a package, on a real sandbox and venv.

The pipeline's run fails (`No module named 'six'`); the agent reads the log, installs `six` with the
install tool, reruns the code with bash, finds the value with search_outputs and submits it: correct.
"""

import json
import re
from pathlib import Path
from typing import Any

import pytest

from reproducer.agent.limits import AgentLimits
from reproducer.agent.model import AssistantTurn
from reproducer.agent.outcome import Submitted
from reproducer.agent.scripted import ScriptedModel, tool_turn
from reproducer.agent.solve import AgentRun, merged_report, solve_with_agent
from reproducer.backends.local import local_agent_sandbox
from reproducer.grading import grade
from reproducer.pipeline.run import run_capsule
from reproducer.tasks.load import load_task

FIXTURE = Path(__file__).parent / "fixtures" / "agent" / "missing-six"
QUESTION = "Report the mean validation accuracy of the classifier."


def last_tool_output(messages: list[dict[str, Any]]) -> str:
    result = messages[-1]["content"][0]
    assert result["type"] == "tool_result"
    return str(result["content"][0]["text"])


def submit_the_top_match(messages: list[dict[str, Any]]) -> AssistantTurn:
    """Submit the value of the first search_outputs match, as a model reading the result would."""
    found = re.search(r"^1\. (\S+) \(printed", last_tool_output(messages), re.MULTILINE)
    assert found, last_tool_output(messages)
    return tool_turn("submit", {"answers": {QUESTION: float(found.group(1))}})


@pytest.mark.slow
def test_agent_installs_the_missing_package_reruns_and_submits_a_correct_answer(tmp_path: Path) -> None:
    task = load_task(FIXTURE / "task.yaml", None)
    run_dir = tmp_path / "run"
    summary = run_capsule(FIXTURE / "capsule", task, run_dir, cache_root=tmp_path / "cache")
    assert summary.commands[0].status == "error"
    stderr_log = run_dir / str(summary.commands[0].stderr_path)
    assert "No module named 'six'" in stderr_log.read_text()
    capsule_dir = run_dir / "workspace" / task.capsule_id

    model = ScriptedModel(
        [
            tool_turn("read_file", {"path": str(stderr_log)}, text="The run failed; reading its log."),
            tool_turn("install", {"packages": ["six"]}),
            tool_turn("bash", {"command": "cd code && python main.py"}),
            tool_turn("search_outputs", {"query": "mean validation accuracy"}),
            submit_the_top_match,
        ]
    )
    sandbox, installer = local_agent_sandbox(run_dir, capsule_dir)
    try:
        result = solve_with_agent(
            AgentRun(task, run_dir, capsule_dir, sandbox, model, limits=AgentLimits(), installer=installer)
        )
    finally:
        sandbox.stop()

    assert isinstance(result.outcome, Submitted), result.outcome
    assert result.steps == 5
    report = merged_report(task, result, json.loads((run_dir / "report.json").read_text()))
    assert report == {QUESTION: 0.8261}
    assert grade(task, report, "official").correct

    # What the model saw at each step: the failing log, a successful install and a clean rerun.
    outputs = [last_tool_output(call.messages) for call in model.calls[1:]]
    assert "ModuleNotFoundError: No module named 'six'" in outputs[0]
    assert outputs[1].startswith("installed six")
    assert outputs[2].startswith("exit code 0") and "metrics written" in outputs[2]
    assert "mean validation accuracy" in outputs[3] and "results/metrics.txt (line 1)" in outputs[3]
    # The first message already told the model what failed and where the logs are.
    first = model.calls[0].messages[0]["content"][0]["text"]
    assert "No module named 'six'" in first and str(stderr_log) in first
    assert "install" in [tool["name"] for tool in model.calls[0].tools]

    trajectory = json.loads((run_dir / "trajectory.json").read_text())
    calls = [call for step in trajectory["steps"] for call in step["tool_calls"]]
    assert [call["name"] for call in calls] == ["read_file", "install", "bash", "search_outputs", "submit"]
    assert calls[1]["details"]["ok"] and "pip install --python" in calls[1]["details"]["command"]
    assert trajectory["outcome"]["kind"] == "submitted"
    assert "six" in (run_dir / "env" / "commands.log").read_text()
