"""The trajectory: every request and response of a run, saved atomically after every step.

The messages only ever grow, so the request of step N is `system`, `tools` and the first
`messages_sent` entries of `messages`, with the tool results of the first `masked_turns` tool-result turns
masked (`history.masked`), and `tool_choice` when the step forced one. Image bytes are replaced by a
note of the file shown; every string is passed through `redact` so no API key reaches the file.
"""

import datetime as dt
import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from reproducer.agent.limits import Spent
from reproducer.agent.model import Usage
from reproducer.agent.outcome import Outcome
from reproducer.agent.redact import redact_json
from reproducer.agent.tools import ToolCall
from reproducer.agent.usage import sum_usage
from reproducer.rundir.stamp import write_record

TRAJECTORY_FORMAT = "reproducer-trajectory/1"


class StepRecord(BaseModel):
    """One model call and the tool calls of its reply."""

    step: int
    started_at: str
    messages_sent: int
    masked_turns: int = 0
    tool_choice: dict[str, Any] | None = None
    # Context-length errors this step recovered from by masking more of the history.
    compactions: int = 0
    model: str = ""
    model_seconds: float = 0.0
    stop_reason: str | None = None
    text: str = ""
    usage: Usage = Field(default_factory=Usage)
    cost_usd: float = 0.0
    response: dict[str, Any] = Field(default_factory=dict)
    tool_calls: list[ToolCall] = Field(default_factory=list)
    format_error: str | None = None


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Trajectory:
    """Writes `path` (RUNDIR/trajectory.json) after each change; `secrets` are redacted from it."""

    def __init__(self, path: Path, secrets: Iterable[str | None] = ()) -> None:
        self.path = path
        self.secrets = [secret for secret in secrets if secret]
        self.model = ""
        self.system = ""
        self.tools: list[dict[str, Any]] = []
        self.messages: list[dict[str, Any]] = []
        self.steps: list[StepRecord] = []
        self.started_at = now()
        self.outcome: Outcome | None = None
        self.spent = Spent()
        self.error = ""
        # Draft answers by question (value, source, step), kept for an ending without a submission.
        self.drafts: dict[str, Any] = {}

    def begin(
        self, model: str, system: str, tools: list[dict[str, Any]], messages: list[dict[str, Any]]
    ) -> None:
        self.model, self.system, self.tools, self.messages = model, system, tools, messages
        self.save()

    def add_step(self, step: StepRecord, spent: Spent) -> None:
        self.steps.append(step)
        self.spent = spent
        self.save()

    def finish(self, outcome: Outcome, spent: Spent) -> Outcome:
        self.outcome, self.spent = outcome, spent
        self.save()
        return outcome

    def abort(self, error: BaseException) -> None:
        """Save what there is when the run ends by an exception rather than an outcome."""
        self.error = f"{type(error).__name__}: {error}"
        self.save()

    def save(self) -> None:
        images = {
            image.sha256: image for step in self.steps for call in step.tool_calls for image in call.images
        }
        outcome = (
            None
            if self.outcome is None
            else self.outcome.model_dump(mode="json") | {"reason": self.outcome.reason}
        )
        data = {
            "format": TRAJECTORY_FORMAT,
            "model": self.model,
            "started_at": self.started_at,
            "saved_at": now(),
            "outcome": outcome,
            "error": self.error or None,
            "totals": {
                "steps": self.spent.steps,
                "cost_usd": round(self.spent.cost_usd, 6),
                "seconds": round(self.spent.seconds, 3),
                "usage": sum_usage(step.usage for step in self.steps).model_dump(),
            },
            "system": self.system,
            "tools": self.tools,
            "messages": [_without_image_bytes(message, images) for message in self.messages],
            "steps": [step.model_dump(mode="json") for step in self.steps],
            "drafts": self.drafts,
        }
        write_record(self.path, redact_json(data, self.secrets))


def _without_image_bytes(value: Any, images: dict[str, Any]) -> Any:
    """A copy of `value` whose base64 image blocks name the file they showed instead of holding it."""
    if isinstance(value, list):
        return [_without_image_bytes(item, images) for item in value]
    if not isinstance(value, dict):
        return value
    source = value.get("source")
    if value.get("type") == "image" and isinstance(source, dict) and source.get("type") == "base64":
        data = str(source.get("data", ""))
        seen = images.get(hashlib.sha256(data.encode("ascii", errors="replace")).hexdigest())
        note = {"type": "omitted", "media_type": source.get("media_type"), "base64_chars": len(data)}
        if seen is not None:
            note |= {"path": seen.path, "width": seen.width, "height": seen.height}
        return {**value, "source": note}
    return {key: _without_image_bytes(item, images) for key, item in value.items()}
