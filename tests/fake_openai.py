"""A fake OpenAI chat-completions API on 127.0.0.1 for tests: the real openai SDK talks to it via
`base_url`. Like `fake_anthropic`, it records every request and answers from a queue; a queued reply may
be a function of the request body, so a scripted model can read what the tools returned. A request beyond
the queue gets a 400, which nobody retries, so a test that asks too much fails fast.
"""

import json
from typing import Any

from fake_anthropic import FakeAnthropic, Reply


def tool_call(name: str, arguments: dict[str, Any], id: str) -> dict[str, Any]:
    return {"id": id, "type": "function", "function": {"name": name, "arguments": json.dumps(arguments)}}


def completion(
    tool_calls: list[dict[str, Any]] | None = None,
    *,
    text: str | None = None,
    usage: dict[str, Any] | None = None,
    model: str = "gpt-4o-2024-08-06",
    finish_reason: str | None = None,
) -> Reply:
    """A successful chat completion."""
    message: dict[str, Any] = {"role": "assistant", "content": text}
    if tool_calls:
        message["tool_calls"] = tool_calls
    body = {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 1,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": message,
                "finish_reason": finish_reason or ("tool_calls" if tool_calls else "stop"),
            }
        ],
        "usage": usage or {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }
    return Reply(200, body)


def error(status: int, message: str, code: str | None = None) -> Reply:
    return Reply(status, {"error": {"message": message, "type": "invalid_request_error", "code": code}})


class FakeOpenAI(FakeAnthropic):
    """The server; use as a context manager. `url` ends in `/v1`, as a base URL for the SDK does. A
    request past the script gets a 400, which the SDK does not retry."""

    max_requests = None

    @property
    def url(self) -> str:
        return f"{super().url}/v1"

    def _ran_out(self) -> Reply:
        return error(400, "script ran out")
