"""The agent loop: check the budget, ask the model, run the tools it called, save, repeat.

The loop ends only by returning an `Outcome`: a submission, a limit reached, too many turns without a
usable tool call, or an infrastructure failure (the model's API, the sandbox). Near the step, cost or
time limit the model gets one last turn that must call `submit`; whatever it drafted before (a refused
submission, answers written as JSON) is kept in `drafts` for any ending.

`run` starts a conversation; `resume` continues one from its messages and what it has spent.
"""

import time
from typing import Any

from reproducer.agent.drafts import Drafts
from reproducer.agent.errors import ModelContextTooLong
from reproducer.agent.history import Memory
from reproducer.agent.limits import AgentLimits, LimitKind, Spent, budget_note, ending, exceeded, nearing
from reproducer.agent.model import AssistantTurn, Model
from reproducer.agent.outcome import FormatErrors, InfraError, Outcome, Submitted
from reproducer.agent.tools import ToolBox, ToolCall
from reproducer.agent.trajectory import StepRecord, Trajectory, now
from reproducer.errors import WorkFailed

NO_TOOL_CALL = (
    "Your reply called no tool. Every reply must call at least one tool: investigate with bash, read_file, "
    "list_files, search_outputs or view_image, and call submit with every answer when you are done."
)
EMPTY_REPLY = "(empty reply)"
EMPTY_REPLY_NUDGE = "Your reply was empty. Please continue. " + NO_TOOL_CALL
CUT_REPLY = (
    "Your reply was cut off at the output token limit, so its tool call was not run. Write less before "
    "the tool call, and split long file contents over several calls."
)
FINAL_TURN = (
    "LAST TURN ({reason}): call submit now, with your best answer for every question. Use the values "
    "you found; where you found none, give your best estimate. There is no later turn."
)
FORCE_SUBMIT = {"type": "tool", "name": "submit"}


def user_text(text: str) -> dict[str, Any]:
    return {"role": "user", "content": [{"type": "text", "text": text}]}


class Agent:
    """Drives `model` with `toolbox` until an outcome; the trajectory is saved after every step.

    `memory` says how much of the history each request carries whole; `drafts` collects draft answers.
    """

    def __init__(
        self,
        model: Model,
        toolbox: ToolBox,
        limits: AgentLimits,
        trajectory: Trajectory,
        *,
        memory: Memory | None = None,
        drafts: Drafts | None = None,
    ) -> None:
        self.model, self.toolbox, self.limits, self.trajectory = model, toolbox, limits, trajectory
        self.memory = memory or Memory()
        self.drafts = drafts or Drafts([])
        self.last_call_usd = 0.0
        self.final_turn_given = False

    def run(self, system: str, first_message: str) -> Outcome:
        return self.resume(system, [user_text(first_message)], Spent())

    def resume(self, system: str, messages: list[dict[str, Any]], spent: Spent) -> Outcome:
        """Go on from `messages` (ending with a user message) with `spent` already used."""
        tools = self.toolbox.specs()
        started = time.monotonic() - spent.seconds
        try:
            self.trajectory.begin(self.model.name, system, tools, messages)
            while True:
                spent.seconds = time.monotonic() - started
                outcome = self.turn(system, messages, tools, spent)
                if outcome is not None:
                    spent.seconds = time.monotonic() - started
                    return self.trajectory.finish(outcome, spent)
        except BaseException as error:  # a bug or an interrupt: keep the record, then let it through
            self.trajectory.abort(error)
            raise

    def turn(
        self, system: str, messages: list[dict[str, Any]], tools: list[dict[str, Any]], spent: Spent
    ) -> Outcome | None:
        """The next step, an ordinary one or the last; an outcome when the run ends here."""
        limit = exceeded(self.limits, spent)
        if isinstance(limit, FormatErrors) or (limit is not None and self.final_turn_given):
            return limit
        closing: LimitKind | None = nearing(self.limits, spent, self.last_call_usd)
        if closing is None:
            _add_note(messages[-1], budget_note(self.limits, spent))
            return self.step(system, messages, tools, spent)
        # The last turn: it must submit; without a submission the run ends at the limit it neared.
        self.final_turn_given = True
        reason = limit.reason if limit is not None else f"the {closing} limit is next"
        _add_note(messages[-1], FINAL_TURN.format(reason=reason))
        for tool in self.toolbox.tools.values():
            tool.context.final_turn = True
        outcome = self.step(system, messages, tools, spent, final=True)
        return outcome or ending(closing, self.limits, spent)

    def step(
        self,
        system: str,
        messages: list[dict[str, Any]],
        tools: list[dict[str, Any]],
        spent: Spent,
        *,
        final: bool = False,
    ) -> Outcome | None:
        """One model call and its tool calls; an outcome when the run must end here."""
        record = StepRecord(step=spent.steps + 1, started_at=now(), messages_sent=len(messages))
        record.tool_choice = FORCE_SUBMIT if final and "submit" in self.toolbox.tools else None
        asked = time.monotonic()
        try:
            turn = self.ask(system, messages, tools, record)
        except WorkFailed as error:  # the model's errors (ModelError) are WorkFailed
            return InfraError.from_exception(error)
        spent.steps += 1
        spent.cost_usd += turn.cost_usd
        self.last_call_usd = turn.cost_usd
        _describe_turn(record, turn, time.monotonic() - asked)
        self.drafts.note_text(turn.text, record.step)
        content = storable(turn)
        messages.append({"role": "assistant", "content": content})
        results: list[dict[str, Any]] = []
        outcome: Outcome | None = None
        try:
            for block in (block for block in content if block.get("type") == "tool_use"):
                call, result = self.toolbox.call(block)
                record.tool_calls.append(call)
                results.append(result)
                if call.name == "submit" and isinstance(call.input, dict):
                    self.drafts.note_submission(call.input.get("answers"), record.step)
                if call.submitted is not None:
                    outcome = Submitted(answers=call.submitted)
                    break
        except WorkFailed as error:  # the sandbox cannot run commands any more
            outcome = InfraError.from_exception(error)
        record.format_error = _format_problem(turn, record.tool_calls)
        spent.format_errors = spent.format_errors + 1 if record.format_error else 0
        spent.last_format_error = record.format_error or spent.last_format_error
        messages.append({"role": "user", "content": results or user_text(_nudge(turn))["content"]})
        self.trajectory.drafts = {q: d.model_dump(mode="json") for q, d in self.drafts.answers.items()}
        self.trajectory.add_step(record, spent)
        return outcome

    def ask(
        self, system: str, messages: list[dict[str, Any]], tools: list[dict[str, Any]], record: StepRecord
    ) -> AssistantTurn:
        """The model's reply to the history as `memory` shows it; on a context-length error the history is
        compacted (more of it masked) and asked again, until there is nothing more to mask."""
        while True:
            record.masked_turns = self.memory.masked_turns(messages)
            try:
                return self.model.query(system, self.memory.view(messages), tools, record.tool_choice)
            except ModelContextTooLong:
                smaller = self.memory.compacted()
                while smaller is not None and smaller.masked_turns(messages) <= record.masked_turns:
                    smaller = smaller.compacted()
                if smaller is None:
                    raise
                self.memory = smaller
                record.compactions += 1


def storable(turn: AssistantTurn) -> list[dict[str, Any]]:
    """The reply as it can be sent back: empty text blocks dropped (the API refuses them), a cut reply's
    tool calls dropped (their input may be incomplete), and never an empty content list."""
    content = [
        block
        for block in turn.content
        if not (block.get("type") == "text" and not str(block.get("text", "")).strip())
    ]
    if turn.stop_reason == "max_tokens":
        content = [block for block in content if block.get("type") != "tool_use"]
    return content or [{"type": "text", "text": EMPTY_REPLY}]


def _add_note(message: dict[str, Any], note: str) -> None:
    """`note` at the end of a user message: inside its last tool result when it has one (text right after
    tool results teaches the model to stop and wait for the user), else as a text block."""
    content = message["content"]
    if isinstance(content, str):
        message["content"] = content = [{"type": "text", "text": content}]
    results = [block for block in content if block.get("type") == "tool_result"]
    if not results:
        content.append({"type": "text", "text": note})
        return
    inner = results[-1].get("content") or []
    inner = [{"type": "text", "text": inner}] if isinstance(inner, str) else inner
    results[-1]["content"] = [*inner, {"type": "text", "text": note}]


def _nudge(turn: AssistantTurn) -> str:
    if turn.stop_reason == "max_tokens":
        return CUT_REPLY
    return EMPTY_REPLY_NUDGE if storable(turn) == [{"type": "text", "text": EMPTY_REPLY}] else NO_TOOL_CALL


def _describe_turn(record: StepRecord, turn: AssistantTurn, seconds: float) -> None:
    record.model, record.stop_reason, record.text = turn.model, turn.stop_reason, turn.text
    record.usage, record.cost_usd, record.response = turn.usage, turn.cost_usd, turn.raw
    record.model_seconds = round(seconds, 3)


def _format_problem(turn: AssistantTurn, calls: list[ToolCall]) -> str | None:
    if turn.stop_reason == "max_tokens":
        return "reply cut at max_tokens"
    if not turn.tool_uses:
        return f"no tool call (stop reason: {turn.stop_reason})"
    malformed = [call for call in calls if call.malformed]
    return f"{malformed[0].name}: {malformed[0].output}" if malformed else None
