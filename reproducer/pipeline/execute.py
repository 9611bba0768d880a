"""Plan the capsule's environment, build it, and run its entry points in a sandbox."""

from pathlib import Path

from reproducer.backends.base import Backend
from reproducer.envs import EnvironmentFailed
from reproducer.envs.ladder import RunTimeRung
from reproducer.pipeline.drift_rung import run_time_rung
from reproducer.pipeline.entry_runs import (
    Budget,
    allows_errors,
    exec_entry,
    not_run,
    produced_nothing,
)
from reproducer.pipeline.entrypoints import document
from reproducer.pipeline.steps import Steps
from reproducer.plan import make_plan
from reproducer.plan.fixes import apply_fixes
from reproducer.plan.model import EntryPoint, Plan
from reproducer.rundir.layout import RunDir
from reproducer.rundir.stamp import write_record
from reproducer.rundir.summary import TimeBudget
from reproducer.sandbox.base import ExecResult, Sandbox

# Jupyter pieces the notebook runner needs inside the capsule's environment.
NOTEBOOK_TOOLS = ("nbclient", "nbformat", "ipykernel")
# Added only where a notebook is converted (or a README runs `jupyter nbconvert`): nbconvert brings
# pins of its own (jinja2, mistune, ...) that an old capsule's may conflict with.
CONVERT_TOOLS = ("nbconvert",)
MAX_RUN_TIME_RUNGS = 2
NO_ENTRY_POINT = (
    "no entry point: neither the task prompt, the instruction files nor the code say what to run "
    "(plan.json lists every candidate considered and why it was dropped)"
)


def build_and_run(
    capsule_dir: Path,
    run_dir: RunDir,
    steps: Steps,
    backend: Backend,
    *,
    task_id: str,
    prompt: str | None,
    questions: list[str],
    timeouts: TimeBudget,
    private: bool,
    produced: list[Path],
) -> None:
    """Plan, build the environment and run the entry points; appends to `produced` the files to harvest
    as soon as each command ends, so that an interrupted run still harvests what exists."""
    summary = steps.summary
    with steps.step("plan") as record:
        plan = make_plan(capsule_dir, prompt, questions)
        apply_fixes(plan.fixes, capsule_dir)  # the staged copy only; each fix is listed in plan.json
        write_record(run_dir.plan, plan, started_at=record.started_at)
        summary.language = summary.language or ", ".join(decision.value for decision in plan.languages)
        entries = plan.entry_points
        record.detail = f"{len(plan.python_requirements)} requirements, {len(entries)} entry points"
    if not entries:
        summary.problem = "no_entry_point"
        steps.mark(record, "failed", "no entry point found")
        steps.progress(NO_ENTRY_POINT)
        return

    with steps.step("environment") as record:
        try:
            record.detail = backend.prepare(
                plan, capsule_dir, run_dir.root, private=private, extra=pipeline_tools(entries)
            )
        except EnvironmentFailed as failure:
            summary.problem, summary.environment_label = "env_failed", failure.label
            steps.mark(record, "failed", f"{failure.label}: {failure.message}")
            return

    summary.time_budget = timeouts
    first_attempt = len(produced)
    # On Docker the container lives as long as its commands may take, not a fixed time.
    lifetime = min(timeouts.total_s, len(entries) * timeouts.per_command_s)
    sandbox = backend.sandbox(capsule_dir, run_dir.root, task_id, seconds=lifetime)
    try:
        results = run_entries(entries, sandbox, capsule_dir, run_dir, steps, timeouts, prompt, produced)
    finally:
        sandbox.stop()
    # A second rung when the first one's run says more: code of Python 2's time fails inside numpy 2
    # first, then, on the packages of its date, with Python 3's own errors (see envs.drift).
    for _ in range(MAX_RUN_TIME_RUNGS):
        rung = run_time_rung(plan, results, capsule_dir, run_dir.root, steps.progress)
        if rung is None or not _climbed(rung, plan, capsule_dir, run_dir, steps, backend, private):
            break
        # The new attempt is harvested; commands.jsonl and `superseded_commands` keep the earlier ones.
        first, ok_first = produced[first_attempt:], sum(result.ok for result in results)
        del produced[first_attempt:]
        summary.superseded_commands, summary.commands = [*summary.superseded_commands, *summary.commands], []
        left = timeouts.model_copy(update={"total_s": max(0.0, timeouts.total_s - timeouts.spent_s)})
        sandbox = backend.sandbox(capsule_dir, run_dir.root, task_id, seconds=lifetime)
        try:
            results = run_entries(entries, sandbox, capsule_dir, run_dir, steps, left, prompt, produced)
        finally:
            sandbox.stop()
            timeouts.spent_s = round(timeouts.spent_s + left.spent_s, 3)
        if sum(result.ok for result in results) < ok_first:
            produced += first  # older packages broke what worked: the first attempt's outputs count too
            steps.progress("fewer entry points succeeded on the run-time rung; both attempts are harvested")
    if produced_nothing(summary, results):
        summary.produced_nothing = True
        steps.progress("every entry point exited 0, but none wrote a file or printed anything")


def _climbed(
    rung: RunTimeRung,
    plan: Plan,
    capsule_dir: Path,
    run_dir: RunDir,
    steps: Steps,
    backend: Backend,
    private: bool,
) -> bool:
    """Whether the environment of the run-time rung was built; if not, the first attempt stands."""
    with steps.step("environment: run-time rung") as record:
        try:
            record.detail = backend.prepare(
                plan,
                capsule_dir,
                run_dir.root,
                private=private,
                extra=pipeline_tools(plan.entry_points),
                run_time=rung,
            )
        except EnvironmentFailed as failure:
            steps.mark(record, "failed", f"{failure.label}: {failure.message}")
            return False
    return True


def pipeline_tools(entries: list[EntryPoint]) -> tuple[str, ...]:
    """The Python packages our own handling of the entry points needs in the capsule's environment."""
    notebooks = [entry for entry in entries if entry.kind == "notebook"]
    converting = any(entry.output_format or document(entry) is None for entry in notebooks)
    return (*NOTEBOOK_TOOLS, *(CONVERT_TOOLS if converting else ())) if notebooks else ()


def run_entries(
    entries: list[EntryPoint],
    sandbox: Sandbox,
    capsule_dir: Path,
    run_dir: RunDir,
    steps: Steps,
    timeouts: TimeBudget,
    prompt: str | None,
    produced: list[Path],
) -> list[ExecResult]:
    """Each entry in the plan's order, with its share of the total time; on an interrupt, the entry that
    ran and those after it are recorded before the interrupt goes on."""
    summary, budget, allow_errors = steps.summary, Budget(timeouts), allows_errors(prompt)
    results: list[ExecResult] = []
    try:
        for index, entry in enumerate(entries, start=1):
            share = budget.for_entry(len(entries) - index + 1)
            if share == 0.0:
                detail = f"the total time of {timeouts.total_s:g} s was spent before it started"
                summary.commands.append(not_run(entry, "skipped", detail, run_dir.logs, None))
                steps.skip(f"run {entry.command}", detail)
                continue
            with steps.step(f"run {entry.command}") as record:
                try:
                    command, result = exec_entry(
                        sandbox, run_dir, entry, index, share, allow_errors=allow_errors
                    )
                except KeyboardInterrupt:
                    produced += sorted(run_dir.logs.glob(f"*-entry-{index}.std*"))
                    summary.commands.append(not_run(entry, "interrupted", "", run_dir.logs, share))
                    for later in entries[index:]:
                        detail = "the run was interrupted before it started"
                        summary.commands.append(not_run(later, "skipped", detail, run_dir.logs, None))
                    steps.mark(record, "failed", "interrupted")
                    raise
                summary.commands.append(command)
                results.append(result)
                produced += [capsule_dir / name for name in (*result.created, *result.changed)]
                produced += [Path(result.stdout_path), Path(result.stderr_path)]
                record.detail = f"{share:.0f} s budget"
                if result.status != "ok":
                    failure = f"{result.status}, exit code {result.exit_code}"
                    steps.mark(
                        record, "failed", f"{failure}; {command.detail}" if command.detail else failure
                    )
    finally:
        budget.close()
    return results
