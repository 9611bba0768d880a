"""The issue's edge cases, each checked in both modes: the verdict, whether it was graded, and the reason."""

import math
from dataclasses import dataclass
from typing import Any

import pytest

from reproducer.grading import grade
from reproducer.rundir.verdict import Mode
from reproducer.tasks.model import Task

ACCURACY = "Report the test accuracy, as a percentage."
SCORE = "Report the F1 score."
AUC = "Report the AUC of the final model."
EXACT = "Report the mean absolute error."
RATIO = "Report the share of positive samples."
OPTIMIZER = "Report the name of the optimizer."
CODE = "Report the code of the winning configuration."
RANKING = "Report the three best classes, best first."
AXIS = "fig Report the y-axis label of the loss plot."

# Three runs; accuracy and F1 vary between them, the others agree exactly.
VARYING = {ACCURACY: (17.21, 17.37, 17.52), SCORE: (0.49, 0.5, 0.51)}
STEADY: dict[str, Any] = {
    AUC: 0.998,
    EXACT: 0.6213,
    RATIO: 1.0,
    OPTIMIZER: "Adam",
    CODE: "1",
    RANKING: ["cat", "dog", "bird"],
    AXIS: "Loss",
}
RUNS = [{**{q: values[i] for q, values in VARYING.items()}, **STEADY} for i in range(3)]
QUESTIONS = list(RUNS[0])


@dataclass(frozen=True)
class Expect:
    correct: bool
    graded: bool
    mention: str  # a phrase the reason must contain


def right(mention: str) -> Expect:
    return Expect(True, True, mention)


def wrong(mention: str) -> Expect:
    return Expect(False, True, mention)


def ungraded(mention: str) -> Expect:
    return Expect(False, False, mention)


@dataclass(frozen=True)
class Case:
    name: str
    report: Any
    question: str  # the question whose verdict is checked
    official: Expect
    robust: Expect
    runs: tuple[dict[str, Any], ...] = tuple(RUNS)


NAN = float("nan")
CASES = [
    Case("percent string", {ACCURACY: "17.37%"}, ACCURACY, right("read as 17.37"), right("read as 17.37")),
    Case("number as text with spaces", {SCORE: " 0.5 "}, SCORE, right("read as 0.5"), right("read as 0.5")),
    Case("rounded, zero variance", {EXACT: 0.62}, EXACT, wrong("agree exactly"), wrong("agree exactly")),
    Case("exact, zero variance", {EXACT: 0.6213}, EXACT, right("agree exactly"), right("agree exactly")),
    Case("fraction for a percentage", {ACCURACY: 0.1737}, ACCURACY, wrong("×100"), wrong("×100")),
    Case("percentage for a fraction", {SCORE: 50}, SCORE, wrong("÷100"), wrong("÷100")),
    Case("decimal comma", {AUC: "0,998"}, AUC, wrong("raised"), wrong("decimal comma")),
    Case(
        "true for 1.0",
        {RATIO: True},
        RATIO,
        right("true/false counts as"),
        wrong("true/false is not a number"),
    ),
    Case("case difference", {OPTIMIZER: "ADAM"}, OPTIMIZER, right("lowercased: equal"), right("equal")),
    Case(
        "trailing space in a text",
        {AXIS: "loss "},
        AXIS,
        wrong("differ only in surrounding whitespace"),
        right("surrounding whitespace stripped: equal"),
    ),
    Case(
        "leading space in a text",
        {OPTIMIZER: " Adam"},
        OPTIMIZER,
        wrong("differ only in surrounding whitespace"),
        right("surrounding whitespace stripped: equal"),
    ),
    Case(
        "text truth '1' answered '1'",
        {CODE: "1"},
        CODE,
        wrong("turned the text '1' into the number 1.0"),
        right("'1' vs expected '1'"),
    ),
    Case("list in order", {RANKING: ["cat", "dog", "bird"]}, RANKING, right("equal"), right("equal")),
    Case(
        "reordered list",
        {RANKING: ["dog", "cat", "bird"]},
        RANKING,
        wrong("another order"),
        wrong("another order"),
    ),
    Case("text for a list", {RANKING: "cat, dog, bird"}, RANKING, wrong("different"), wrong("is not a list")),
    Case(
        "key without its trailing period",
        {ACCURACY.rstrip("."): 17.37},
        ACCURACY,
        ungraded("trailing period"),
        ungraded("trailing period"),
    ),
    Case(
        "key with a trailing space",
        {OPTIMIZER + " ": "Adam"},
        OPTIMIZER,
        ungraded("missing from the report; the report has a key"),
        ungraded("missing from the report; the report has a key"),
    ),
    Case("extra keys", {"notes": "ran twice", SCORE: 0.5}, SCORE, right("inside"), right("inside")),
    Case("missing key", {SCORE: 0.5}, ACCURACY, ungraded("missing"), ungraded("missing")),
    Case(
        "empty report",
        {},
        OPTIMIZER,
        ungraded("missing from the report"),
        ungraded("missing from the report"),
    ),
    Case("report is a list", [], SCORE, ungraded("not a JSON object"), ungraded("not a JSON object")),
    Case("report is a text", "x", SCORE, ungraded("not a JSON object"), ungraded("not a JSON object")),
    Case("report is null", None, SCORE, ungraded("not a JSON object"), ungraded("not a JSON object")),
    Case("report is a number", 3, SCORE, ungraded("not a JSON object"), ungraded("not a JSON object")),
    Case(
        "single-run truth, exact answer",
        {ACCURACY: 17.37},
        ACCURACY,
        wrong("single ground-truth run"),
        right("single ground-truth run"),
        runs=({ACCURACY: 17.37},),
    ),
    Case(
        "single-run truth, other answer",
        {ACCURACY: 17.4},
        ACCURACY,
        wrong("single ground-truth run"),
        wrong("differs from the single ground-truth run"),
        runs=({ACCURACY: 17.37},),
    ),
    Case(
        "'N/A' before a correct key",
        {ACCURACY: "N/A", OPTIMIZER: "Adam"},
        OPTIMIZER,
        ungraded("stopped at the exception on 'Report the test accuracy"),
        right("equal"),
    ),
    Case("the 'N/A' key itself", {ACCURACY: "N/A"}, ACCURACY, wrong("raised"), wrong("cannot be read")),
    Case(
        "'N/A' after a correct key",
        {OPTIMIZER: "Adam", ACCURACY: "N/A"},
        OPTIMIZER,
        right("equal"),
        right("equal"),
    ),
    Case(
        "null on a numeric key",
        {SCORE: None, OPTIMIZER: "Adam"},
        OPTIMIZER,
        ungraded("stopped"),
        right("equal"),
    ),
    Case(
        "one-element list on a numeric key",
        {ACCURACY: [17.37]},
        ACCURACY,
        right("one-element list"),
        wrong("a list is not a number"),
    ),
    Case(
        "two-element list on a numeric key",
        {ACCURACY: [17.37, 17.4], SCORE: 0.5},
        SCORE,
        ungraded("ambiguous"),
        right("inside"),
    ),
    Case("NaN answer", {ACCURACY: NAN}, ACCURACY, wrong("NaN"), wrong("NaN")),
    Case("'nan' as text", {ACCURACY: "nan"}, ACCURACY, wrong("NaN"), wrong("NaN")),
    Case("infinite answer", {ACCURACY: math.inf}, ACCURACY, wrong("inf is outside"), wrong("inf is outside")),
    Case("'-inf' as text", {ACCURACY: "-inf"}, ACCURACY, wrong("outside"), wrong("outside")),
]


def _record(runs: tuple[dict[str, Any], ...]) -> dict[str, Any]:
    return {"capsule_id": "capsule-edge", "task_prompt": "Run main.py.", "results": list(runs)}


@pytest.mark.parametrize("mode", ["official", "robust"])
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_edge_case(case: Case, mode: Mode) -> None:
    task = Task(**_record(case.runs))
    result = grade(task, case.report, mode)
    verdict = next(verdict for verdict in result.verdicts if verdict.question == case.question)
    expected = case.official if mode == "official" else case.robust
    assert (verdict.correct, verdict.graded) == (expected.correct, expected.graded), verdict.reason
    assert expected.mention in verdict.reason
    assert [v.question for v in result.verdicts] == task.questions


@pytest.mark.parametrize("mode", ["official", "robust"])
def test_a_report_that_is_not_an_object_fails_as_a_whole(mode: Mode) -> None:
    result = grade(Task(**_record(tuple(RUNS))), ["not", "a", "mapping"], mode)
    assert result.error is not None
    assert (result.correct_written, result.correct_vision, result.correct) == (0, 0, False)
    # CORE-Bench's rule is a substring test: "configuration" contains "fig", so CODE counts as vision.
    assert (result.total_written, result.total_vision) == (len(QUESTIONS) - 2, 2)


def test_official_counts_stop_at_the_first_exception_in_report_order() -> None:
    task = Task(**_record(tuple(RUNS)))
    first_bad = grade(task, {ACCURACY: "N/A", SCORE: 0.5, AXIS: "Loss"})
    last_bad = grade(task, {SCORE: 0.5, AXIS: "Loss", ACCURACY: "N/A"})
    assert (first_bad.correct_written, first_bad.correct_vision) == (0, 0)
    assert (last_bad.correct_written, last_bad.correct_vision) == (1, 1)
    robust = grade(task, {ACCURACY: "N/A", SCORE: 0.5, AXIS: "Loss"}, "robust")
    assert (robust.correct_written, robust.correct_vision) == (1, 1)


def test_official_grades_the_callers_report_without_changing_it() -> None:
    report = {ACCURACY: "17.37%", CODE: "1"}
    result = grade(Task(**_record(tuple(RUNS))), report)
    assert report == {ACCURACY: "17.37%", CODE: "1"}
    answers = {verdict.question: verdict.answer for verdict in result.verdicts if verdict.answered}
    assert answers == report


def test_a_task_whose_truth_is_only_partly_numeric_fails_in_official_mode_only() -> None:
    runs = ({SCORE: 0.5, OPTIMIZER: "Adam"}, {SCORE: "0.5", OPTIMIZER: "Adam"})
    task = Task(**_record(runs))
    official = grade(task, {SCORE: 0.5, OPTIMIZER: "Adam"})
    assert official.error is not None and "ground truth" in official.error
    assert official.correct_written == 0
    robust = grade(task, {SCORE: 0.5, OPTIMIZER: "Adam"}, "robust")
    by_question = {verdict.question: verdict for verdict in robust.verdicts}
    assert not by_question[SCORE].graded and "not all numbers" in by_question[SCORE].reason
    assert by_question[OPTIMIZER].correct
