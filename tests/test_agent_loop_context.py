"""The context stays bounded on the real loop and sandbox: old tool outputs are masked to one line naming
their log, the first message and the latest results stay whole, and a context-length error (scripted, and
the API's own 400 through the real SDK) compacts the history and the run goes on."""

import json
from typing import Any

import figure_session
from fake_anthropic import FakeAnthropic, message, prompt_too_long, tool_use
from figure_session import COLOUR, HEIGHT, solve

from reproducer.agent.claude import ClaudeModel
from reproducer.agent.errors import ModelContextTooLong
from reproducer.agent.history import Memory, masked, request_chars
from reproducer.agent.limits import AgentLimits
from reproducer.agent.model import AssistantTurn
from reproducer.agent.outcome import InfraError, Submitted
from reproducer.agent.scripted import ScriptedModel, ScriptedTurn, tool_turn
from reproducer.tasks.model import Task

task, staged = figure_session.task, figure_session.staged

ANSWERS = {HEIGHT: 60, COLOUR: "red"}
BIG = "yes 'loss 0.693147 accuracy 0.5012' | head -c 20000; echo; echo 'marker-{n}'"


def big_outputs(count: int) -> list[ScriptedTurn]:
    return [tool_turn("bash", {"command": BIG.format(n=n)}) for n in range(count)]


def results_text(messages: list[dict[str, Any]]) -> list[str]:
    """The text of each tool-result turn, in order."""
    return [json.dumps(m["content"]) for m in messages[1:] if m["role"] == "user" and "tool_result" in str(m)]


def test_old_outputs_are_masked_to_a_line_naming_their_log_and_recent_ones_stay_whole(
    task: Task, staged: Any
) -> None:
    model = ScriptedModel([*big_outputs(7), tool_turn("submit", {"answers": ANSWERS})])
    result = solve(task, staged, model, memory=Memory(keep=2, stride=2))

    assert isinstance(result.outcome, Submitted)
    first = model.calls[0].messages[0]
    last_request = model.calls[-1].messages
    assert last_request[0] == first  # the first message is never masked
    turns = results_text(last_request)
    assert len(turns) == 7
    # 7 turns, keep 2, stride 2: the oldest 4 are masked, the newest 3 whole.
    for n, text in enumerate(turns[:4]):
        assert "output masked to keep the context short" in text and f"marker-{n}" in text
        # The command names the call; its output is gone but for where it is kept.
        assert f"-agent-{n + 1}.stdout]" in text and text.count("loss 0.693147") == 1
    for n, text in enumerate(turns[4:], start=4):
        assert "output masked" not in text and f"marker-{n}" in text and text.count("loss 0.693147") > 100
    # The masked request is far smaller than the whole history, which the trajectory still holds.
    whole = json.loads((staged[0] / "trajectory.json").read_text())["messages"]
    assert all(text.count("loss 0.693147") > 100 for text in results_text(whole)[:7])
    assert request_chars("", last_request, []) < request_chars("", whole[: len(last_request)], []) / 2
    # Each step records how many turns its request masked, so the request can be rebuilt.
    steps = json.loads((staged[0] / "trajectory.json").read_text())["steps"]
    assert [step["masked_turns"] for step in steps] == [0, 0, 0, 0, 2, 2, 4, 4]
    rebuilt = masked(whole[: steps[-1]["messages_sent"]], steps[-1]["masked_turns"])
    assert rebuilt == last_request


def test_the_boundary_moves_in_strides_so_the_cached_prefix_holds(task: Task, staged: Any) -> None:
    model = ScriptedModel([*big_outputs(6), tool_turn("submit", {"answers": ANSWERS})])
    solve(task, staged, model, memory=Memory(keep=2, stride=3))

    # Between two moves of the boundary, each request starts with the whole previous request.
    for earlier, later in zip(model.calls[2:4], model.calls[3:5], strict=True):
        assert later.messages[: len(earlier.messages) - 1] == earlier.messages[:-1]


class Cramped:
    """A model with a small context: a request over `limit` characters fails as the API's would;
    otherwise it answers with its next turn."""

    name = "cramped"

    def __init__(self, limit: int, turns: list[AssistantTurn]) -> None:
        self.limit, self.turns, self.refused = limit, list(turns), 0

    def query(
        self,
        system: str,
        messages: list[dict[str, Any]],
        tools: list[dict[str, Any]],
        tool_choice: dict[str, Any] | None = None,
    ) -> AssistantTurn:
        if request_chars("", messages, []) > self.limit:
            self.refused += 1
            raise ModelContextTooLong("prompt is too long: 210345 tokens > 200000 maximum", status_code=400)
        return self.turns.pop(0)


def test_a_context_length_error_compacts_the_history_and_the_run_continues(task: Task, staged: Any) -> None:
    turns = [tool_turn("bash", {"command": BIG.format(n=n)}) for n in range(6)]
    # Room for the first message and about three whole outputs, not for six.
    model = Cramped(30_000, [*turns, tool_turn("submit", {"answers": ANSWERS})])
    result = solve(task, staged, model)

    assert isinstance(result.outcome, Submitted) and result.outcome.answers == ANSWERS
    assert model.refused >= 1
    steps = json.loads((staged[0] / "trajectory.json").read_text())["steps"]
    compacted = [step for step in steps if step["compactions"]]
    assert sum(step["compactions"] for step in steps) == model.refused
    assert compacted and all(step["masked_turns"] > 0 for step in compacted)


def test_a_request_that_stays_too_long_after_compaction_ends_as_infra_error(task: Task, staged: Any) -> None:
    model = Cramped(1_000, [tool_turn("bash", {"command": "true"})])
    result = solve(task, staged, model)

    assert isinstance(result.outcome, InfraError) and result.outcome.error == "ModelContextTooLong"


def test_the_apis_prompt_too_long_through_the_real_sdk_is_survived(task: Task, staged: Any) -> None:
    with FakeAnthropic() as server:
        for n in range(3):
            call = tool_use("bash", {"command": BIG.format(n=n)}, f"toolu_{n}")
            server.queue(message([call], stop_reason="tool_use"))
        server.queue(prompt_too_long())
        server.queue(message([tool_use("submit", {"answers": ANSWERS}, "toolu_9")], stop_reason="tool_use"))
        model = ClaudeModel("claude-sonnet-4-6", api_key="sk-ant-test-context", base_url=server.url)
        result = solve(task, staged, model, memory=Memory(keep=8, stride=8), limits=AgentLimits(steps=10))

        assert isinstance(result.outcome, Submitted)
        refused, retried = server.requests[3].body, server.requests[4].body
    assert json.dumps(refused["messages"][2]).count("loss 0.693147") > 100
    # After the 400 the same step is asked again with the older outputs masked, the newest whole.
    assert "output masked" in json.dumps(retried["messages"][2])
    assert json.dumps(retried["messages"][-1]).count("loss 0.693147") > 100
    assert retried["messages"][0] == refused["messages"][0]


def test_a_masked_turns_long_tool_arguments_keep_only_their_start() -> None:
    script = "cat > code/fix.py <<'EOF'\n" + "x = 1\n" * 600 + "EOF"
    call = {"type": "tool_use", "id": "toolu_1", "name": "bash", "input": {"command": script, "timeout": 60}}
    thinking = {"type": "thinking", "thinking": "long " * 400, "signature": "sig"}
    result = {
        "type": "tool_result",
        "tool_use_id": "toolu_1",
        "content": [{"type": "text", "text": "exit code 0"}],
    }
    messages = [
        {"role": "user", "content": [{"type": "text", "text": "first"}]},
        {"role": "assistant", "content": [thinking, call]},
        {"role": "user", "content": [result]},
    ]

    view = masked(messages, 1)

    shortened = view[1]["content"][1]["input"]
    assert shortened["timeout"] == 60 and shortened["command"].endswith(f"... [{len(script)} chars masked]")
    assert len(shortened["command"]) < 400
    assert view[1]["content"][0] == thinking  # signed thinking is sent back untouched
    assert messages[1]["content"][1]["input"]["command"] == script  # the record keeps everything
    assert masked(messages, 0) == messages
