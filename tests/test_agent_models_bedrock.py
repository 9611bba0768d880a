"""Claude on Amazon Bedrock through the anthropic SDK's own Bedrock client (botocore signs), against a fake
Bedrock runtime on 127.0.0.1 that checks each request's SigV4 signature.

The AWS credentials come from the environment only: they sign the requests, and reach neither the sandbox
(an agent's `env` shows none) nor any file of the run directory.
"""

import json
from pathlib import Path
from typing import Any

import provider_repair
import pytest
from fake_anthropic import Reply, message, text, tool_use
from fake_bedrock import FakeBedrock, signature_ok

from reproducer.agent.errors import ModelAuthError
from reproducer.agent.models.registry import ModelChoice, open_model
from reproducer.errors import BadInput

SIX = Path(__file__).parent / "fixtures" / "agent" / "missing-six"
MODEL = "bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0"
ACCESS_KEY = "AKIAFAKEBEDROCK0TEST"
SECRET_KEY = "fake/Secret+Key0123456789abcdefghijKLMNOP"
SESSION_TOKEN = "FwoGZXIvYXdzEFAKE-session-token-0123456789"
# claude-sonnet-4-5 on the Claude table ($3 input, $3.75 5-minute and $6 one-hour cache writes, $0.30
# cache reads, $15 output per million), which Bedrock's list prices follow.
USAGE = {"input_tokens": 1000, "output_tokens": 200, "cache_read_input_tokens": 2000}
COST_PER_CALL = (1000 * 3.0 + 2000 * 0.30 + 200 * 15.0) / 1e6  # 0.003 + 0.0006 + 0.003 = $0.0066


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_PROFILE", "AWS_BEARER_TOKEN_BEDROCK", "ANTHROPIC_BEDROCK_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    monkeypatch.setenv("AWS_SESSION_TOKEN", SESSION_TOKEN)
    monkeypatch.setenv("AWS_REGION", "us-west-2")


TOOLS = [{"name": "submit", "description": "submit", "input_schema": {"type": "object"}}]


def test_invoke_model_is_signed_with_the_environment_credentials_and_priced(aws: None) -> None:
    reply = message(
        [tool_use("submit", {"answers": {"q": 1}}, "toolu_1")], stop_reason="tool_use", usage=USAGE
    )
    with FakeBedrock([reply]) as fake:
        model = open_model(MODEL, ModelChoice(base_url=fake.url))
        turn = model.query("system", [{"role": "user", "content": "hi"}], TOOLS)
        seen = fake.requests[0]
        assert signature_ok(seen, fake.url, SECRET_KEY, SESSION_TOKEN)
        assert not signature_ok(seen, fake.url, "another-secret", SESSION_TOKEN), "the check can fail"

    assert seen.path == "/model/us.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke"
    assert f"Credential={ACCESS_KEY}/" in seen.headers["authorization"]
    assert "/us-west-2/bedrock/aws4_request" in seen.headers["authorization"]
    assert seen.headers["x-amz-security-token"] == SESSION_TOKEN
    assert seen.body["anthropic_version"], "Bedrock takes the API version in the body, not a header"
    assert "model" not in seen.body and "cache_control" not in seen.body, "Bedrock: block-level caching only"
    assert seen.body["system"][0]["cache_control"]["type"] == "ephemeral"
    assert model.provider == "bedrock" and model.api == "Claude on Bedrock"  # type: ignore[attr-defined]
    assert turn.tool_uses[0]["input"] == {"answers": {"q": 1}}
    assert turn.usage.input_tokens == 1000 and turn.usage.cache_read_tokens == 2000
    assert turn.cost_usd == pytest.approx(COST_PER_CALL)
    assert SECRET_KEY not in json.dumps(turn.raw) and SESSION_TOKEN not in json.dumps(turn.raw)


def test_a_streamed_reply_comes_back_through_the_sdks_event_stream_decoder(aws: None) -> None:
    """InvokeModelWithResponseStream: the SDK decodes the AWS event stream with botocore."""
    content = [text("Reading the log."), tool_use("bash", {"command": "ls"}, "toolu_2")]
    with FakeBedrock([message(content, stop_reason="tool_use", usage=USAGE)]) as fake:
        model = open_model(MODEL, ModelChoice(base_url=fake.url))
        client: Any = model.client  # type: ignore[attr-defined]
        with client.messages.stream(
            model="us.anthropic.claude-sonnet-4-5-20250929-v1:0",
            max_tokens=100,
            messages=[{"role": "user", "content": "hi"}],
        ) as stream:
            final = stream.get_final_message()
        seen = fake.requests[0]

    assert seen.path == "/model/us.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke-with-response-stream"
    assert "stream" not in seen.body and signature_ok(seen, fake.url, SECRET_KEY, SESSION_TOKEN)
    assert final.content[0].text == "Reading the log."
    assert final.content[1].input == {"command": "ls"} and final.stop_reason == "tool_use"
    assert final.usage.output_tokens == 200


def test_refused_credentials_are_our_error_without_the_secret(aws: None) -> None:
    refused = Reply(
        403,
        {"message": f"The security token included in the request is invalid: {SESSION_TOKEN}"},
        {"x-amzn-errortype": "UnrecognizedClientException"},
    )
    with FakeBedrock([refused]) as fake:
        model = open_model(MODEL, ModelChoice(base_url=fake.url))
        with pytest.raises(ModelAuthError) as raised:
            model.query("system", [{"role": "user", "content": "hi"}], TOOLS)
    message = str(raised.value)
    assert message.startswith("Claude on Bedrock (us.anthropic.claude-sonnet-4-5-20250929-v1:0) answered 403")
    assert "security token included in the request is invalid" in message and SESSION_TOKEN not in message


def test_bedrock_without_a_region_is_a_clear_error(aws: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_REGION")
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    with pytest.raises(BadInput, match="AWS_REGION"):
        open_model(MODEL)


def _last_tool_output(body: dict[str, Any]) -> str:
    last = body["messages"][-1]["content"][-1]
    assert last["type"] == "tool_result", last
    content = last["content"]
    return content if isinstance(content, str) else "".join(part.get("text", "") for part in content)


@pytest.mark.slow
def test_claude_on_bedrock_repairs_a_capsule_and_submits(tmp_path: Path, aws: None) -> None:
    staged = provider_repair.stage(tmp_path)

    def call(name: str, arguments: dict[str, Any], id: str) -> Reply:
        return message([tool_use(name, arguments, id)], stop_reason="tool_use", usage=USAGE)

    replies: list[Any] = [call("bash", {"command": "env"}, "t0")]
    replies += [call(name, args, f"t{index}") for index, (name, args) in enumerate(staged.steps(), 1)]
    replies.append(lambda body: call("submit", staged.submission(_last_tool_output(body)), "t5"))
    with FakeBedrock(replies) as fake:
        result = provider_repair.solve_and_grade(staged, open_model(MODEL, ModelChoice(base_url=fake.url)))
        seen = list(fake.requests)

    assert result.steps == 6 and result.cost_usd == pytest.approx(6 * COST_PER_CALL)
    assert all(signature_ok(request, fake.url, SECRET_KEY, SESSION_TOKEN) for request in seen)
    sandbox_env = _last_tool_output(seen[1].body)
    assert "PATH=" in sandbox_env and "AWS_" not in sandbox_env, "no AWS variable inside the sandbox"
    assert "No module named 'six'" in _last_tool_output(seen[2].body)
    assert _last_tool_output(seen[3].body).startswith("installed six")
    for path in staged.run_dir.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert SECRET_KEY.encode() not in data and SESSION_TOKEN.encode() not in data, path
