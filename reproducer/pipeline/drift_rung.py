"""Whether the entry points' failure calls for the run-time rung (see reproducer.envs.ladder): the first
entry point that failed did so with drift (reproducer.envs.drift), and the capsule has a date to go back
to. Without a date it says so, in ladder.json too, and nothing is climbed."""

import re
from collections.abc import Callable
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from reproducer.envs.drift import classify_failure
from reproducer.envs.ladder import RUN_TIME_RUNG, RunTimeRung
from reproducer.envs.model import Rung
from reproducer.envs.python2 import PYTHON2_END, PYTHON2_KEY, python3_only
from reproducer.jsonio import write_json_atomic
from reproducer.plan.model import Plan
from reproducer.plan.parse.modules import own_modules
from reproducer.rundir.layout import RunDir
from reproducer.sandbox.base import ExecResult

_RUNGS = TypeAdapter(list[Rung])
_DEFINITION = re.compile(r"^\s*(?:async\s+)?(?:def|class)\s+(\w+)", re.MULTILINE)
MAX_SCANNED_BYTES = 2_000_000


def run_time_rung(
    plan: Plan, results: list[ExecResult], capsule_dir: Path, run_dir: Path, say: Callable[[str], None]
) -> RunTimeRung | None:
    """The rung to climb when the first failed entry point failed with drift, else None."""
    # The entries ran in the plan's order; those not run (the time was spent) have no result.
    ran = enumerate(zip(plan.entry_points, results, strict=False), start=1)
    failed = next(((index, entry, result) for index, (entry, result) in ran if not result.ok), None)
    if failed is None or failed[2].status != "error":  # a time-out or a kill is no version's fault
        return None
    index, entry, result = failed
    drift = classify_failure(result.stderr, *_own_code(capsule_dir))
    if drift is None:
        return None
    why = f"entry point {index} ({entry.command}) failed with run-time drift: {drift.describe()}"
    ladder = RunDir(run_dir).ladder
    earlier = _read(ladder)
    if plan.cutoff_date is None:
        _not_climbed(ladder, earlier, why, "the capsule has no date", say)
        return None
    if drift.kind == "python2":
        return _python2_rung(plan, why, ladder, earlier, say, capsule_dir)
    capped = any(rung.outcome == "ok" and "--exclude-newer" in rung.uv_flags for rung in earlier)
    if capped and plan.python_version is not None:
        # The same packages on the same interpreter would fail the same way.
        _not_climbed(ladder, earlier, why, "the environment already has the packages of its date", say)
        return None
    say(f"{why}; rebuilding with the dependencies of {plan.cutoff_date.value} and running again")
    return RunTimeRung(why, earlier)


def _python2_rung(
    plan: Plan, why: str, ladder: Path, earlier: list[Rung], say: Callable[[str], None], capsule_dir: Path
) -> RunTimeRung | None:
    """Python 2.7 with the packages of the capsule's date, for code of Python 2's time (its date before
    Python 2's end of life) that Python 3 runs into an error Python 2 did not raise."""
    assert plan.cutoff_date is not None
    if any(rung.outcome == "ok" and (rung.key or "").startswith(PYTHON2_KEY) for rung in earlier):
        _not_climbed(ladder, earlier, why, "the environment already is Python 2.7", say)
        return None
    if plan.cutoff_date.value >= PYTHON2_END:
        _not_climbed(ladder, earlier, why, f"the capsule's date is after Python 2's end ({PYTHON2_END})", say)
        return None
    files = sorted(path for path in capsule_dir.rglob("*.py") if path.is_file() and not path.is_symlink())
    if (modern := python3_only(files)) is not None:
        where = modern.removeprefix(f"{capsule_dir}/")
        _not_climbed(ladder, earlier, why, f"the code has Python 3 syntax ({where})", say)
        return None
    say(
        f"{why}; rebuilding on Python 2.7 with the dependencies of {plan.cutoff_date.value} and running again"
    )
    return RunTimeRung(why, earlier, python="2.7")


def _own_code(capsule_dir: Path) -> tuple[frozenset[str], set[str]]:
    """The capsule's own module names, and the functions and classes its Python files define."""
    files = [path for path in capsule_dir.rglob("*.py") if path.is_file() and not path.is_symlink()]
    modules = own_modules([path.relative_to(capsule_dir).as_posix() for path in files], "")
    names: set[str] = set()
    for path in files:
        if path.stat().st_size <= MAX_SCANNED_BYTES:
            names.update(_DEFINITION.findall(path.read_text(encoding="utf-8", errors="replace")))
    return modules, names


def _not_climbed(
    ladder: Path, earlier: list[Rung], why: str, because: str, say: Callable[[str], None]
) -> None:
    skipped = Rung(name=RUN_TIME_RUNG, reason=f"{why}; not climbed: {because}", outcome="skipped")
    write_json_atomic(ladder, [rung.model_dump(mode="json") for rung in [*earlier, skipped]])
    say(f"{why}; no older environment is tried: {because}")


def _read(path: Path) -> list[Rung]:
    try:
        return _RUNGS.validate_json(path.read_bytes())
    except (OSError, ValidationError):
        return []
