"""The questions of a new task: a YAML/JSON list of question texts, an existing task file, or the
`comparison.json` of a run without questions (one question per number that reproduced)."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reproducer.compare.questions import comparison_questions, is_comparison
from reproducer.errors import BadInput
from reproducer.tasks.documents import parse_document
from reproducer.tasks.load import load_task
from reproducer.tasks.model import Task


@dataclass(frozen=True)
class QuestionSource:
    """The questions in order; `task` is the task file they came from, whose metadata are defaults."""

    questions: list[str]
    task: Task | None = None


def read_questions(path: Path, capsule_id: str | None = None) -> QuestionSource:
    """Read `path`: a list of question strings, or a task file (`capsule_id` picks one of several)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise BadInput(f"{path}: cannot read the questions file ({error.strerror or error})") from None
    document = parse_document(data, path, str(path))
    if isinstance(document, list) and all(isinstance(item, str) for item in document):
        return QuestionSource(_checked(document, path))
    if is_comparison(document):
        return QuestionSource(comparison_questions(document, path))
    if isinstance(document, list) and any(isinstance(item, str) for item in document):
        raise BadInput(f"{path}: a list of questions must hold only strings (question texts)")
    task = load_task(path, capsule_id)
    return QuestionSource(list(task.questions), task)


def _checked(questions: list[Any], path: Path) -> list[str]:
    if not questions:
        raise BadInput(f"{path}: the list of questions is empty")
    seen: set[str] = set()
    for number, question in enumerate(questions, start=1):
        if not question.strip():
            raise BadInput(f"{path}: question {number} is empty")
        if question in seen:
            raise BadInput(f"{path}: question {number} is asked twice: {question!r}")
        seen.add(question)
    return list(questions)
