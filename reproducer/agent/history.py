"""What the model is sent of the conversation: old tool outputs masked, the recent ones and the first
message whole.

The loop keeps every message as it was (the trajectory records them all); each request sends a view in
which the tool results of all but the last `keep` turns are replaced by one line: the call, how its
output began, its size and the file holding it. The boundary moves in steps of `stride` turns, so the
prefix the API has cached stays the same for `stride` calls in a row instead of changing every call.
"""

import json
import re
from dataclasses import dataclass
from typing import Any

# Turns whose tool results stay whole; older ones are masked.
DEFAULT_KEEP = 8
DEFAULT_STRIDE = 8
# After a context-length error the loop asks again keeping fewer turns whole: these many, in turn.
COMPACT_KEEPS = (3, 1)
SUMMARY_FIRST_LINE_CHARS = 160
INPUT_CHARS = 120
# In a masked turn, a tool call's string argument longer than this (a file written with a heredoc) keeps
# only its start.
LONG_ARGUMENT_CHARS = 1000
ARGUMENT_HEAD_CHARS = 300
# Where tools say a full output is kept: "saved in PATH" (bash), "the full output is in PATH".
_SAVED_PATH = re.compile(r"(?:saved in|full output is in) (\S+?)[),:.]*(?=\s|$)")


@dataclass(frozen=True)
class Memory:
    """How much of the conversation each request carries whole."""

    keep: int = DEFAULT_KEEP
    stride: int = DEFAULT_STRIDE

    def masked_turns(self, messages: list[dict[str, Any]]) -> int:
        """How many tool-result turns (counted from the oldest) a request over `messages` masks."""
        turns = sum(1 for message in messages[1:] if _is_tool_results(message))
        return max(0, (turns - self.keep) // self.stride * self.stride)

    def compacted(self) -> "Memory | None":
        """A memory that keeps fewer turns whole and masks at every turn; None when none keeps fewer."""
        smaller = [keep for keep in COMPACT_KEEPS if keep < self.keep]
        return Memory(keep=smaller[0], stride=1) if smaller else None

    def view(self, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """`messages` as sent: the oldest `masked_turns` tool-result turns masked, the rest unchanged."""
        return masked(messages, self.masked_turns(messages))


def masked(messages: list[dict[str, Any]], turns: int) -> list[dict[str, Any]]:
    """`messages` with the tool results of the first `turns` tool-result turns (after the first message)
    replaced by one-line summaries; `messages` itself is not changed."""
    calls: dict[str, dict[str, Any]] = {}
    view: list[dict[str, Any]] = []
    left = turns
    for position, message in enumerate(messages):
        if message.get("role") == "assistant" and isinstance(message.get("content"), list):
            uses = [block for block in message["content"] if block.get("type") == "tool_use"]
            calls.update({str(block.get("id")): block for block in uses})
        if position > 0 and left > 0 and _is_tool_results(message):
            left -= 1
            content = [_masked_block(block, calls) for block in message["content"]]
            view.append({**message, "content": content})
            if view[-2].get("role") == "assistant" and isinstance(view[-2].get("content"), list):
                view[-2] = {**view[-2], "content": [_shortened_call(block) for block in view[-2]["content"]]}
        else:
            view.append(message)
    return view


def request_chars(system: str, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> int:
    """The size of a request's text, for budgets and benchmarks (about 4 characters a token)."""
    return len(system) + len(json.dumps(messages, ensure_ascii=False)) + len(json.dumps(tools))


def _is_tool_results(message: dict[str, Any]) -> bool:
    content = message.get("content")
    return (
        message.get("role") == "user"
        and isinstance(content, list)
        and any(isinstance(block, dict) and block.get("type") == "tool_result" for block in content)
    )


def _masked_block(block: dict[str, Any], calls: dict[str, dict[str, Any]]) -> dict[str, Any]:
    if block.get("type") != "tool_result":
        return block
    parts = block.get("content") or []
    parts = [{"type": "text", "text": parts}] if isinstance(parts, str) else parts
    text = "\n".join(str(part.get("text", "")) for part in parts if part.get("type") == "text")
    images = sum(1 for part in parts if part.get("type") == "image")
    summary = summary_line(calls.get(str(block.get("tool_use_id"))), text, images)
    return {**block, "content": [{"type": "text", "text": summary}]}


def summary_line(call: dict[str, Any] | None, text: str, images: int = 0) -> str:
    """One line standing for an old tool result: which call, how its output began, where it is kept."""
    name = str(call.get("name", "tool")) if call else "tool"
    arguments = _brief_input(call.get("input") if call else None)
    first = text.strip().splitlines()[0][:SUMMARY_FIRST_LINE_CHARS] if text.strip() else "(no text)"
    parts = [f"[{name}({arguments}) output masked to keep the context short: {first!r}, {len(text)} chars"]
    if images:
        parts.append(f"{images} image(s)")
    paths = list(dict.fromkeys(_SAVED_PATH.findall(text)))
    parts.append(f"full output in {', '.join(paths)}" if paths else "call it again to see it")
    return "; ".join(parts) + "]"


def _shortened_call(block: dict[str, Any]) -> dict[str, Any]:
    """A tool call of a masked turn with its long string arguments cut to their start; any other block
    (text, thinking, whose signature covers it) unchanged."""
    arguments = block.get("input")
    if block.get("type") != "tool_use" or not isinstance(arguments, dict):
        return block
    if not any(isinstance(v, str) and len(v) > LONG_ARGUMENT_CHARS for v in arguments.values()):
        return block
    shortened = {
        key: f"{value[:ARGUMENT_HEAD_CHARS]}... [{len(value)} chars masked]"
        if isinstance(value, str) and len(value) > LONG_ARGUMENT_CHARS
        else value
        for key, value in arguments.items()
    }
    return {**block, "input": shortened}


def _brief_input(value: object) -> str:
    if not isinstance(value, dict):
        return ""
    text = ", ".join(f"{key}={item!r}" for key, item in value.items())
    return text if len(text) <= INPUT_CHARS else text[: INPUT_CHARS - 3] + "..."
