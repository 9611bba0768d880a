"""OpenAI's chat-completions API through the openai SDK: OpenAI itself, and any server that speaks it
(vLLM, Ollama, OpenRouter, LM Studio...) at a `base_url`.

The neutral conversation (`parts`) is translated on the way out: tool calls become `tool_calls`, tool
results `tool` messages, images `image_url` parts with a `data:` URL; an image inside a tool result, which
a `tool` message cannot hold, follows in a user message. Replies are translated back into parts.
"""

import json
from typing import Any

import openai

from reproducer.agent.errors import ModelUnavailable
from reproducer.agent.model import AssistantTurn, Usage
from reproducer.agent.models import parts
from reproducer.agent.models.remote import RemoteModel
from reproducer.agent.prices import Rates
from reproducer.agent.retry import DEFAULT_RETRY_MINUTES, Backoff

DEFAULT_MAX_TOKENS = 16_000
DEFAULT_TIMEOUT_S = 600.0
CONNECT_TIMEOUT_S = 10.0
# The SDK's own retries are off: ours (`retry.call_with_retries`) cover the same answers with a budget
# in minutes, and two nested loops would multiply the waits.
RETRY_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504})
STOP_REASONS = {
    "stop": parts.END_TURN,
    "tool_calls": parts.TOOL_USE,
    "function_call": parts.TOOL_USE,
    "length": parts.MAX_TOKENS,
    "content_filter": parts.REFUSAL,
}


def is_ours_to_retry(error: Exception) -> bool:
    """Answers that say "later" and lost connections: with the SDK's retries off, all are ours."""
    if isinstance(error, openai.APIStatusError):
        return error.status_code in RETRY_STATUSES
    return isinstance(error, openai.APIConnectionError)


def chat_tools(tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "type": "function",
            "function": {
                "name": tool["name"],
                "description": tool.get("description", ""),
                "parameters": tool.get("input_schema") or {"type": "object", "properties": {}},
            },
        }
        for tool in tools
    ]


def chat_tool_choice(choice: dict[str, Any] | None) -> Any:
    if choice is None or choice.get("type") == "auto":
        return None
    if choice.get("type") == "tool":
        return {"type": "function", "function": {"name": choice["name"]}}
    return "required" if choice.get("type") == "any" else None


def _user_content(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    content: list[dict[str, Any]] = []
    for part in items:
        if part.get("type") == "text" and part.get("text"):
            content.append({"type": "text", "text": str(part["text"])})
        elif part.get("type") == "image" and (url := parts.image_data_url(part)):
            content.append({"type": "image_url", "image_url": {"url": url}})
    return content


def _tool_messages(items: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """`tool` messages for the results, and the images they held (a tool message takes text only)."""
    messages, images = [], []
    for part in items:
        inner = parts.parts_of(part.get("content"))
        text = "\n".join(str(item.get("text", "")) for item in inner if item.get("type") == "text")
        images += [item for item in inner if item.get("type") == "image"]
        if part.get("is_error"):
            text = f"Error: {text}"
        messages.append({"role": "tool", "tool_call_id": part.get("tool_use_id", ""), "content": text})
    return messages, images


def chat_messages(system: str, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The neutral conversation as chat-completions messages."""
    out: list[dict[str, Any]] = [{"role": "system", "content": system}] if system else []
    for message in messages:
        items = parts.parts_of(message.get("content"))
        if message.get("role") == "assistant":
            text = "\n".join(str(p.get("text", "")) for p in items if p.get("type") == "text").strip()
            calls = [
                {
                    "id": p.get("id", ""),
                    "type": "function",
                    "function": {"name": p.get("name", ""), "arguments": json.dumps(p.get("input", {}))},
                }
                for p in items
                if p.get("type") == "tool_use"
            ]
            assistant: dict[str, Any] = {"role": "assistant", "content": text or None}
            if calls:
                assistant["tool_calls"] = calls
            out.append(assistant)
            continue
        results, images = _tool_messages([p for p in items if p.get("type") == "tool_result"])
        out += results
        rest = _user_content([p for p in items if p.get("type") != "tool_result"] + images)
        if rest:
            out.append({"role": "user", "content": rest})
    return out


def _arguments(raw: object) -> Any:
    """A tool call's arguments as JSON; text that is not JSON is kept as text, for the tool to refuse."""
    if not isinstance(raw, str):
        return raw if isinstance(raw, dict) else {}
    try:
        return json.loads(raw) if raw.strip() else {}
    except ValueError:
        return raw


def usage_from_chat(data: object) -> Usage:
    """`prompt_tokens` include the cached ones (`prompt_tokens_details.cached_tokens`), billed apart."""
    if not isinstance(data, dict):
        return Usage()
    details = data.get("prompt_tokens_details") or {}
    cached = int(details.get("cached_tokens") or 0) if isinstance(details, dict) else 0
    prompt = int(data.get("prompt_tokens") or 0)
    return Usage(
        input_tokens=max(0, prompt - cached),
        cache_read_tokens=cached,
        output_tokens=int(data.get("completion_tokens") or 0),
    )


class OpenAIChatModel(RemoteModel):
    """A `Model` on a chat-completions endpoint; `rates` price it (`prices.FREE` for a free one).

    `api` names the service in messages and errors; `key_variable` where the key came from. `openai`
    (OpenAI itself) sends `max_completion_tokens`, which its reasoning models require; other servers get
    the older `max_tokens`, which all of them know.
    """

    def __init__(
        self,
        model_id: str,
        *,
        api_key: str,
        rates: Rates,
        base_url: str | None = None,
        api: str = "OpenAI API",
        key_variable: str = "OPENAI_API_KEY",
        provider: str = "openai",
        max_tokens: int = DEFAULT_MAX_TOKENS,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        retry_budget: int | None = None,
        retry_minutes: float = DEFAULT_RETRY_MINUTES,
        backoff: Backoff | None = None,
    ) -> None:
        super().__init__(
            model_id,
            api=api,
            key_variable=key_variable,
            secrets=(api_key,),
            retry_budget=retry_budget,
            retry_minutes=retry_minutes,
            backoff=backoff,
        )
        self.provider = provider
        self.price_known = True
        self.rates = rates
        self.max_tokens = max_tokens
        self._client = openai.OpenAI(
            api_key=api_key,
            base_url=base_url,
            timeout=openai.Timeout(timeout_s, connect=min(CONNECT_TIMEOUT_S, timeout_s)),
            max_retries=0,
        )

    def request(
        self,
        system: str,
        messages: list[dict[str, Any]],
        tools: list[dict[str, Any]],
        tool_choice: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The chat-completions request body `query` sends."""
        limit = "max_completion_tokens" if self.provider == "openai" else "max_tokens"
        body: dict[str, Any] = {
            "model": self.name,
            "messages": chat_messages(system, messages),
            limit: self.max_tokens,
        }
        if tools:
            body["tools"] = chat_tools(tools)
            choice = chat_tool_choice(tool_choice)
            if choice is not None:
                body["tool_choice"] = choice
        return body

    def query(
        self,
        system: str,
        messages: list[dict[str, Any]],
        tools: list[dict[str, Any]],
        tool_choice: dict[str, Any] | None = None,
    ) -> AssistantTurn:
        body = self.request(system, messages, tools, tool_choice)
        response = self._retried(
            lambda: self._client.chat.completions.with_raw_response.create(**body), is_ours_to_retry
        )
        try:
            reply = json.loads(response.http_response.text)
        except ValueError:
            reply = None
        return self._turn(reply)

    @property
    def client(self) -> openai.OpenAI:
        """The SDK client (the model proxy forwards with its URL and key)."""
        return self._client

    def cost(self, usage: Usage) -> float:
        return self.rates.cost(usage)

    def _turn(self, reply: object) -> AssistantTurn:
        choices = reply.get("choices") if isinstance(reply, dict) else None
        if not isinstance(reply, dict) or not isinstance(choices, list) or not choices:
            raise ModelUnavailable(f"{self.api} ({self.name}) sent a reply that is not a chat completion")
        choice = choices[0] if isinstance(choices[0], dict) else {}
        message = choice.get("message") or {}
        content: list[dict[str, Any]] = []
        if isinstance(message.get("content"), str) and message["content"]:
            content.append(parts.text_part(message["content"]))
        for call in message.get("tool_calls") or []:
            function = call.get("function") or {}
            content.append(
                parts.tool_call_part(
                    str(call.get("id", "")),
                    str(function.get("name", "")),
                    _arguments(function.get("arguments")),
                )
            )
        usage = usage_from_chat(reply.get("usage"))
        finish = str(choice.get("finish_reason") or "")
        stop = STOP_REASONS.get(finish, finish or None)
        if stop == parts.END_TURN and any(part["type"] == "tool_use" for part in content):
            stop = parts.TOOL_USE  # some servers say "stop" after tool calls
        return self._turn_of(reply, content, stop, usage)
