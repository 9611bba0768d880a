"""Going on with an agent run that was cut short, from the trajectory it saved after every step.

The conversation is rebuilt from the saved messages (image bytes, which the trajectory never keeps,
become a note naming the file shown), the budget counts what the first part spent (steps, dollars,
seconds), and the trajectory goes on in the same file with its earlier steps kept.
"""

import json
import time
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from reproducer.agent.drafts import Draft, Drafts
from reproducer.agent.limits import Spent
from reproducer.agent.solve import AgentResult, AgentRun, agent_result
from reproducer.agent.tools import make_toolbox
from reproducer.agent.trajectory import TRAJECTORY_FORMAT, StepRecord
from reproducer.errors import BadInput
from reproducer.rundir.layout import TRAJECTORY_FILE

# How a resumable run ended: cut short (killed, interrupted: no outcome) or by the model's API or the
# sandbox failing. A submission or a limit is an ending of its own.
RESUMABLE = (None, "infra_error")
# How the loop's notes to the model begin (limits.budget_note, loop.FINAL_TURN).
NOTE_STARTS = ("[budget left:", "LAST TURN (")
IMAGE_NOT_KEPT = "[an image of {path} was shown here; the trajectory keeps no image bytes]"


class SavedRun:
    """A trajectory file read back: the conversation, its steps, what it spent and its drafts."""

    def __init__(self, path: Path) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise BadInput(f"{path}: cannot read the trajectory ({error.strerror or error})") from None
        except ValueError as error:
            raise BadInput(f"{path}: not a JSON trajectory ({error})") from None
        if not isinstance(data, dict) or data.get("format") != TRAJECTORY_FORMAT:
            raise BadInput(f"{path}: not a {TRAJECTORY_FORMAT} trajectory")
        try:
            self.steps = [StepRecord.model_validate(step) for step in data.get("steps") or []]
        except ValidationError as error:
            raise BadInput(f"{path}: a step of the trajectory is malformed: {error}") from None
        self.path = path
        self.data = data
        self.system = str(data.get("system") or "")
        self.outcome: dict[str, Any] | None = data.get("outcome")
        totals = data.get("totals") or {}
        self.spent = Spent(
            steps=int(totals.get("steps") or len(self.steps)),
            cost_usd=float(totals.get("cost_usd") or 0.0),
            seconds=float(totals.get("seconds") or 0.0),
        )
        self.drafts: dict[str, Any] = data.get("drafts") or {}

    def messages(self) -> list[dict[str, Any]]:
        """The conversation up to the last completed step, ready to send: it ends with the user message
        that answered that step (a reply whose tool calls never ran is dropped)."""
        messages = [_with_image_notes(message) for message in self.data.get("messages") or []]
        dropped = False
        while messages and messages[-1].get("role") != "user":
            messages.pop()
            dropped = True
        if not messages:
            raise BadInput(f"{self.path}: the trajectory holds no conversation to go on from")
        if dropped:  # the note the dropped step was sent with: the loop adds a fresh one
            messages[-1] = _without_notes(messages[-1])
        return messages


def resume_with_agent(run: AgentRun) -> AgentResult:
    """Go on with the agent run RUNDIR/trajectory.json records; the limits count what it spent.

    Refuses (BadInput) a trajectory that ended by a submission or a limit: only a run cut short (killed,
    interrupted, or ended by an infrastructure error) goes on.
    """
    path = run.run_dir / TRAJECTORY_FILE
    saved = SavedRun(path)
    ended = None if saved.outcome is None else saved.outcome.get("kind")
    if ended not in RESUMABLE:
        raise BadInput(f"{path}: this agent run already ended ({ended}); there is nothing to resume")
    started = time.monotonic()
    spent = saved.spent
    context = run.tool_context(
        # The wall-time limit counts the first part's seconds; bash logs go on numbering after its own.
        started=started - spent.seconds,
        commands_run=sum(call.name == "bash" for step in saved.steps for call in step.tool_calls),
    )
    trajectory = run.trajectory()
    trajectory.steps = list(saved.steps)
    trajectory.started_at = str(saved.data.get("started_at") or trajectory.started_at)
    trajectory.spent = spent
    drafts = Drafts(run.task.questions)
    drafts.answers = {
        question: Draft.model_validate(draft)
        for question, draft in saved.drafts.items()
        if question in run.task.questions and isinstance(draft, dict)
    }
    trajectory.drafts = {q: d.model_dump(mode="json") for q, d in drafts.answers.items()}
    agent = run.agent(make_toolbox(context), trajectory, drafts)
    agent.final_turn_given = any(step.tool_choice is not None for step in saved.steps)
    outcome = agent.resume(saved.system, saved.messages(), spent)
    return agent_result(outcome, drafts, trajectory, started)


def _without_notes(message: dict[str, Any]) -> dict[str, Any]:
    """`message` without the budget and last-turn notes the loop appends to the latest user message."""
    content = message.get("content")
    if not isinstance(content, list):
        return message
    kept = []
    for block in content:
        inner = block.get("content") if isinstance(block, dict) else None
        if isinstance(block, dict) and _is_note(block):
            continue
        if block.get("type") == "tool_result" and isinstance(inner, list):
            block = {**block, "content": [part for part in inner if not _is_note(part)]}
        kept.append(block)
    return {**message, "content": kept}


def _is_note(block: Any) -> bool:
    text = str(block.get("text", "")) if isinstance(block, dict) and block.get("type") == "text" else ""
    return text.startswith(NOTE_STARTS)


def _with_image_notes(value: Any) -> Any:
    """A copy of `value` whose image blocks the trajectory stripped of their bytes are text notes (the
    API refuses an image without data)."""
    if isinstance(value, list):
        return [_with_image_notes(item) for item in value]
    if not isinstance(value, dict):
        return value
    source = value.get("source")
    if value.get("type") == "image" and isinstance(source, dict) and source.get("type") == "omitted":
        return {"type": "text", "text": IMAGE_NOT_KEPT.format(path=source.get("path") or "a file")}
    return {key: _with_image_notes(item) for key, item in value.items()}
