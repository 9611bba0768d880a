"""A `Model` that replays a fixed script of turns: deterministic agent runs without the API."""

import copy
import itertools
from collections.abc import Callable, Sequence
from typing import Any

from pydantic import BaseModel

from reproducer.agent.errors import ModelError
from reproducer.agent.model import AssistantTurn, Usage
from reproducer.agent.prices import cost_of
from reproducer.agent.usage import usage_from_api

SCRIPTED_MODEL_NAME = "scripted"
# A script entry: a ready turn, a Messages API response body, or a function of the conversation so far.
ScriptedTurn = AssistantTurn | dict[str, Any] | Callable[[list[dict[str, Any]]], AssistantTurn]

_tool_use_ids = itertools.count(1)


class ScriptExhaustedError(ModelError):
    """The model was asked for more turns than its script holds."""


class ScriptedCall(BaseModel):
    """What one `query` was given, copied at the time of the call."""

    system: str
    messages: list[dict[str, Any]]
    tools: list[dict[str, Any]]
    tool_choice: dict[str, Any] | None = None


def text_block(text: str) -> dict[str, Any]:
    return {"type": "text", "text": text}


def tool_use_block(name: str, input: dict[str, Any], id: str | None = None) -> dict[str, Any]:
    """A `tool_use` block; without an `id`, a fresh `toolu_scripted_N` one."""
    return {
        "type": "tool_use",
        "id": id or f"toolu_scripted_{next(_tool_use_ids)}",
        "name": name,
        "input": input,
    }


def make_turn(
    content: list[dict[str, Any]],
    *,
    stop_reason: str | None = "end_turn",
    usage: Usage | None = None,
    cost_usd: float = 0.0,
    model: str = SCRIPTED_MODEL_NAME,
) -> AssistantTurn:
    """A turn with the given blocks and a made-up usage and cost (zero unless given)."""
    return AssistantTurn(
        content=content, stop_reason=stop_reason, usage=usage or Usage(), cost_usd=cost_usd, model=model
    )


def text_turn(
    text: str, *, usage: Usage | None = None, cost_usd: float = 0.0, model: str = SCRIPTED_MODEL_NAME
) -> AssistantTurn:
    """A final answer: one text block, `stop_reason` "end_turn"."""
    return make_turn([text_block(text)], usage=usage, cost_usd=cost_usd, model=model)


def tool_turn(
    name: str,
    input: dict[str, Any],
    id: str | None = None,
    *,
    text: str = "",
    usage: Usage | None = None,
    cost_usd: float = 0.0,
    model: str = SCRIPTED_MODEL_NAME,
) -> AssistantTurn:
    """One tool call (after an optional text block), `stop_reason` "tool_use"."""
    blocks = ([text_block(text)] if text else []) + [tool_use_block(name, input, id)]
    return make_turn(blocks, stop_reason="tool_use", usage=usage, cost_usd=cost_usd, model=model)


def turn_from_response(reply: dict[str, Any]) -> AssistantTurn:
    """A turn from a Messages API response body, priced from its `model` (at $0 if it has no price)."""
    usage = usage_from_api(reply.get("usage") or {})
    model = str(reply.get("model") or SCRIPTED_MODEL_NAME)
    return AssistantTurn(
        content=list(reply.get("content") or []),
        stop_reason=reply.get("stop_reason"),
        usage=usage,
        cost_usd=cost_of(model, usage, allow_unknown_price=True),
        model=model,
        raw=reply,
    )


class ScriptedModel:
    """Answers call N with script entry N and records every call's inputs in `calls`.

    A callable entry receives the messages so far (e.g. to answer with the id of the last tool_use).
    One call past the end raises `ScriptExhaustedError`.
    """

    def __init__(self, turns: Sequence[ScriptedTurn], name: str = SCRIPTED_MODEL_NAME) -> None:
        self.name = name
        self.turns = list(turns)
        self.calls: list[ScriptedCall] = []

    @property
    def remaining(self) -> int:
        return len(self.turns) - len(self.calls)

    def query(
        self,
        system: str,
        messages: list[dict[str, Any]],
        tools: list[dict[str, Any]],
        tool_choice: dict[str, Any] | None = None,
    ) -> AssistantTurn:
        number = len(self.calls)
        self.calls.append(
            ScriptedCall(
                system=system,
                messages=copy.deepcopy(messages),
                tools=copy.deepcopy(tools),
                tool_choice=copy.deepcopy(tool_choice),
            )
        )
        if number >= len(self.turns):
            raise ScriptExhaustedError(
                f"scripted model {self.name!r} was called {number + 1} times "
                f"but its script holds {len(self.turns)} turns"
            )
        entry = self.turns[number]
        if isinstance(entry, AssistantTurn):
            return entry.model_copy(deep=True)
        if isinstance(entry, dict):
            return turn_from_response(entry)
        return entry(copy.deepcopy(messages))
