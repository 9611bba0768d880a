"""Plan the capsule's environment, build it, and run its entry points in a sandbox."""

from pathlib import Path

from reproducer.envs import EnvironmentFailed
from reproducer.jsonio import write_json_atomic
from reproducer.pipeline.backends import Backend
from reproducer.pipeline.entrypoints import command_line
from reproducer.pipeline.rundir import RunDir
from reproducer.pipeline.steps import Steps
from reproducer.pipeline.summary import CommandRecord
from reproducer.plan import make_plan
from reproducer.plan.fixes import apply_fixes

# Jupyter pieces the notebook runner needs inside the capsule's environment.
NOTEBOOK_TOOLS = ("nbclient", "nbformat", "ipykernel")


def build_and_run(
    capsule_dir: Path,
    run_dir: RunDir,
    steps: Steps,
    backend: Backend,
    *,
    task_id: str,
    prompt: str | None,
    questions: list[str],
    command_timeout_s: float,
    private: bool,
) -> list[Path]:
    """Plan, build the environment and run the entry points; returns the extra files to harvest."""
    summary = steps.summary
    with steps.step("plan") as record:
        plan = make_plan(capsule_dir, prompt, questions)
        apply_fixes(plan.fixes, capsule_dir)  # the staged copy only; each fix is listed in plan.json
        write_json_atomic(run_dir.plan, plan)
        entries = plan.entry_points
        record.detail = f"{len(plan.python_requirements)} requirements, {len(entries)} entry points"
    if not entries:
        steps.mark(record, "failed", "no entry point found")
        return []

    extra = NOTEBOOK_TOOLS if any(entry.kind == "notebook" for entry in entries) else ()
    with steps.step("environment") as record:
        try:
            record.detail = backend.prepare(plan, capsule_dir, run_dir.root, private=private, extra=extra)
        except EnvironmentFailed as failure:
            summary.environment_label = failure.label
            steps.mark(record, "failed", f"{failure.label}: {failure.message}")
            return []

    produced: list[Path] = []
    sandbox = backend.sandbox(capsule_dir, run_dir.root, task_id)
    try:
        for index, entry in enumerate(entries, start=1):
            with steps.step(f"run {entry.command}") as record:
                result = sandbox.exec(
                    command_line(entry, command_timeout_s),
                    cwd=entry.cwd,
                    timeout=command_timeout_s,
                    log_name=f"entry-{index}",
                )
                summary.commands.append(
                    CommandRecord(
                        command=result.command,
                        cwd=result.cwd,
                        status=result.status,
                        exit_code=result.exit_code,
                        seconds=result.wall_seconds,
                        stdout_path=str(result.stdout_path),
                        stderr_path=str(result.stderr_path),
                    )
                )
                if result.status != "ok":
                    steps.mark(record, "failed", f"{result.status}, exit code {result.exit_code}")
                produced += [capsule_dir / name for name in (*result.created, *result.changed)]
                produced += [Path(result.stdout_path), Path(result.stderr_path)]
    finally:
        sandbox.stop()
    return produced
