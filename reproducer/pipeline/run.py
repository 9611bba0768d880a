"""`reproducer run`: stage, plan, build, run, harvest, answer (offline, then the agent) and grade one capsule.

Every step writes its artifact into the run directory as soon as it is done, and `summary.json` is
rewritten after each step, so a run that fails or is killed half-way keeps everything before it.
"""

import signal
import threading
import traceback
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Literal

from reproducer.agent.settings import AgentSettings
from reproducer.answer import AnswerChoice, answer_questions, report_dict, write_report
from reproducer.backends.base import Backend
from reproducer.backends.files import WorkspaceFiles
from reproducer.backends.registry import BackendName, open_backend
from reproducer.capsules.stage import stage_capsule
from reproducer.compare import CompareOptions, Comparison
from reproducer.compare.headline import headline
from reproducer.compare.step import compare_run, keep_published
from reproducer.errors import BadInput, WorkFailed
from reproducer.grading import grade
from reproducer.harvest import harvest, mark_files, write_facts
from reproducer.pipeline.agent_step import solve
from reproducer.pipeline.entry_runs import DEFAULT_TOTAL_TIMEOUT_S
from reproducer.pipeline.execute import build_and_run
from reproducer.pipeline.steps import Progress, Steps
from reproducer.rundir.layout import RunDir
from reproducer.rundir.stamp import now, write_record
from reproducer.rundir.summary import RunStatus, RunSummary, TimeBudget
from reproducer.rundir.verdict import VerdictsRecord
from reproducer.sandbox.limits import DEFAULT_MAX_DISK_GB, DEFAULT_MAX_MEMORY_GB
from reproducer.tasks import Task

Level = Literal["easy", "medium", "hard"]
DEFAULT_COMMAND_TIMEOUT_S = 3600.0

__all__ = [
    "DEFAULT_COMMAND_TIMEOUT_S",
    "DEFAULT_TOTAL_TIMEOUT_S",
    "Level",
    "RunInterrupted",
    "run_capsule",
    "terminate_as_interrupt",
]


class RunInterrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM stopped the run; its records were still written. Carries the run's summary."""

    def __init__(self, summary: RunSummary) -> None:
        super().__init__("interrupted")
        self.summary = summary


@dataclass
class _Progress:
    """What the run has so far, for the harvest that follows an interrupt."""

    capsule_dir: Path | None = None
    harvest_paths: list[Path] = field(default_factory=list)


def run_capsule(
    source: str | Path,
    task: Task,
    out: Path,
    *,
    level: Level = "hard",
    backend: BackendName = "local",
    command_timeout_s: float = DEFAULT_COMMAND_TIMEOUT_S,
    total_timeout_s: float = DEFAULT_TOTAL_TIMEOUT_S,
    cache_root: Path | None = None,
    agent: AgentSettings | None = None,
    run_id: str | None = None,
    private_env: bool = False,
    progress: Progress = lambda _message: None,
    max_disk_gb: float = DEFAULT_MAX_DISK_GB,
    compare: CompareOptions | None = None,
    max_memory_gb: float = DEFAULT_MAX_MEMORY_GB,
) -> RunSummary:
    """Reproduce `task`'s capsule from `source` into the run directory `out` and return the summary.

    `backend` is where the environment is built and the code runs (`auto`: Docker when an engine
    answers); `run_id` labels the run's containers. `command_timeout_s` caps each command, and
    `total_timeout_s` all the entry points together; `max_disk_gb` is what the capsule may write (local
    backend: a command passing it ends as `disk_limit`), `max_memory_gb` what a sandbox may hold in
    memory. The environment is private to the run (a copy
    an agent may patch) with an agent or `private_env` (a replay of an agent's calls). Bad input (a
    broken capsule, say) ends the run as `invalid_task` and re-raises; any other failure ends it as
    `infra_error` with the traceback in `traceback.txt`. Either way the run directory keeps everything
    done before. A KeyboardInterrupt (Ctrl-C, or SIGTERM under `terminate_as_interrupt`) stops the
    sandbox, harvests and answers from what exists, ends the run as `interrupted` and raises
    `RunInterrupted`. With `compare`, the committed outputs are recorded before staging removes
    anything, and the regenerated ones compared with them (`comparison.json`); the status is then
    `correct` when they reproduce.
    """
    run_dir = RunDir.create(out)
    summary = RunSummary(
        run_dir=str(run_dir.root),
        capsule_id=task.capsule_id,
        level=level,
        backend=backend,
        field=task.field,
        language=task.language,
        answerer=agent.name if agent else "offline",
        started_at=now(),
    )
    steps = Steps(summary, run_dir, progress)
    state = _Progress()
    timeouts = TimeBudget(total_s=total_timeout_s, per_command_s=command_timeout_s)
    opened: Backend | None = None
    try:
        opened = open_backend(
            backend,
            cache_root=cache_root,
            run_id=run_id,
            max_disk_gb=max_disk_gb,
            max_memory_gb=max_memory_gb,
        )
        summary.backend = opened.name
        _pipeline(source, task, run_dir, steps, opened, level, timeouts, agent, state, compare, private_env)
    except BadInput:
        summary.status = "invalid_task"
        raise
    except KeyboardInterrupt as interrupt:
        summary.problem = summary.status = "interrupted"
        steps.save()
        progress("interrupted: harvesting and answering from what the run produced so far")
        if state.capsule_dir is not None and opened is not None:
            workspace = {state.capsule_dir: opened.files(state.capsule_dir)}
            _answer(task, run_dir, steps, state.harvest_paths, workspace)
            _grade(task, run_dir, steps)
        raise RunInterrupted(summary) from interrupt
    except Exception as error:
        summary.status = "infra_error"
        run_dir.traceback.write_text(traceback.format_exc(), encoding="utf-8")
        raise WorkFailed(f"{error}; the traceback is in {run_dir.traceback}") from error
    finally:
        steps.save()
        if opened is not None:  # the session ends with the run (Docker: its client is closed)
            opened.close()
    return summary


@contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM stops the run like Ctrl-C does, and Ctrl-C does so even where the process was started
    with SIGINT ignored (a background job of a script). Only the main thread can install handlers."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(_signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _pipeline(
    source: str | Path,
    task: Task,
    run_dir: RunDir,
    steps: Steps,
    backend: Backend,
    level: Level,
    timeouts: TimeBudget,
    agent: AgentSettings | None,
    state: _Progress,
    compare: CompareOptions | None = None,
    private_env: bool = False,
) -> None:
    summary = steps.summary
    with steps.step("stage") as record:
        keep = keep_published(run_dir.root) if compare else None
        staged = stage_capsule(source, level, run_dir.workspace, task=task, before_level=keep)
        record.detail = staged.detail
    state.capsule_dir = staged.capsule_dir
    state.harvest_paths.append(staged.capsule_dir / "results")

    if level == "easy":
        # The Easy level answers from the stored results; the official prompt forbids running code.
        steps.skip("run", "Easy level: answers come from results/")
    else:
        build_and_run(
            staged.capsule_dir,
            run_dir,
            steps,
            backend,
            task_id=task.capsule_id,
            prompt=task.task_prompt,
            questions=task.questions,
            timeouts=timeouts,
            # An environment the agent may patch is private to the run (copies, not links into a cache).
            private=agent is not None or private_env,
            produced=state.harvest_paths,
        )

    workspace = {staged.capsule_dir: backend.files(staged.capsule_dir)}
    choices = _answer(task, run_dir, steps, state.harvest_paths, workspace)
    comparison: Comparison | None = None
    if compare is not None:
        with steps.step("compare") as record:
            comparison = compare_run(run_dir.root, staged.capsule_dir, state.harvest_paths, compare)
            record.detail = headline(comparison)
    if agent is not None:
        with steps.step(f"agent {agent.name}") as record:
            outcome = solve(
                task,
                run_dir,
                staged.capsule_dir,
                backend,
                agent,
                report_dict(task, choices),
                can_install=level != "easy",
            )
            summary.agent = outcome
            report = run_dir.read_report()
            summary.answered = sum(value is not None for value in report.values())
            summary.unanswered = len(report) - summary.answered
            record.detail = f"{outcome.outcome} after {outcome.steps} steps, ${outcome.cost_usd:.4f}"
    _grade(task, run_dir, steps)
    summary.status = _status(summary)
    if comparison is not None and summary.status in ("answered", "unanswered"):
        summary.status = "correct" if comparison.reproduced else "incorrect"


def _answer(
    task: Task,
    run_dir: RunDir,
    steps: Steps,
    harvest_paths: list[Path],
    workspace: Mapping[Path, WorkspaceFiles],
) -> list[AnswerChoice]:
    """Harvest, then answer. The capsule's outputs are read as the backend session serves its workspace
    (`workspace`: the capsule folder and its files), the logs the runner wrote from this host."""
    summary = steps.summary
    with steps.step("harvest") as record:
        found = harvest(run_dir.root, harvest_paths, mounts=workspace)
        # What a failed command printed answers only when nothing else does.
        failed = {
            log: f"printed by a command that failed ({command.command}: {command.status})"
            for command in summary.commands
            if command.status != "ok"
            for recorded in (command.stdout_path, command.stderr_path)
            if (log := run_dir.resolve(recorded)) is not None
        }
        mark_files(found, run_dir.root, failed)
        write_facts(found, run_dir.facts)
        not_read = found.not_read()
        record.detail = f"{len(found.facts)} facts from {len(found.files)} files" + (
            f"; {not_read}" if not_read else ""
        )

    with steps.step("answer") as record:
        choices = answer_questions(task, found.facts)
        write_report(task, choices, run_dir.report, run_dir.answers)
        summary.answered = sum(choice.value is not None for choice in choices)
        summary.unanswered = len(choices) - summary.answered
        record.detail = f"{summary.answered} of {len(choices)} questions answered"
    return choices


def _grade(task: Task, run_dir: RunDir, steps: Steps) -> None:
    if not task.has_truth:
        return
    summary = steps.summary
    with steps.step("grade") as record:
        report = run_dir.read_report()
        official, robust = grade(task, report, "official"), grade(task, report, "robust")
        summary.official, summary.robust = official, robust
        write_record(
            run_dir.verdicts, VerdictsRecord(official=official, robust=robust), started_at=record.started_at
        )
        record.detail = "correct" if official.correct else "incorrect"


def _status(summary: RunSummary) -> RunStatus:
    """Answers graded correct stay `correct` whatever else happened (the problem is kept in `problem`);
    otherwise a problem that kept the code from running names the status."""
    if summary.official is not None and summary.official.correct:
        return "correct"
    if summary.problem is not None:
        return summary.problem
    if summary.official is not None:
        return "incorrect"
    if any(command.status == "disk_limit" for command in summary.commands):
        return "disk_limit"
    if any(command.status == "timeout" for command in summary.commands):
        return "timeout"
    return "answered" if summary.unanswered == 0 else "unanswered"
