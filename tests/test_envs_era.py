"""The interpreter of a capsule's date, among those a backend has."""

import datetime as dt

from reproducer.envs.era import minor_of_date, plan_of_its_time
from reproducer.envs.interpreters import usable_minors
from reproducer.plan.model import Decision, Evidence, Plan

PYENV = [(3, 6), (3, 7), (3, 8), (3, 9), (3, 10), (3, 11), (3, 12), (3, 13)]
IMAGES = [(3, 9), (3, 11)]


def _minor(date: dt.date, available: list[tuple[int, int]]) -> tuple[int, int] | None:
    found = minor_of_date(date, available)
    return found[0] if found else None


def test_the_newest_minor_released_before_the_date_else_the_oldest() -> None:
    assert minor_of_date(dt.date(2022, 6, 15), PYENV) == (
        (3, 10),
        "Python 3.10, the newest available released before 2022-06-15",
    )
    assert _minor(dt.date(2022, 10, 24), PYENV) == (3, 10), "3.11.0 came out that day"
    assert _minor(dt.date(2022, 6, 15), IMAGES) == (3, 9)
    oldest = minor_of_date(dt.date(2014, 1, 1), IMAGES)
    assert oldest == ((3, 9), "Python 3.9, the oldest available (none was released before 2014-01-01)")
    assert minor_of_date(dt.date(2022, 6, 15), [(4, 0)]) is None, "a release date we do not know"


def test_a_plan_keeps_the_python_it_states_and_gets_its_dates_otherwise() -> None:
    dated = Decision[dt.date](value=dt.date(2019, 3, 1), evidence=Evidence(file=".git"))
    plan = Plan(capsule="c", cutoff_date=dated)
    moved, why = plan_of_its_time(plan, usable_minors())
    assert moved.python_version is not None and moved.python_version.value == "3.7", "pyenv has 3.7 here"
    assert why == "Python 3.7, the newest available released before 2019-03-01"
    stated = plan.model_copy(
        update={"python_version": Decision(value="3.6", evidence=Evidence(file="README.md"))}
    )
    kept, why = plan_of_its_time(stated, PYENV)
    assert kept is stated and why == "Python 3.6 as the plan states (README.md)"
    undated, why = plan_of_its_time(Plan(capsule="c"), PYENV)
    assert undated.python_version is None and why == "the plan has no date"
