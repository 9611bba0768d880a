"""OpenAI and OpenAI-compatible servers through the real openai SDK, against a fake API on 127.0.0.1.

`reproducer run --model openai/gpt-4o` searches the outputs and submits: graded correct, cost from the
price table worked out by hand, the key in no record. An `openai-compatible/` model (a vLLM stand-in,
priced on the command line) repairs a capsule whose requirements forget a package.
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import provider_repair
import pytest
from fake_anthropic import Reply, api_key
from fake_openai import FakeOpenAI, completion, error, tool_call

from reproducer.agent.errors import ModelAuthError, ModelContextTooLong
from reproducer.agent.models.openai_chat import chat_messages
from reproducer.agent.models.registry import ModelChoice, open_model
from reproducer.agent.retry import Backoff
from reproducer.tasks.load import load_task

ROOT = Path(__file__).resolve().parent.parent
TASK_FILE = ROOT / "tasks" / "diabetes-logreg" / "task.yaml"
SIX = Path(__file__).parent / "fixtures" / "agent" / "missing-six"
SECRET = "sk-proj-test-0123456789abcdefghij"
# Each call: 1,000 prompt tokens of which 400 cached, 200 completion tokens. On gpt-4o ($2.50 input,
# $1.25 cached input, $10 output per million): 600 * 2.5 + 400 * 1.25 + 200 * 10 = 4,000 -> $0.004.
USAGE = {"prompt_tokens": 1000, "completion_tokens": 200, "prompt_tokens_details": {"cached_tokens": 400}}
COST_PER_CALL = 0.004


def run_cli(fake: FakeOpenAI, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANTHROPIC_", "OPENAI_"))}
    env["OPENAI_API_KEY"] = SECRET
    command = [sys.executable, "-m", "reproducer", "run", "--task", str(TASK_FILE), "--level", "easy"]
    command += ["--base-url", fake.url, "--out", str(out), "--json", *extra]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)


def test_an_openai_model_submits_and_the_run_is_graded_with_its_cost(tmp_path: Path) -> None:
    truth = load_task(TASK_FILE).results[0]
    replies = [
        completion([tool_call("search_outputs", {"query": "test accuracy"}, "call_1")], usage=USAGE),
        completion([tool_call("submit", {"answers": truth}, "call_2")], usage=USAGE),
    ]
    with FakeOpenAI(replies) as fake:
        completed = run_cli(fake, tmp_path / "run", "--model", "openai/gpt-4o")
        seen = list(fake.requests)

    assert completed.returncode == 0, completed.stderr
    summary = json.loads(completed.stdout)
    assert summary["status"] == "correct"
    assert summary["agent"]["outcome"] == "submitted" and summary["agent"]["steps"] == 2
    assert summary["agent"]["cost_usd"] == pytest.approx(2 * COST_PER_CALL)

    assert [request.path for request in seen] == ["/v1/chat/completions"] * 2
    assert all(api_key(request.headers) == SECRET for request in seen)
    first, second = seen[0].body, seen[1].body
    assert first["model"] == "gpt-4o" and first["max_completion_tokens"] > 0
    assert first["messages"][0]["role"] == "system"
    assert {tool["function"]["name"] for tool in first["tools"]} >= {"bash", "search_outputs", "submit"}
    # The tool call went back as the assistant's, its result as a `tool` message answering its id.
    assert second["messages"][-2]["tool_calls"][0]["id"] == "call_1"
    assert second["messages"][-1]["role"] == "tool" and second["messages"][-1]["tool_call_id"] == "call_1"
    assert "best matches" in second["messages"][-1]["content"]

    for path in (tmp_path / "run").rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


def test_a_server_without_a_price_table_needs_prices_or_free(tmp_path: Path) -> None:
    with FakeOpenAI([]) as fake:
        completed = run_cli(fake, tmp_path / "run", "--agent", "claude", "--model", "openai-compatible/qwen3")
        assert not fake.requests
    assert completed.returncode == 2
    assert "--price-in and --price-out" in completed.stderr and "Traceback" not in completed.stderr
    assert not (tmp_path / "run").exists(), "nothing ran"


def test_an_unknown_provider_is_refused_with_the_known_ones(tmp_path: Path) -> None:
    with FakeOpenAI([]) as fake:
        completed = run_cli(fake, tmp_path / "run", "--agent", "claude", "--model", "mistral/large")
    assert completed.returncode == 2
    assert "unknown provider 'mistral'" in completed.stderr and "openai-compatible" in completed.stderr


def test_errors_are_ours_and_say_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    refused = Reply(
        401, {"error": {"message": "Incorrect API key provided: {api_key}", "code": "invalid_api_key"}}
    )
    too_long = error(400, "This model's maximum context length is 128000 tokens", "context_length_exceeded")
    later = Reply(429, {"error": {"message": "Rate limit reached"}}, {"retry-after-ms": "10"})
    with FakeOpenAI([refused, later, too_long]) as fake:
        model = open_model("openai/gpt-4o", ModelChoice(base_url=fake.url))
        model.backoff = Backoff(first_delay_s=0.01)  # type: ignore[attr-defined]
        with pytest.raises(ModelAuthError) as refused_error:
            model.query("system", [{"role": "user", "content": "hi"}], [])
        with pytest.raises(ModelContextTooLong):
            model.query("system", [{"role": "user", "content": "hi"}], [])
        assert len(fake.requests) == 3, "the 429 was retried by us, the others were not"

    message = str(refused_error.value)
    assert "401" in message and "OPENAI_API_KEY" in message and SECRET not in message


def test_images_in_tool_results_follow_as_a_user_message() -> None:
    image = {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "AAAA"}}
    conversation: list[dict[str, Any]] = [
        {"role": "user", "content": [{"type": "text", "text": "look"}]},
        {
            "role": "assistant",
            "content": [{"type": "tool_use", "id": "c1", "name": "view_image", "input": {}}],
        },
        {
            "role": "user",
            "content": [
                {
                    "type": "tool_result",
                    "tool_use_id": "c1",
                    "content": [{"type": "text", "text": "fig"}, image],
                }
            ],
        },
    ]
    sent = chat_messages("sys", conversation)
    assert [m["role"] for m in sent] == ["system", "user", "assistant", "tool", "user"]
    assert sent[3] == {"role": "tool", "tool_call_id": "c1", "content": "fig"}
    assert sent[4]["content"] == [{"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}]


def _last_tool_output(body: dict[str, Any]) -> str:
    last = body["messages"][-1]
    assert last["role"] == "tool", last
    return str(last["content"])


@pytest.mark.slow
def test_an_openai_compatible_model_repairs_a_capsule_and_submits(tmp_path: Path) -> None:
    """vLLM's shape: no key needed, priced at $1 / $3 per million on the command line."""
    staged = provider_repair.stage(tmp_path)
    usage = {"prompt_tokens": 2000, "completion_tokens": 100}
    replies: list[Any] = [
        completion([tool_call(name, args, f"c{index}")], usage=usage)
        for index, (name, args) in enumerate(staged.steps(), 1)
    ]
    replies.append(
        lambda body: completion(
            [tool_call("submit", staged.submission(_last_tool_output(body)), "c5")], usage=usage
        )
    )
    with FakeOpenAI(replies) as fake:
        choice = ModelChoice(base_url=fake.url, price_in=1.0, price_out=3.0)
        result = provider_repair.solve_and_grade(staged, open_model("openai-compatible/qwen3-coder", choice))
        seen = list(fake.requests)

    # Five calls of 2,000 input and 100 output tokens at $1 / $3 per million: 5 * 0.0023 = $0.0115.
    assert result.cost_usd == pytest.approx(0.0115)
    assert seen[0].body["max_tokens"] > 0 and "max_completion_tokens" not in seen[0].body
    assert api_key(seen[0].headers) == "no-key"
    assert "No module named 'six'" in _last_tool_output(seen[1].body)
    assert _last_tool_output(seen[2].body).startswith("installed six")
