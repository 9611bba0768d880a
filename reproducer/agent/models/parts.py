"""The neutral message vocabulary the agent loop keeps its conversation in.

A message is `{"role": "user" | "assistant", "content": [part, ...]}`. The parts:

- text: `{"type": "text", "text": str}`
- tool call (assistant): `{"type": "tool_use", "id": str, "name": str, "input": dict}`
- tool result (user): `{"type": "tool_result", "tool_use_id": str, "content": [text or image parts],
  "is_error": bool}` (content may also be a plain string)
- image: `{"type": "image", "source": {"type": "base64", "media_type": str, "data": str}}`

Any other part (a Claude `thinking` block) belongs to one provider: it is kept for that provider, which
needs it sent back unchanged, and dropped by the others. Stop reasons are `end_turn`, `tool_use`,
`max_tokens` (the reply was cut) and `refusal`. The shapes are those of the Messages API on purpose: the
trajectory files already hold them, so old records stay readable.
"""

from typing import Any

END_TURN = "end_turn"
TOOL_USE = "tool_use"
MAX_TOKENS = "max_tokens"
REFUSAL = "refusal"


def text_part(text: str) -> dict[str, Any]:
    return {"type": "text", "text": text}


def tool_call_part(call_id: str, name: str, arguments: Any) -> dict[str, Any]:
    return {"type": "tool_use", "id": call_id, "name": name, "input": arguments}


def parts_of(content: Any) -> list[dict[str, Any]]:
    """A message's or tool result's content as a list of parts (a plain string is one text part)."""
    if isinstance(content, str):
        return [text_part(content)] if content else []
    return [part for part in content or [] if isinstance(part, dict)]


def image_data_url(part: dict[str, Any]) -> str | None:
    """An image part as a `data:` URL, or None when it is not an inline base64 image."""
    source = part.get("source")
    if not isinstance(source, dict) or source.get("type") != "base64":
        return None
    return f"data:{source.get('media_type', 'image/png')};base64,{source.get('data', '')}"
