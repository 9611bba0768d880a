"""ClaudeModel over the real SDK against the fake Messages API: request shape, tool use, usage, cost."""

from collections.abc import Iterator
from typing import Any

import pytest
from fake_anthropic import FakeAnthropic, api_key, message, text, tool_use

from reproducer.agent.claude import ClaudeModel

API_KEY = "sk-ant-test-requests-0123456789"
SYSTEM = "You reproduce papers. Answer in JSON."
# A 1x1 transparent PNG, as a tool would attach a figure it read.
PNG_BASE64 = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
RUN_TOOL = {
    "name": "run",
    "description": "Run a shell command in the capsule.",
    "input_schema": {"type": "object", "properties": {"cmd": {"type": "string"}}, "required": ["cmd"]},
}
CONVERSATION: list[dict[str, Any]] = [
    {"role": "user", "content": "Reproduce the capsule and report the accuracy."},
    {
        "role": "assistant",
        "content": [tool_use("run", {"cmd": "python code/plot.py"}, "toolu_01")],
    },
    {
        "role": "user",
        "content": [
            {
                "type": "tool_result",
                "tool_use_id": "toolu_01",
                "is_error": False,
                "content": [
                    {"type": "text", "text": "wrote results/fig1.png"},
                    {
                        "type": "image",
                        "source": {"type": "base64", "media_type": "image/png", "data": PNG_BASE64},
                    },
                ],
            }
        ],
    },
]


@pytest.fixture
def server() -> Iterator[FakeAnthropic]:
    with FakeAnthropic() as fake:
        yield fake


def test_tool_use_round_trip_sends_the_conversation_and_returns_the_tool_call(server: FakeAnthropic) -> None:
    server.queue(
        message(
            [text("Now the accuracy table."), tool_use("run", {"cmd": "cat results/acc.txt"}, "toolu_02")],
            stop_reason="tool_use",
        )
    )
    model = ClaudeModel("claude-sonnet-4-6", api_key=API_KEY, base_url=server.url)

    turn = model.query(SYSTEM, CONVERSATION, [RUN_TOOL])

    assert turn.stop_reason == "tool_use"
    assert turn.text == "Now the accuracy table."
    assert turn.tool_uses == [tool_use("run", {"cmd": "cat results/acc.txt"}, "toolu_02")]
    assert turn.raw["id"] == "msg_fake_01"
    assert turn.model == "claude-sonnet-4-5-20250929"
    [seen] = server.requests
    assert (seen.method, seen.path) == ("POST", "/v1/messages")
    assert api_key(seen.headers) == API_KEY
    assert "anthropic-version" in seen.headers
    body = seen.body
    assert body["model"] == "claude-sonnet-4-6"
    assert body["max_tokens"] == model.max_tokens
    assert body["tools"] == [RUN_TOOL]
    # The conversation arrives as given, the image block in the tool result byte for byte.
    assert body["messages"] == CONVERSATION
    image = body["messages"][2]["content"][0]["content"][1]
    assert image["source"]["data"] == PNG_BASE64
    # Caching: a breakpoint on the system prompt, and the top-level one that follows the conversation.
    ephemeral = {"type": "ephemeral", "ttl": "1h"}
    assert body["system"] == [{"type": "text", "text": SYSTEM, "cache_control": ephemeral}]
    assert body["cache_control"] == ephemeral
    # Sampling parameters are not sent: newer models reject non-default values.
    assert not {"temperature", "top_p", "top_k"} & body.keys()


def test_without_caching_no_cache_control_is_sent(server: FakeAnthropic) -> None:
    server.queue(message([text("done")]))
    model = ClaudeModel("claude-sonnet-4-6", api_key=API_KEY, base_url=server.url, cache=False)

    model.query(SYSTEM, CONVERSATION[:1], [])

    body = server.requests[0].body
    assert body["system"] == [{"type": "text", "text": SYSTEM}]
    assert "cache_control" not in body
    assert "tools" not in body


def test_five_minute_cache_lifetime_is_requested_when_asked(server: FakeAnthropic) -> None:
    server.queue(message([text("done")]))
    model = ClaudeModel("claude-sonnet-4-6", api_key=API_KEY, base_url=server.url, cache_ttl="5m")

    model.query(SYSTEM, CONVERSATION[:1], [])

    assert server.requests[0].body["cache_control"] == {"type": "ephemeral", "ttl": "5m"}


def test_usage_with_cache_fields_is_parsed_and_priced(server: FakeAnthropic) -> None:
    usage = {
        "input_tokens": 1_200,
        "output_tokens": 350,
        "cache_creation_input_tokens": 3_000,
        "cache_read_input_tokens": 20_000,
        "cache_creation": {"ephemeral_5m_input_tokens": 2_000, "ephemeral_1h_input_tokens": 1_000},
    }
    server.queue(message([text("done")], usage=usage))
    model = ClaudeModel("claude-sonnet-4-6", api_key=API_KEY, base_url=server.url)

    turn = model.query(SYSTEM, CONVERSATION[:1], [])

    assert turn.usage.model_dump() == {
        "input_tokens": 1_200,
        "output_tokens": 350,
        "cache_write_5m_tokens": 2_000,
        "cache_write_1h_tokens": 1_000,
        "cache_read_tokens": 20_000,
    }
    # Sonnet 4.6, USD per million tokens: input 3, 5m write 3.75, 1h write 6, cache read 0.30, output 15.
    #   1,200 x 3 = 3,600;  2,000 x 3.75 = 7,500;  1,000 x 6 = 6,000;  20,000 x 0.30 = 6,000;
    #   350 x 15 = 5,250;  total 28,350 per million = $0.02835
    assert turn.cost_usd == pytest.approx(0.02835)


def test_the_api_key_is_scrubbed_from_the_recorded_response(server: FakeAnthropic) -> None:
    server.queue(message([text("your key is {api_key}")]))
    model = ClaudeModel("claude-sonnet-4-6", api_key=API_KEY, base_url=server.url)

    turn = model.query(SYSTEM, CONVERSATION[:1], [])

    assert API_KEY not in str(turn.raw)
    assert turn.raw["content"] == [text("your key is [REDACTED]")]
