"""Questions for a benchmark task from a comparison: one per number that reproduced, named by its file
and label, so `reproducer truth` can record its ground truth over several runs."""

from collections import Counter
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from reproducer.compare.model import Comparison
from reproducer.errors import BadInput

REPRODUCED = frozenset({"exact", "within_tolerance", "within_loose"})


def is_comparison(document: Any) -> bool:
    return isinstance(document, dict) and "numbers_compared" in document and "numbers" in document


def question(file: str, label: str) -> str:
    return f"From {file}, report the value of {label}."


def comparison_questions(document: Any, path: Path) -> list[str]:
    """A question for each number that reproduced and whose label is unique in its file (a label seen
    twice would make a question with two answers); raises BadInput when none is left."""
    try:
        comparison = Comparison.model_validate(document)
    except ValidationError as error:
        raise BadInput(f"{path}: not a comparison.json ({error.errors()[0]['msg']})") from None
    labels = Counter((number.file, number.label) for number in comparison.numbers)
    questions = [
        question(number.file, number.label)
        for number in comparison.numbers
        if number.verdict in REPRODUCED and number.label and labels[number.file, number.label] == 1
    ]
    if not questions:
        raise BadInput(f"{path}: no number of this comparison reproduced under a label of its own")
    return questions
