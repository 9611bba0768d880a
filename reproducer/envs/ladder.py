"""The resolution ladder for old papers: as declared, then as of the paper's date, then relaxed pins.

Each rung is recorded (what it tried, why, how it ended) so a reviewer can see how far from the
declared requirements the environment had to move. One more rung is climbed at run time, after the
ladder: when the code failed inside a dependency that moved on (`reproducer.envs.drift`), the
requirements capped at the paper's date on an interpreter of that time (`RunTimeRung`).
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from reproducer.envs.attempt import Failed, Installed, RungSpec
from reproducer.envs.diagnose import Diagnosis
from reproducer.envs.failure import NO_NETWORK, TIMEOUT, EnvironmentFailed
from reproducer.envs.model import Rung
from reproducer.envs.pins import pinned_version, with_replacements

MAX_RELAX_ROUNDS = 4
RUN_TIME_RUNG = "run_time_drift"
# Rounds of the run-time rung that move packages without a wheel for the interpreter (each finds more:
# a moved package's dependencies of the date may lack one too).
MAX_WHEEL_ROUNDS = 5
# uv's build frontends ask for these (setuptools>=40.8 for a legacy setup.py) whatever the date; capped at
# a date before their minimum, no source build can start. uv resolves them for the interpreter anyway.
BUILD_TOOLS = ("setuptools", "wheel", "pip")
# --exclude-newer-package with this date lifts the cutoff for one package (a relaxed pin, a tool).
NO_CUTOFF = "2999-12-31"


@dataclass(frozen=True)
class RunTimeRung:
    """The rung climbed after the code failed with drift: why, and the rungs of the first build (kept
    before it in ladder.json)."""

    reason: str
    earlier: list[Rung] = field(default_factory=list)
    python: str | None = None  # the interpreter the failure calls for ("2.7"), else the one of the date


@dataclass(frozen=True)
class LadderInput:
    requirements: list[str]  # declared lines, then the extra tool packages
    pins: dict[str, str]  # canonical name -> version, for the declared exact pins (relaxable)
    cutoff: str | None  # ISO date from the plan
    cutoff_evidence: str = ""
    exempt_from_cutoff: list[str] = field(default_factory=list)  # the extra tools and their dependencies
    python: str = ""  # e.g. "3.11", for the reasons written into the ladder
    run_time: RunTimeRung | None = None  # set: climb only the run-time rung


@dataclass
class Climb:
    rungs: list[Rung] = field(default_factory=list)
    failures: list[Failed] = field(default_factory=list)
    installed: Installed | None = None


Attempt = Callable[[int, RungSpec], Installed | Failed]
NearestVersion = Callable[[str, str], str]
# (name, ISO date) -> the version of `name` the index offered on that date ("" if unknown).
DatedVersion = Callable[[str, str], str]


def climb(
    ladder: LadderInput,
    attempt: Attempt,
    nearest: NearestVersion,
    record: Climb | None = None,
    dated: DatedVersion | None = None,
) -> Climb:
    """Try the rungs in order until one gives an environment whose imports work.

    `record` (returned, filled as each rung ends) lets an attempt see the rungs before it; `dated`
    tells the run-time rung which version a package had at the cutoff (else any version is nearer).
    """
    climb = record if record is not None else Climb()
    if ladder.run_time is not None:
        _climb_run_time(climb, ladder, ladder.run_time, attempt, nearest, dated)
        return climb
    declared = RungSpec("as_declared", "the requirements exactly as declared", ladder.requirements)
    if _try(climb, attempt, declared) or _stop(climb):
        return climb
    cutoff_flags = _cutoff_flags(ladder, ladder.exempt_from_cutoff)
    if ladder.cutoff is None:
        climb.rungs.append(_skipped("exclude_newer", "the plan has no cutoff date"))
    else:
        why = (
            f"rung 1 failed ({climb.failures[-1].diagnosis.label}); only packages uploaded before the "
            f"plan's cutoff date {ladder.cutoff} ({ladder.cutoff_evidence}), build tools included"
        )
        capped = RungSpec("exclude_newer", why, ladder.requirements, cutoff_flags)
        if _try(climb, attempt, capped) or _stop(climb):
            return climb
    _relax(climb, ladder, attempt, nearest)
    return climb


def _climb_run_time(
    climb: Climb,
    ladder: LadderInput,
    run_time: RunTimeRung,
    attempt: Attempt,
    nearest: NearestVersion,
    dated: DatedVersion | None,
) -> None:
    """Every requirement as of the cutoff date (the tools and build tools exempt), from wheels only.

    An interpreter of the date is the oldest one here at best (3.6 for code of 2014), and the packages of
    the date often have no wheel for it: their sources would compile for minutes and most no longer
    build. A package without a wheel moves to the nearest version after the date that has one (the API
    as close to the code's as the interpreter allows); one with no wheel for it at all is built.
    """
    climb.rungs[:0] = run_time.earlier  # numbered after them: the first build's rung files stay
    if ladder.cutoff is None:
        climb.rungs.append(_skipped(RUN_TIME_RUNG, f"{run_time.reason}; but the plan has no cutoff date"))
        return
    cutoff = ladder.cutoff
    why = f"{run_time.reason}; only packages uploaded before {cutoff} ({ladder.cutoff_evidence})"
    moved: dict[str, str] = {}  # name -> the nearest version with a wheel
    built: list[str] = []  # names with no wheel for this interpreter in any version
    for _ in range(MAX_WHEEL_ROUNDS):
        flags = _cutoff_flags(ladder, [*ladder.exempt_from_cutoff, *BUILD_TOOLS, *moved])
        flags += ["--only-binary", ":all:", *(flag for name in built for flag in ("--no-binary", name))]
        requirements = _with_versions(ladder.requirements, moved)
        relaxed = {name: f"{name}=={version}" for name, version in moved.items()}
        spec = RungSpec(
            RUN_TIME_RUNG, why + _moved_note(ladder.python, moved, built), requirements, flags, relaxed
        )
        if _try(climb, attempt, spec) or _stop(climb):
            return
        failed = climb.failures[-1].diagnosis
        # The capsule's own packages (a folder, a URL) are built as on any rung: never looked up on the
        # index, where another project may bear their name.
        own = sorted(failed.source_only - set(built))
        built += own
        lacking = sorted(failed.unusable_pins - set(moved) - set(built))
        if not lacking and not own:
            return
        for name in lacking:
            version = nearest(name, (dated(name, cutoff) if dated else "") or "0")
            if version:
                moved[name] = version
            else:
                built.append(name)


def _with_versions(lines: list[str], versions: dict[str, str]) -> list[str]:
    """`lines` with the exact pins of `versions` replaced, and the other names of `versions` pinned (an
    unpinned line stays: the pin added beside it decides, while it is exempt from the date)."""
    replaced = with_replacements(lines, versions)
    pinned = {found[0] for line in replaced if (found := pinned_version(line)) is not None}
    return [*replaced, *(f"{name}=={v}" for name, v in versions.items() if name not in pinned)]


def _moved_note(python: str, moved: dict[str, str], built: list[str]) -> str:
    note = ""
    if moved:
        listed = ", ".join(f"{name} {version}" for name, version in moved.items())
        note += (
            f"; no wheel of the date for Python {python}: moved to the nearest version with one ({listed})"
        )
    if built:
        note += f"; built from source (no wheel for Python {python}): {', '.join(built)}"
    return note


def _relax(climb: Climb, ladder: LadderInput, attempt: Attempt, nearest: NearestVersion) -> None:
    replacements: dict[str, str] = {}
    checked: set[str] = set()
    for _ in range(MAX_RELAX_ROUNDS):
        named = {n for f in climb.failures for n in f.diagnosis.unusable_pins if n in ladder.pins} - checked
        checked |= named
        new = {name: nearest(name, ladder.pins[name]) for name in sorted(named)}
        new = {name: version for name, version in new.items() if version != ladder.pins[name]}
        if not new:
            break
        replacements |= new
        relaxed = {
            f"{name}=={ladder.pins[name]}": f"{name}=={version}" if version else name
            for name, version in replacements.items()
        }
        why = (
            f"the pins uv could not install for Python {ladder.python} ({', '.join(sorted(new))}) moved to "
            "the nearest version with a wheel for it (any version if none)"
        )
        exempt = [*ladder.exempt_from_cutoff, *replacements]
        flags = _cutoff_flags(ladder, exempt)
        requirements = with_replacements(ladder.requirements, replacements)
        spec = RungSpec("relax_pins", why, requirements, flags, relaxed)
        if _try(climb, attempt, spec) or _stop(climb):
            return
    if not replacements:
        climb.rungs.append(_skipped("relax_pins", "uv named no exact pin that lacks a wheel for this Python"))


def _try(climb: Climb, attempt: Attempt, spec: RungSpec) -> bool:
    start = time.monotonic()
    try:
        result = attempt(len(climb.rungs) + 1, spec)
    except EnvironmentFailed as error:  # a time-out inside the rung
        result = Failed(Diagnosis(error.label, lines=[error.message]))
    unreachable = isinstance(result, Failed) and result.diagnosis.label == NO_NETWORK
    rung = Rung(
        name=spec.name,
        reason=spec.reason,
        outcome="ok" if isinstance(result, Installed) else "failed",
        requirements=spec.requirements,
        uv_flags=spec.flags,
        relaxed=spec.relaxed,
        label=result.diagnosis.label if isinstance(result, Failed) else None,
        detail=result.diagnosis.lines if isinstance(result, Failed) else [],
        key=result.key,
        reused=isinstance(result, Installed) and result.reused,
        seconds=round(time.monotonic() - start, 2),
    )
    climb.rungs.append(rung)
    if isinstance(result, Installed):
        climb.installed = result
        return True
    climb.failures.append(result)
    # uv's cache may still hold all this rung needs (unless the failure says no rung can help).
    if unreachable and not result.diagnosis.final and "--offline" not in spec.flags:
        why = "the package index could not be reached; the same requirements from uv's cache only"
        offline = [*spec.flags, "--offline"]
        return _try(
            climb, attempt, RungSpec(f"{spec.name}_offline", why, spec.requirements, offline, spec.relaxed)
        )
    return False


def _skipped(name: str, reason: str) -> Rung:
    return Rung(name=name, reason=reason, outcome="skipped")


def _stop(climb: Climb) -> bool:
    """No further rung can help when the index is unreachable, the time is up, or a failure says so."""
    return any(f.diagnosis.final or f.diagnosis.label in (NO_NETWORK, TIMEOUT) for f in climb.failures)


def _cutoff_flags(ladder: LadderInput, exempt: list[str]) -> list[str]:
    if ladder.cutoff is None:
        return []
    flags = ["--exclude-newer", ladder.cutoff]
    for name in exempt:
        flags += ["--exclude-newer-package", f"{name}={NO_CUTOFF}"]
    return flags
