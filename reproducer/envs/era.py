"""The interpreter of a date: the newest CPython minor released before it, among those a backend has.

Code last changed in mid-2022 ran on Python 3.10 at the newest; today's 3.13 may lack what it used
(`collections.Mapping`, `imp`) and the wheels of the packages of that date.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace

from reproducer.envs.ladder import RunTimeRung
from reproducer.plan.model import Decision, Evidence, Plan

Minor = tuple[int, int]

# The first release (x.y.0) of each CPython minor, from python.org's release list.
CPYTHON_RELEASES: dict[Minor, dt.date] = {
    (2, 7): dt.date(2010, 7, 3),
    (3, 5): dt.date(2015, 9, 13),
    (3, 6): dt.date(2016, 12, 23),
    (3, 7): dt.date(2018, 6, 27),
    (3, 8): dt.date(2019, 10, 14),
    (3, 9): dt.date(2020, 10, 5),
    (3, 10): dt.date(2021, 10, 4),
    (3, 11): dt.date(2022, 10, 24),
    (3, 12): dt.date(2023, 10, 2),
    (3, 13): dt.date(2024, 10, 7),
    (3, 14): dt.date(2025, 10, 7),
}


def minor_of_date(date: dt.date, available: Iterable[Minor]) -> tuple[Minor, str] | None:
    """The newest of `available` released before `date` (else the oldest one), and why; None if none."""
    known = sorted(minor for minor in set(available) if minor in CPYTHON_RELEASES)
    if not known:
        return None
    before = [minor for minor in known if CPYTHON_RELEASES[minor] < date]
    if before:
        minor = before[-1]
        return minor, f"Python {_text(minor)}, the newest available released before {date}"
    minor = known[0]
    return minor, f"Python {_text(minor)}, the oldest available (none was released before {date})"


def plan_of_its_time(plan: Plan, available: Iterable[Minor]) -> tuple[Plan, str]:
    """`plan` on the interpreter of its cutoff date, unless it names its own version; and why.

    A version the capsule states (README, runtime.txt) is better evidence than a date, so it stays.
    """
    if plan.python_version is not None:
        stated = plan.python_version
        return plan, f"Python {stated.value} as the plan states ({stated.evidence})"
    if plan.cutoff_date is None:
        return plan, "the plan has no date"
    found = minor_of_date(plan.cutoff_date.value, available)
    if found is None:
        return plan, "no interpreter of a known release date is available"
    minor, why = found
    evidence = Evidence(file=str(plan.cutoff_date.evidence), text=why)
    dated = plan.model_copy(update={"python_version": Decision(value=_text(minor), evidence=evidence)})
    return dated, why


def _text(minor: Minor) -> str:
    return f"{minor[0]}.{minor[1]}"


def for_run_time(plan: Plan, rung: RunTimeRung, available: Iterable[Minor]) -> tuple[Plan, RunTimeRung]:
    """The plan and rung of a run-time climb on a backend with the interpreters `available`: the plan on
    the interpreter of its date, the rung's reason saying which."""
    if rung.python is not None:
        why = f"Python {rung.python}, the interpreter the failure calls for"
        evidence = Evidence(file="run-time rung", text=why)
        stated = plan.model_copy(update={"python_version": Decision(value=rung.python, evidence=evidence)})
        return stated, replace(rung, reason=f"{rung.reason}; {why}")
    dated, why = plan_of_its_time(plan, available)
    return dated, replace(rung, reason=f"{rung.reason}; {why}")
