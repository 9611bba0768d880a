"""Claude on Vertex through the anthropic SDK's own Vertex client, against the fake Messages API; and
how `--model` names are split and priced (Bedrock ids are mapped onto Anthropic's price table)."""

import pytest
from fake_anthropic import FakeAnthropic, message, tool_use

from reproducer.agent.errors import UnknownModelPrice
from reproducer.agent.models.registry import (
    ModelChoice,
    claude_price_id,
    model_label,
    open_model,
    split_model,
)
from reproducer.errors import BadInput

TOKEN = "ya29.vertex-test-token-0123456789"


def test_claude_on_vertex_calls_the_project_endpoint_and_is_priced_as_claude(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("VERTEX_ACCESS_TOKEN", TOKEN)
    monkeypatch.setenv("CLOUD_ML_REGION", "us-east5")
    monkeypatch.setenv("ANTHROPIC_VERTEX_PROJECT_ID", "my-project")
    usage = {"input_tokens": 1000, "output_tokens": 200, "cache_read_input_tokens": 1000}
    reply = message(
        [tool_use("submit", {"answers": {"q": 1}}, "toolu_1")], stop_reason="tool_use", usage=usage
    )
    tools = [{"name": "submit", "description": "submit", "input_schema": {"type": "object"}}]
    with FakeAnthropic([reply]) as fake:
        model = open_model("vertex/claude-sonnet-4-5@20250929", ModelChoice(base_url=fake.url))
        turn = model.query("system", [{"role": "user", "content": "hi"}], tools)
        seen = fake.requests[0]

    assert seen.path == (
        "/projects/my-project/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict"
    )
    assert seen.headers["authorization"] == f"Bearer {TOKEN}"
    assert "model" not in seen.body and "cache_control" not in seen.body, (
        "Vertex takes block-level caching only"
    )
    assert turn.tool_uses[0]["input"] == {"answers": {"q": 1}}
    # claude-sonnet-4-5 at $3 input, $0.30 cache read, $15 output per million: 0.003 + 0.0003 + 0.003.
    assert turn.cost_usd == pytest.approx(0.0063)


def test_model_names_split_into_provider_and_id() -> None:
    assert split_model("claude-haiku-4-5") == ("anthropic", "claude-haiku-4-5")
    assert split_model("openai-compatible/meta-llama/Llama-3.3-70B") == (
        "openai-compatible",
        "meta-llama/Llama-3.3-70B",
    )
    assert model_label("claude-haiku-4-5") == "anthropic/claude-haiku-4-5"
    with pytest.raises(BadInput, match="unknown provider 'gemini'"):
        split_model("gemini/pro")


def test_bedrock_and_vertex_ids_map_onto_the_claude_price_table() -> None:
    assert (
        claude_price_id("bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0")
        == "claude-sonnet-4-5-20250929"
    )
    assert (
        claude_price_id("bedrock", "anthropic.claude-haiku-4-5-20251001-v1:0") == "claude-haiku-4-5-20251001"
    )
    assert claude_price_id("vertex", "claude-opus-4-1@20250805") == "claude-opus-4-1-20250805"


def test_prices_given_for_a_local_server_must_be_both_or_free() -> None:
    with pytest.raises(BadInput, match="both"):
        open_model("openai-compatible/x", ModelChoice(base_url="http://127.0.0.1:1/v1", price_in=1.0))
    with pytest.raises(UnknownModelPrice):
        open_model("openai-compatible/x", ModelChoice(base_url="http://127.0.0.1:1/v1"))
    free = open_model("openai-compatible/x", ModelChoice(base_url="http://127.0.0.1:1/v1", free=True))
    assert free.name == "x"
