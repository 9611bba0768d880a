"""Questions on what real pandas, statsmodels and R code prints (tests/fixtures/printed/ and, written after
the answerer's rules, printed_heldout/; each folder's sources/ made its printouts): the harvest reads the
printouts, the offline answerer picks the value."""

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from reproducer.answer import answer_questions
from reproducer.harvest import harvest
from reproducer.harvest.limits import HarvestLimits
from reproducer.harvest.notebook import notebook_facts
from reproducer.harvest.text import TRACEBACK, text_facts
from reproducer.tasks.model import Task

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CASES = [
    (folder / case, item)
    for folder in (FIXTURES / "printed", FIXTURES / "printed_heldout")
    for case, items in yaml.safe_load((folder / "questions.yaml").read_text()).items()
    for item in items
]


def expected(item: dict[str, Any]) -> list[object]:
    return list(item["any_of"]) if "any_of" in item else [item["answer"]]


def answer(question: str, facts: list[Any]) -> Any:
    task = Task(capsule_id="capsule-0000001", task_prompt="t", questions=[question])
    [choice] = answer_questions(task, facts)
    return choice


IDS = [f"{folder.parent.name}/{folder.name}: {item['q']}" for folder, item in CASES]


@pytest.mark.parametrize(("folder", "item"), CASES, ids=IDS)
def test_printed_output_answers(folder: Path, item: dict[str, Any]) -> None:
    choice = answer(item["q"], harvest(folder).facts)
    if item.get("known_miss"):
        assert choice.value is None, f"a question we cannot answer got {choice.value!r}: {choice.reason}"
        return
    if item.get("known_wrong"):  # a documented limitation: fails loudly once it is fixed
        assert choice.value not in expected(item), "now right: drop known_wrong from questions.yaml"
        return
    assert choice.value in expected(item), choice.reason
    # Exactly as printed: a number keeps its type (an integer count is not 54.0).
    assert type(choice.value) is type(expected(item)[0]), choice.reason


def log(text: str, file: str = "results/out.log") -> list[Any]:
    return text_facts(text, file=file, limits=HarvestLimits())


def test_the_word_that_tells_two_labels_apart_decides() -> None:
    facts = log("Peak infected: 3121.1\nPeak day: 54\n")
    assert answer("Report the day on which the number of infected peaks.", facts).value == 54
    assert answer("Report the peak number of infected.", facts).value == 3121.1


def test_a_traceback_answers_only_when_nothing_else_does_and_says_so() -> None:
    traceback = (
        'Traceback (most recent call last):\n  File "/code/fit.py", line 12, in <module>\n'
        "    fit(records=500)\nValueError: 500 records is too few\n"
    )
    facts = log(traceback, file="logs/run.err")
    assert {fact.caveat for fact in facts} == {TRACEBACK}
    assert answer("Report the number of records.", log("Records: 812\n") + facts).value == 812
    lone = answer("Report the line.", facts)
    assert lone.value == 12 and "traceback" in lone.reason


def test_numbers_inside_labels_are_not_values() -> None:
    facts = log("=== Model 2 ===\nR-squared: 0.41\nTop 10 features by importance:\n95% CI: [0.12, 0.40]\n")
    assert sorted(fact.raw for fact in facts) == ["0.12", "0.40", "0.41"]
    [r2] = [fact for fact in facts if fact.raw == "0.41"]
    assert (r2.label, r2.section) == ("R-squared", "Model 2")
    assert {fact.label for fact in facts if fact.raw != "0.41"} == {"95% CI lower", "95% CI upper"}


def test_session_and_greek_names_match_their_spellings() -> None:
    facts = log("rt_s1: 512.3\nrt_s2: 478.9\nβ = 0.3, γ = 0.1\n")
    assert answer("Report the mean reaction time in session 2.", facts).value == 478.9
    assert answer("Report gamma.", facts).value == 0.1


def test_a_notebook_names_a_printed_list_with_the_names_its_code_assigned() -> None:
    cell = {
        "cell_type": "code",
        "source": ['names = ["intercept", "age", "dose"]\n', "coef = fit(X, y)\n", 'print("coef:", coef)\n'],
        "outputs": [
            {"output_type": "stream", "name": "stdout", "text": ["coef: [ 0.8123 -0.0412  1.337 ]\n"]}
        ],
    }
    notebook = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    facts = notebook_facts(json.dumps(notebook), file="analysis.ipynb", limits=HarvestLimits())
    assert answer("Report the coefficient of age.", facts).value == -0.0412
    assert {fact.label: fact.location for fact in facts}["coef, dose"] == "cell 1, output 1, line 1"


def test_r_matrix_cells_are_named_by_row_and_column() -> None:
    facts = log(
        "Loadings matrix:\n       [,1]   [,2]   [,3]\n[1,] -0.897  1.588 -0.080\n[2,]  0.185 -1.130  0.132\n"
    )
    assert answer("Report the loading in row 2, column 3 of the matrix.", facts).value == 0.132


def test_a_number_hyphenated_to_a_word_is_no_row_number() -> None:
    from reproducer.answer.tokens import tokens

    # `5-minute` is one compound word on both sides; a date or a range keeps its numbers.
    assert tokens("the 5-minute interval") == ("5minute", "interval")
    assert tokens("5-minute interval, 10-fold CV") == tokens("5-Minute Interval, 10-fold cv")
    assert tokens("quarter 2014-09") == ("quarter", "2014", "09")
    # R 4.2's print() of a data frame: with "5" in the question, row 5 matched it.
    printed = (
        "  interval steps\n1        0   1.7\n2        5   0.3\n3       10   0.1\n4       15   0.2\n"
        "5       20   0.1\n6       25   2.1\n7       30   0.5\n"
    )
    choice = answer("Report the steps of the 5-minute interval.", log(printed))
    assert choice.value is None or choice.fact is None or choice.fact.row != "5", choice.reason
