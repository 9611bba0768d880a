"""Draft answers: what the model said it would answer before it submitted, kept for any ending.

A run that ends at a limit, on format errors or on an API failure still has whatever the model last
tried to submit (the keys that were right, when the submission was refused) and any answers it stated
in its text as a JSON object keyed by the questions. The latest draft for a question wins.
"""

import json
from typing import Any, Literal

from pydantic import BaseModel

from reproducer.agent.tools.submit import value_problem

DraftSource = Literal["submit_attempt", "text"]


class Draft(BaseModel):
    """One question's draft answer, where it came from and at which step."""

    value: Any
    source: DraftSource
    step: int


class Drafts:
    """The drafts of one run, by question."""

    def __init__(self, questions: list[str]) -> None:
        self.questions = questions
        self._by_key = {_normal(question): question for question in questions}
        self.answers: dict[str, Draft] = {}

    def note_submission(self, answers: object, step: int) -> None:
        """A submit call's `answers`, accepted or not: every value keyed by a question is kept."""
        if isinstance(answers, dict):
            self._keep(answers, "submit_attempt", step)

    def note_text(self, text: str, step: int) -> None:
        """Answers written in the model's text as a JSON object whose keys are questions."""
        for found in _json_objects(text):
            self._keep(found, "text", step)

    def _keep(self, answers: dict[str, Any], source: DraftSource, step: int) -> None:
        for key, value in answers.items():
            question = self._by_key.get(_normal(str(key)))
            if question is not None and value_problem(value) is None:
                self.answers[question] = Draft(value=value, source=source, step=step)


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def _json_objects(text: str) -> list[dict[str, Any]]:
    """Every JSON object in `text` (e.g. in a ```json fence), outermost ones only."""
    decoder = json.JSONDecoder()
    found: list[dict[str, Any]] = []
    position = text.find("{")
    while position != -1:
        try:
            value, end = decoder.raw_decode(text, position)
        except ValueError:
            position = text.find("{", position + 1)
            continue
        if isinstance(value, dict):
            found.append(value)
        position = text.find("{", end)
    return found
