"""Questions on what real pandas, statsmodels and R code prints (tests/fixtures/printed/, made by the
scripts in its sources/ folder): the harvest reads the printouts, the offline answerer picks the value."""

from pathlib import Path
from typing import Any

import pytest
import yaml

from reproducer.answer import answer_questions
from reproducer.harvest import harvest
from reproducer.tasks.model import Task

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "printed"
QUESTIONS: dict[str, list[dict[str, Any]]] = yaml.safe_load((FIXTURES / "questions.yaml").read_text())
CASES = [(case, item) for case, items in QUESTIONS.items() for item in items]


def expected(item: dict[str, Any]) -> list[object]:
    return list(item["any_of"]) if "any_of" in item else [item["answer"]]


@pytest.mark.parametrize(("case", "item"), CASES, ids=[f"{case}: {item['q']}" for case, item in CASES])
def test_printed_output_answers(case: str, item: dict[str, Any]) -> None:
    folder = FIXTURES / case
    found = harvest(folder)
    task = Task(capsule_id="capsule-0000001", task_prompt="Answer.", questions=[item["q"]])
    [choice] = answer_questions(task, found.facts)
    assert choice.value in expected(item), choice.reason
    # Exactly as printed: a number keeps its type (an integer count is not 54.0).
    assert type(choice.value) is type(expected(item)[0]), choice.reason
