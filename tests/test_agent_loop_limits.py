"""The real loop on a real sandbox ends only through typed outcomes: a refused then corrected submission,
the step, cost and time limits, format errors, and an infrastructure error, each recorded in the
trajectory, which is saved after every step and never holds a secret."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import figure_session
import pytest
from figure_session import COLOUR, HEIGHT, solve

from reproducer.agent.errors import ModelOverloaded
from reproducer.agent.limits import AgentLimits
from reproducer.agent.loop import NO_TOOL_CALL
from reproducer.agent.model import AssistantTurn
from reproducer.agent.outcome import CostLimit, FormatErrors, InfraError, StepLimit, Submitted, TimeLimit
from reproducer.agent.scripted import ScriptedModel, ScriptedTurn, text_turn, tool_turn
from reproducer.sandbox import LocalSandbox
from reproducer.tasks.model import Task

task, staged = figure_session.task, figure_session.staged

FAKE_KEY = "sk-ant-api03-" + "FAKEKEY0" * 8
PASSWORD = "hunter2-correct-horse-battery"


def trajectory_of(staged: tuple[Path, Path, LocalSandbox]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((staged[0] / "trajectory.json").read_text())
    return data


def tool_result_text(call_messages: list[dict[str, Any]]) -> str:
    return str(call_messages[-1]["content"][0]["content"][0]["text"])


def test_a_submission_with_wrong_keys_is_refused_then_corrected(task: Task, staged: Any) -> None:
    model = ScriptedModel(
        [
            tool_turn("submit", {"answers": {"height of the blue bar": 60, COLOUR: "red", "extra": 1}}),
            tool_turn("submit", {"answers": {HEIGHT: 60, COLOUR: "red"}}),
        ]
    )
    result = solve(task, staged, model)

    assert result.outcome == Submitted(answers={HEIGHT: 60, COLOUR: "red"})
    assert result.answers == {HEIGHT: 60, COLOUR: "red"} and result.steps == 2
    refusal = tool_result_text(model.calls[1].messages)
    assert refusal.splitlines()[1:4] == [
        f"expected keys (2): {json.dumps([HEIGHT, COLOUR])}",
        f"missing (1): {json.dumps([HEIGHT])}",
        'unexpected (2): ["height of the blue bar", "extra"]',
    ]
    assert model.calls[1].messages[-1]["content"][0]["is_error"] is True
    steps = trajectory_of(staged)["steps"]
    assert [call["is_error"] for step in steps for call in step["tool_calls"]] == [True, False]
    assert steps[0]["format_error"] is None  # a refused submission is not a format error


def busy(count: int, cost: float = 0.0) -> list[ScriptedTurn]:
    return [tool_turn("bash", {"command": f"echo working {n}"}, cost_usd=cost) for n in range(count)]


def test_a_model_that_never_submits_stops_at_the_step_limit(task: Task, staged: Any) -> None:
    model = ScriptedModel(busy(10))
    result = solve(task, staged, model, limits=AgentLimits(steps=3))

    assert result.outcome == StepLimit(steps=3) and result.answers is None
    assert len(model.calls) == 3
    # Each call is told what is left; the last one is forced to submit.
    assert [call.tool_choice for call in model.calls] == [None, None, {"type": "tool", "name": "submit"}]
    assert "[budget left: 2 model calls" in json.dumps(model.calls[1].messages[-1])
    assert "LAST TURN (the steps limit is next)" in json.dumps(model.calls[2].messages[-1])
    outcome = trajectory_of(staged)["outcome"]
    assert outcome == {
        "kind": "step_limit",
        "steps": 3,
        "reason": "step limit: 3 model calls made without a submission",
    }


def test_a_model_that_never_submits_stops_at_the_cost_limit(task: Task, staged: Any) -> None:
    model = ScriptedModel(busy(10, cost=0.4))
    result = solve(task, staged, model, limits=AgentLimits(dollars=1.0))

    # After $0.40, two more such calls would pass the limit: the second call is the last (forced) turn.
    assert isinstance(result.outcome, CostLimit) and len(model.calls) == 2
    assert model.calls[1].tool_choice == {"type": "tool", "name": "submit"}
    assert result.cost_usd == pytest.approx(0.8)
    trajectory = trajectory_of(staged)
    assert trajectory["outcome"]["reason"] == "cost limit: $0.8000 spent, the limit is $1.00"
    assert [step["cost_usd"] for step in trajectory["steps"]] == [0.4, 0.4]
    assert trajectory["totals"]["cost_usd"] == pytest.approx(0.8)


def test_past_the_wall_time_limit_one_last_turn_must_submit(task: Task, staged: Any) -> None:
    model = ScriptedModel([tool_turn("bash", {"command": "sleep 1.5"}), *busy(3)])
    result = solve(task, staged, model, limits=AgentLimits(wall_seconds=1))

    # The command outlasted the limit: one more call, forced to submit, and the run ends there.
    assert isinstance(result.outcome, TimeLimit) and len(model.calls) == 2
    assert [call.tool_choice for call in model.calls] == [None, {"type": "tool", "name": "submit"}]
    assert "LAST TURN (time limit" in json.dumps(model.calls[1].messages[-1])
    assert trajectory_of(staged)["outcome"]["kind"] == "time_limit"


def test_three_turns_without_a_tool_call_end_with_format_errors(task: Task, staged: Any) -> None:
    model = ScriptedModel(
        [text_turn("I think the answer is 60."), text_turn("Done."), text_turn("Bye."), *busy(2)]
    )
    result = solve(task, staged, model)

    assert result.outcome == FormatErrors(count=3, last_error="no tool call (stop reason: end_turn)")
    assert len(model.calls) == 3
    assert model.calls[1].messages[-1]["content"][0] == {"type": "text", "text": NO_TOOL_CALL}
    assert [step["format_error"] for step in trajectory_of(staged)["steps"]] == [
        "no tool call (stop reason: end_turn)"
    ] * 3


def test_malformed_tool_input_counts_and_a_good_call_resets_the_count(task: Task, staged: Any) -> None:
    model = ScriptedModel(
        [
            text_turn("thinking"),
            tool_turn("bash", {"cmd": "ls"}),
            *busy(1),
            tool_turn("bash", {"command": "ls", "timeout": -1}),
            text_turn("thinking"),
            tool_turn("no_such_tool", {}),
            *busy(1),
        ]
    )
    result = solve(task, staged, model)

    assert isinstance(result.outcome, FormatErrors) and len(model.calls) == 6
    assert result.outcome.last_error.startswith("no_such_tool: there is no tool 'no_such_tool'")
    assert "command: Field required" in tool_result_text(model.calls[2].messages)


def watching(path: Path, saved_steps: list[int], turn: AssistantTurn) -> Callable[[Any], AssistantTurn]:
    """A script entry that notes how many steps the trajectory on disk held when the model was called."""

    def entry(_messages: Any) -> AssistantTurn:
        saved_steps.append(len(json.loads(path.read_text())["steps"]))
        return turn

    return entry


def overloaded(_messages: Any) -> AssistantTurn:
    raise ModelOverloaded("the API stayed overloaded (529) after 4 attempts", status_code=529, attempts=4)


def test_the_trajectory_is_saved_after_every_step_and_an_infra_error_is_recorded(
    task: Task, staged: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", FAKE_KEY)
    path = staged[0] / "trajectory.json"
    saved: list[int] = []
    model = ScriptedModel(
        [
            watching(
                path, saved, tool_turn("bash", {"command": f"echo {PASSWORD}; env"}, text=f"key {FAKE_KEY}")
            ),
            watching(path, saved, tool_turn("list_files", {"path": "."}, text=f"the password is {PASSWORD}")),
            watching(path, saved, tool_turn("read_file", {"path": "code/main.py", "limit": 5})),
            overloaded,
        ]
    )
    result = solve(task, staged, model, secrets=[PASSWORD])

    assert saved == [0, 1, 2]
    assert result.outcome == InfraError(
        error="ModelOverloaded", message="the API stayed overloaded (529) after 4 attempts"
    )
    trajectory = trajectory_of(staged)
    assert len(trajectory["steps"]) == 3 and trajectory["totals"]["steps"] == 3
    assert trajectory["outcome"]["reason"].startswith(
        "infrastructure error (ModelOverloaded): the API stayed"
    )
    # The sandbox never had the key, and the record holds neither the key nor the named secret.
    bash_output = tool_result_text(model.calls[1].messages)
    assert PASSWORD in bash_output and "ANTHROPIC" not in bash_output and FAKE_KEY not in bash_output
    text = path.read_text()
    assert FAKE_KEY not in text and PASSWORD not in text
    assert text.count("[REDACTED]") >= 4


def test_an_auth_error_stops_the_run_at_once(task: Task, staged: Any) -> None:
    from reproducer.agent.errors import ModelAuthError

    def refused(_messages: Any) -> AssistantTurn:
        raise ModelAuthError("the API refused the key (401)", status_code=401)

    model = ScriptedModel([refused, *busy(3)])
    result = solve(task, staged, model)

    assert result.outcome == InfraError(error="ModelAuthError", message="the API refused the key (401)")
    assert len(model.calls) == 1 and result.steps == 0
    assert trajectory_of(staged)["outcome"]["kind"] == "infra_error"


def test_the_first_message_of_an_unrun_capsule_says_nothing_ran_yet(task: Task, staged: Any) -> None:
    model = ScriptedModel([tool_turn("submit", {"answers": {HEIGHT: 1, COLOUR: "x"}})])
    solve(task, staged, model)
    first = model.calls[0].messages[0]["content"][0]["text"]
    assert "No record of an earlier run (summary.json): nothing has been run yet." in first
    assert json.dumps([HEIGHT, COLOUR], indent=1) in first
    assert "install" not in [tool["name"] for tool in model.calls[0].tools]
    assert "`install` it" not in model.calls[0].system
