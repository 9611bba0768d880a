"""API robustness with the real SDK against the fake Messages API: an empty end_turn reply is never sent
back empty, a reply cut at max_tokens is asked again with more room (and a cut tool call never runs),
retries last a budget in minutes and honour retry-after, and the prompt cache lives an hour when a
command may outlast five minutes."""

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fake_anthropic import FakeAnthropic, message, rate_limited, text, tool_use

from reproducer.agent.claude import MAX_TOKENS_CEILING, ClaudeModel
from reproducer.agent.errors import ModelRateLimited
from reproducer.agent.limits import AgentLimits, cache_lifetime
from reproducer.agent.loop import CUT_REPLY, EMPTY_REPLY
from reproducer.agent.outcome import Submitted
from reproducer.agent.retry import Backoff
from reproducer.agent.settings import agent_settings
from reproducer.agent.solve import AgentResult, AgentRun, solve_with_agent
from reproducer.capsules.stage import stage_capsule
from reproducer.sandbox import LocalSandbox
from reproducer.tasks.load import load_task
from reproducer.tasks.model import Task

FIXTURE = Path(__file__).parent / "fixtures" / "agent" / "figure-bars"
HEIGHT = "Report the height of the blue bar in pixels."
COLOUR = "From the figure, report the colour of the taller bar."
API_KEY = "sk-ant-test-robust-0123456789"
HELLO = [{"role": "user", "content": "hello"}]
SUBMIT = message([tool_use("submit", {"answers": {HEIGHT: 60, COLOUR: "red"}}, "toolu_submit")])


@pytest.fixture
def server() -> Iterator[FakeAnthropic]:
    with FakeAnthropic() as fake:
        yield fake


@pytest.fixture
def staged(tmp_path: Path) -> Iterator[tuple[Task, Path, Path, LocalSandbox]]:
    task = load_task(FIXTURE / "task.yaml", None)
    run_dir = tmp_path / "run"
    capsule_dir = stage_capsule(FIXTURE / "capsule", "hard", run_dir / "workspace", task=task).capsule_dir
    sandbox = LocalSandbox(capsule_dir, run_dir / "logs", keep_background=True)
    try:
        yield task, run_dir, capsule_dir, sandbox
    finally:
        sandbox.stop()


def claude(server: FakeAnthropic, **options: Any) -> ClaudeModel:
    return ClaudeModel("claude-sonnet-4-6", api_key=API_KEY, base_url=server.url, **options)


def solve(staged: tuple[Task, Path, Path, LocalSandbox], model: Any) -> AgentResult:
    task, run_dir, capsule_dir, sandbox = staged
    return solve_with_agent(AgentRun(task, run_dir, capsule_dir, sandbox, model))


@pytest.mark.parametrize("content", [[], [text("")], [text("  \n")]])
def test_an_empty_end_turn_reply_is_not_sent_back_empty(
    server: FakeAnthropic, staged: Any, content: list[dict[str, Any]]
) -> None:
    server.queue(message(content, stop_reason="end_turn"), SUBMIT)
    result = solve(staged, claude(server))

    assert isinstance(result.outcome, Submitted)
    sent = server.requests[1].body["messages"]
    assert sent[1] == {"role": "assistant", "content": [{"type": "text", "text": EMPTY_REPLY}]}
    assert sent[2]["content"][0]["text"].startswith("Your reply was empty. Please continue.")
    # No message, and no text block, of any request is empty.
    for seen in server.requests:
        for sent_message in seen.body["messages"]:
            assert sent_message["content"]
            assert all(block.get("text", "x").strip() for block in sent_message["content"])


def test_a_reply_cut_at_max_tokens_is_asked_again_with_more_room(server: FakeAnthropic) -> None:
    cut = message([text("Let me run"), tool_use("bash", {}, "toolu_cut")], stop_reason="max_tokens")
    whole = message(
        [text("Let me run"), tool_use("bash", {"command": "ls"}, "toolu_ok")], stop_reason="tool_use"
    )
    server.queue(cut, whole)

    turn = claude(server, max_tokens=8_000).query("", HELLO, [])

    assert turn.stop_reason == "tool_use" and turn.tool_uses[0]["input"] == {"command": "ls"}
    assert [seen.body["max_tokens"] for seen in server.requests] == [8_000, 16_000]
    assert turn.usage.input_tokens == 20 and turn.usage.output_tokens == 10  # both calls are paid for


def test_a_reply_still_cut_at_the_ceiling_does_not_run_its_tool_call(
    server: FakeAnthropic, staged: Any
) -> None:
    cut = message([text("Writing the file"), tool_use("bash", {"command": "echo half"}, "toolu_cut")])
    cut.body["stop_reason"] = "max_tokens"
    server.queue(cut, SUBMIT)
    result = solve(staged, claude(server, max_tokens=MAX_TOKENS_CEILING))

    assert isinstance(result.outcome, Submitted)
    sent = server.requests[1].body["messages"]
    assert sent[1]["content"] == [text("Writing the file")]
    assert sent[2]["content"][0]["text"] == CUT_REPLY
    steps = json.loads((staged[1] / "trajectory.json").read_text())["steps"]
    assert steps[0]["tool_calls"] == [] and steps[0]["format_error"] == "reply cut at max_tokens"


def test_rate_limits_are_retried_for_the_minutes_budget_then_reported(server: FakeAnthropic) -> None:
    server.queue(*[rate_limited(retry_after="0.2")] * 15)

    started = time.monotonic()
    with pytest.raises(ModelRateLimited) as raised:
        claude(server, retry_minutes=0.015, backoff=Backoff(jitter=0.0)).query("", HELLO, [])
    elapsed = time.monotonic() - started

    # 0.9 s of budget at 0.2 s a wait: about five attempts, each wait the one the server asked for but
    # the last, cut to what was left of the budget.
    assert 4 <= len(server.requests) <= 7 and raised.value.attempts == len(server.requests)
    assert all(gap >= 0.19 for gap in server.gaps()[:-1])
    assert 0.85 <= elapsed < 2.5


def test_a_long_retry_after_is_honoured_up_to_what_is_left_of_the_budget(server: FakeAnthropic) -> None:
    server.queue(rate_limited(retry_after="90"), message([text("ok")]))

    started = time.monotonic()
    turn = claude(server, retry_minutes=0.02).query("", HELLO, [])

    # Far beyond the old 60 s cap the wait is cut only by the budget (1.2 s), and then tried once more.
    assert turn.text == "ok" and len(server.requests) == 2
    assert 1.1 <= time.monotonic() - started < 3.0


def test_the_cache_lives_an_hour_when_a_command_may_outlast_five_minutes(
    server: FakeAnthropic, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cache_lifetime(AgentLimits()) == "1h"
    assert cache_lifetime(AgentLimits(wall_seconds=240)) == "5m"
    monkeypatch.setenv("ANTHROPIC_API_KEY", API_KEY)
    settings = agent_settings("claude", "claude-sonnet-4-6", AgentLimits())
    assert settings is not None and isinstance(settings.model, ClaudeModel)
    settings.model._client = settings.model._client.with_options(base_url=server.url)
    server.queue(message([text("ok")]))

    settings.model.query("system", HELLO, [])

    body = server.requests[0].body
    assert body["cache_control"] == {"type": "ephemeral", "ttl": "1h"}
    assert body["system"][0]["cache_control"] == {"type": "ephemeral", "ttl": "1h"}
