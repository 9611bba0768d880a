"""Property tests: grading never raises, whatever JSON value stands for an answer or for the whole report."""

import pickle
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from reproducer.grading import grade
from reproducer.rundir.verdict import Mode
from reproducer.tasks.model import Task

NUMBER = "Report the accuracy."
TEXT = "Report the optimizer."
LIST = "Report the ranking."
VISION = "fig Report the y-axis label."
RUNS = [
    {NUMBER: 0.91, TEXT: "Adam", LIST: [1, 2], VISION: "Loss"},
    {NUMBER: 0.93, TEXT: "Adam", LIST: [1, 2], VISION: "Loss"},
    {NUMBER: 0.92, TEXT: "Adam", LIST: [1, 2], VISION: "Loss"},
]
TASKS = [
    Task(capsule_id="capsule-three-runs", task_prompt="Run it.", results=RUNS),
    Task(capsule_id="capsule-one-run", task_prompt="Run it.", results=RUNS[:1]),
]
MODES: tuple[Mode, ...] = ("official", "robust")
EXAMPLES = 150

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["0.92", "92%", " 0.92 ", "%", "N/A", "nan", "-inf", "0,92", "adam ", "1e400"]),
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
QUESTION_KEYS = st.sampled_from([NUMBER, TEXT, LIST, VISION, NUMBER.rstrip("."), "notes"])
REPORTS = st.one_of(JSON_VALUES, st.dictionaries(QUESTION_KEYS, JSON_VALUES, max_size=6))


def _check(task: Task, report: Any, mode: Mode) -> None:
    before = pickle.dumps(report)  # not repr: NaN and huge integers must compare too
    result = grade(task, report, mode)
    assert [verdict.question for verdict in result.verdicts] == task.questions
    assert result.correct == all(verdict.correct for verdict in result.verdicts)
    assert all(verdict.reason for verdict in result.verdicts)
    assert pickle.dumps(report) == before  # the caller's report is never changed
    assert result.model_dump_json().startswith("{")  # always serialisable


@settings(max_examples=EXAMPLES, deadline=None)
@given(answers=st.fixed_dictionaries({}, optional={q: JSON_VALUES for q in RUNS[0]}))
def test_any_json_value_as_an_answer_is_graded(answers: dict[str, Any]) -> None:
    for task in TASKS:
        for mode in MODES:
            _check(task, answers, mode)


@settings(max_examples=EXAMPLES, deadline=None)
@given(report=REPORTS)
def test_any_json_value_as_the_report_is_graded(report: Any) -> None:
    for task in TASKS:
        for mode in MODES:
            _check(task, report, mode)


@settings(max_examples=EXAMPLES, deadline=None)
@given(answer=st.floats(allow_nan=False, allow_infinity=False))
def test_both_modes_agree_on_a_plain_number(answer: float) -> None:
    task = TASKS[0]
    official, robust = (grade(task, {NUMBER: answer}, mode).verdicts[0] for mode in MODES)
    assert official.correct == robust.correct
    assert (official.lower, official.upper) == (robust.lower, robust.upper)
    assert official.lower is not None and official.upper is not None
    assert official.correct == (official.lower <= answer <= official.upper)


def test_an_integer_too_long_to_print_is_graded() -> None:
    huge = 10**5000  # past Python's 4300-digit limit for int -> str
    for task in TASKS:
        for mode in MODES:
            _check(task, {NUMBER: huge, TEXT: huge, LIST: [huge], VISION: huge}, mode)
            _check(task, huge, mode)
