"""`submit`: the final answers, one per question, keyed by the questions' exact text. Ends the run.

Keys and value shapes are enforced; the values themselves are checked against what the code printed
(`checks.py`) and, the first time a check fails, the model is told and may revise once. The next
submission with the right keys is accepted as it is, as is any on the run's last turn.
"""

import difflib
import json
from typing import Any

from pydantic import Field

from reproducer.agent.tools.base import Tool, ToolContext, ToolError, ToolInput, ToolOutput
from reproducer.agent.tools.checks import ValueCheck, check_answers
from reproducer.errors import BadInput
from reproducer.harvest import Fact, read_facts
from reproducer.rundir.layout import RunDir

# An unexpected key this similar to an expected one is pointed out as its likely misspelling.
CLOSE_KEY_CUTOFF = 0.6

DESCRIPTION = """\
Submit the final answers and end the run. Call it once, when every question has an answer.

- `answers` is an object whose keys are exactly the task's questions, character for character (copy \
them from the list in the first message), and nothing else. A submission with a missing, extra or \
altered key is refused, with the expected keys listed, and you can submit again.
- Each value is a bare JSON number, a string, or a list of those; never an object or null. Numbers are \
JSON numbers (87.31, not "87.31" or "87.31%"), reported unrounded: every digit the output printed. \
Keep the scale the output printed (a percentage stays a percentage, a fraction a fraction) unless the \
question asks for another unit. Strings are the \
exact name or label asked for, without extra words.
- Answer from what the code produced in this run (or the capsule's results/ when the task says to use \
them), never from the paper's text or memory. If a value cannot be found, submit your best estimate \
for it: there is no partial credit for a missing key, and "N/A" or "unknown" is graded wrong.
- The values are checked against the values the run printed: a rounded number, a percentage given as a \
fraction (or the reverse), a giving-up string or a name where a number is asked for is pointed out once, \
and you may submit again; that second submission is final."""


class SubmitInput(ToolInput):
    answers: dict[str, Any] = Field(description="Question text (exactly as given) -> answer value.")


class Submit(Tool[SubmitInput]):
    name = "submit"
    description = DESCRIPTION
    Input = SubmitInput

    def __init__(self, context: ToolContext) -> None:
        super().__init__(context)
        # Whether a submission was already sent back for its values: the model revises once, no more.
        self.questioned = False

    def run(self, arguments: SubmitInput) -> ToolOutput:
        answers = arguments.answers
        expected = self.context.task.questions
        missing = [question for question in expected if question not in answers]
        unexpected = [key for key in answers if key not in expected]
        if missing or unexpected:
            raise ToolError(_key_problem(expected, missing, unexpected))
        bad = [f"{key!r}: {problem}" for key, value in answers.items() if (problem := value_problem(value))]
        if bad:
            raise ToolError("refused: some values are not bare numbers, strings or lists:\n" + "\n".join(bad))
        ordered = {question: answers[question] for question in expected}
        checks = check_answers(ordered, self._facts())
        details = {"checks": [check.model_dump(mode="json") for check in checks], "answers": ordered}
        if checks and not self.questioned and not self.context.final_turn:
            self.questioned = True
            return ToolOutput(text=_questioned(checks), is_error=True, details=details)
        text = f"accepted {len(ordered)} answers; the run ends now."
        return ToolOutput(text=text, submitted=ordered, details=details)

    def _facts(self) -> list[Fact]:
        path = RunDir(self.context.run_dir).facts
        try:
            facts = read_facts(path) if path.is_file() else []
        except BadInput:  # a damaged facts file costs the checks, not the submission
            return []
        # Imported here: the first message's module imports the tools.
        from reproducer.agent.context import agent_path

        run_dir, capsule_dir = self.context.run_dir, self.context.capsule_dir
        return [
            fact.model_copy(update={"file": agent_path(fact.file, run_dir, capsule_dir)}) for fact in facts
        ]


def _questioned(checks: list[ValueCheck]) -> str:
    lines = ["not accepted yet: check these answers against the outputs, then call submit again."]
    lines += [f"- {_quoted(check.question)}: {check.message}." for check in checks]
    lines.append("The next submission with every key is accepted as it is: resubmit a right value unchanged.")
    return "\n".join(lines)


def _key_problem(expected: list[str], missing: list[str], unexpected: list[str]) -> str:
    lines = ["refused: the keys of `answers` must be exactly the task's questions, and nothing else."]
    lines.append(f"expected keys ({len(expected)}): {json.dumps(expected, ensure_ascii=False)}")
    if missing:
        lines.append(f"missing ({len(missing)}): {json.dumps(missing, ensure_ascii=False)}")
    if unexpected:
        lines.append(f"unexpected ({len(unexpected)}): {json.dumps(unexpected, ensure_ascii=False)}")
        for key in unexpected:
            close = difflib.get_close_matches(key, missing or expected, n=1, cutoff=CLOSE_KEY_CUTOFF)
            if close:
                lines.append(f"  {_quoted(key)} looks like {_quoted(close[0])}")
    return "\n".join(lines)


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def value_problem(value: Any) -> str | None:
    """Why `value` is not a bare answer (number, string, or list of those), or None when it is one."""
    if value is None:
        return "null is not an answer; submit your best value"
    if isinstance(value, bool):
        return "true/false is not an answer; give a number or the string asked for"
    if isinstance(value, dict):
        return "an object is not an answer; give the value itself"
    if isinstance(value, list):
        inner = [problem for item in value if (problem := value_problem(item)) is not None]
        nested = any(isinstance(item, list) for item in value)
        return "a list may hold only numbers and strings" if inner or nested else None
    if isinstance(value, int | float | str):
        return None
    return f"a {type(value).__name__} is not an answer"
