"""Answers at every ending: the model sees its budget each turn, gets a last turn forced to submit near a
limit (scripted, and through the real SDK against the fake API), and its drafts (a refused submission,
answers written as JSON) are merged with the offline answers, each with its source in answers.json."""

import json
from pathlib import Path
from typing import Any

import figure_session
import pytest
from fake_anthropic import FakeAnthropic, message, tool_use
from figure_session import COLOUR, FIXTURE, HEIGHT, solve

from reproducer.agent.claude import ClaudeModel
from reproducer.agent.limits import AgentLimits
from reproducer.agent.outcome import CostLimit, StepLimit, Submitted
from reproducer.agent.scripted import ScriptedModel, tool_turn
from reproducer.agent.settings import AgentSettings
from reproducer.agent.solve import final_answers, merged_report
from reproducer.pipeline.run import run_capsule
from reproducer.tasks.model import Task

task, staged = figure_session.task, figure_session.staged

FORCED = {"type": "tool", "name": "submit"}


def test_drafts_from_text_and_from_a_refused_submission_survive_the_step_limit(
    task: Task, staged: Any
) -> None:
    stated = f'So far: ```json\n{{"{COLOUR}": "red", "not a question": 1}}\n``` and I will check the height.'
    model = ScriptedModel(
        [
            tool_turn("bash", {"command": "ls results"}, text=stated),
            tool_turn("submit", {"answers": {HEIGHT: 61, "colour": "blue"}}),  # refused: a key is wrong
            tool_turn("bash", {"command": "true"}),  # the last turn, which does not submit
        ]
    )
    result = solve(task, staged, model, limits=AgentLimits(steps=3))

    assert result.outcome == StepLimit(steps=3) and result.answers is None
    assert {q: (d.value, d.source, d.step) for q, d in result.drafts.items()} == {
        COLOUR: ("red", "text", 1),
        HEIGHT: (61, "submit_attempt", 2),
    }
    assert model.calls[2].tool_choice == FORCED
    # Drafts win over the offline answers; a question with neither stays null, last.
    offline = {HEIGHT: 60, COLOUR: None}
    assert merged_report(task, result, offline) == {HEIGHT: 61, COLOUR: "red"}
    sources = [(a.question, a.source, a.step) for a in final_answers(task, result, offline)]
    assert sources == [(HEIGHT, "draft_submit_attempt", 2), (COLOUR, "draft_text", 1)]
    saved = json.loads((staged[0] / "trajectory.json").read_text())
    assert saved["drafts"][COLOUR] == {"value": "red", "source": "text", "step": 1}


def test_near_the_cost_limit_the_last_turn_submits(task: Task, staged: Any) -> None:
    busy = [tool_turn("bash", {"command": f"echo {n}"}, cost_usd=0.3) for n in range(2)]
    model = ScriptedModel(
        [*busy, tool_turn("submit", {"answers": {HEIGHT: 60, COLOUR: "red"}}, cost_usd=0.3)]
    )
    result = solve(task, staged, model, limits=AgentLimits(dollars=1.0))

    # After $0.60 two more $0.30 calls would pass the limit: the third call is the last, within it.
    assert isinstance(result.outcome, Submitted) and len(model.calls) == 3
    assert [call.tool_choice for call in model.calls] == [None, None, FORCED]
    notes = [json.dumps(call.messages[-1]) for call in model.calls]
    assert "$1.00" in notes[0] and "$0.70" in notes[1] and "LAST TURN (the dollars limit is next)" in notes[2]


def test_a_last_turn_that_does_not_submit_ends_at_the_limit_it_neared(task: Task, staged: Any) -> None:
    busy = [tool_turn("bash", {"command": f"echo {n}"}, cost_usd=0.6) for n in range(3)]
    result = solve(task, staged, ScriptedModel(busy), limits=AgentLimits(dollars=1.0))

    assert result.outcome == CostLimit(cost_usd=1.2, limit_usd=1.0)


def test_the_last_turn_is_forced_through_the_real_sdk(task: Task, staged: Any) -> None:
    with FakeAnthropic() as server:
        server.queue(
            message([tool_use("bash", {"command": "ls"}, "toolu_1")], stop_reason="tool_use"),
            message([tool_use("submit", {"answers": {HEIGHT: 60, COLOUR: "red"}}, "toolu_2")]),
        )
        model = ClaudeModel("claude-sonnet-4-6", api_key="sk-ant-test-endings", base_url=server.url)
        result = solve(task, staged, model, limits=AgentLimits(steps=2))
        first, last = (seen.body for seen in server.requests)

    assert isinstance(result.outcome, Submitted)
    assert "tool_choice" not in first and last["tool_choice"] == FORCED
    assert "[budget left: 2 model calls" in json.dumps(first["messages"][0])
    assert "LAST TURN" in json.dumps(last["messages"][-1]["content"][0]["content"])


@pytest.mark.slow
def test_the_pipeline_records_each_answers_source_in_answers_json(tmp_path: Path, task: Task) -> None:
    stated = f'Draft: {{"{COLOUR}": "red"}}'
    model = ScriptedModel(
        [tool_turn("bash", {"command": "true"}, text=stated), tool_turn("bash", {"command": "true"})]
    )
    run_dir = tmp_path / "run"
    agent = AgentSettings(model=model, limits=AgentLimits(steps=2))
    run_capsule(FIXTURE / "capsule", task, run_dir, cache_root=tmp_path / "cache", agent=agent)

    # The offline pipeline answered the height; the agent never submitted but drafted the colour.
    assert json.loads((run_dir / "report.json").read_text()) == {HEIGHT: 60, COLOUR: "red"}
    answers = json.loads((run_dir / "answers.json").read_text())
    assert [(a["question"], a["value"], a["source"]) for a in answers["final"]] == [
        (HEIGHT, 60, "offline"),
        (COLOUR, "red", "draft_text"),
    ]
    assert [choice["question"] for choice in answers["answers"]] == [HEIGHT, COLOUR]  # the offline record


def test_a_command_is_cut_short_so_the_last_turn_keeps_its_share_of_the_wall_time(
    task: Task, staged: Any
) -> None:
    model = ScriptedModel(
        [
            tool_turn("bash", {"command": "true", "timeout": 1000}),
            tool_turn("submit", {"answers": {HEIGHT: 60, COLOUR: "red"}}),
        ]
    )
    result = solve(task, staged, model, limits=AgentLimits(wall_seconds=8))

    assert isinstance(result.outcome, Submitted)
    timeout = json.loads((staged[0] / "trajectory.json").read_text())["steps"][0]["tool_calls"][0]["details"][
        "timeout"
    ]
    # 8 s in all, a tenth of it kept for the last turn.
    assert 6.0 < timeout <= 7.2
