"""The small interface the agent loop talks to: one call in, one assistant turn out."""

from typing import Any, Protocol

from pydantic import BaseModel, Field


class Usage(BaseModel):
    """Tokens one call consumed, split the way they are billed."""

    input_tokens: int = 0
    output_tokens: int = 0
    cache_write_5m_tokens: int = 0
    cache_write_1h_tokens: int = 0
    cache_read_tokens: int = 0


class AssistantTurn(BaseModel):
    """The model's reply to one call.

    `content` holds the Messages API's content blocks as plain dicts (`text`, `tool_use`, and on models
    that think, `thinking` blocks); send it back unchanged as the next assistant message.
    `raw` is the whole response as JSON, for the trajectory.
    """

    content: list[dict[str, Any]]
    stop_reason: str | None
    usage: Usage = Field(default_factory=Usage)
    cost_usd: float = 0.0
    model: str
    raw: dict[str, Any] = Field(default_factory=dict)

    @property
    def tool_uses(self) -> list[dict[str, Any]]:
        """The `tool_use` blocks, in the order the model wrote them."""
        return [block for block in self.content if block.get("type") == "tool_use"]

    @property
    def text(self) -> str:
        """The text blocks joined by newlines; empty when the turn only calls tools."""
        return "\n".join(str(block.get("text", "")) for block in self.content if block.get("type") == "text")


class Model(Protocol):
    """Anything that answers a conversation: Claude over the API, or a scripted stand-in for tests.

    `messages` and `tools` are in the Messages API's own JSON shape (tools with `name`, `description`,
    `input_schema`); `tool_choice` too (`{"type": "tool", "name": "submit"}` forces that tool).
    """

    name: str

    def query(
        self,
        system: str,
        messages: list[dict[str, Any]],
        tools: list[dict[str, Any]],
        tool_choice: dict[str, Any] | None = None,
    ) -> AssistantTurn: ...
