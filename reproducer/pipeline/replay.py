"""Replaying an agent's run without its model: the recorded tool calls, in order, on a fresh staging.

A reviewer audits a run without paying for it again: the capsule is staged and run by the pipeline into
a new run directory as the first time, then every tool call the trajectory records (bash, install,
read_file, ... submit) is made again with the same input, and each output is compared with the recorded
one. Paths into the old run directory are read as the same paths in the new one, and the durations the
tools print are not compared. The submit's answers are compared with the recorded ones and, when the
task has ground truth, graded again. As a replayed submit only repeats the values the model wrote, each
answer is also looked for among the values the outputs hold, in the recorded run and in the replay: an
answer the recorded outputs held and the replay's do not is one the replay did not reproduce.
"""

import difflib
import math
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from reproducer.agent.limits import AgentLimits
from reproducer.agent.resume import SavedRun
from reproducer.agent.tools import ToolBox, ToolContext, make_toolbox
from reproducer.backends.registry import BackendName, open_backend
from reproducer.errors import BadInput
from reproducer.grading import grade
from reproducer.harvest import Fact, harvest
from reproducer.pipeline.resume import read_summary, restore_environment
from reproducer.pipeline.run import run_capsule
from reproducer.pipeline.steps import Progress
from reproducer.rundir.layout import COMMANDS_FILE, REPLAY_FILE, TRAJECTORY_FILE, RunDir
from reproducer.rundir.stamp import write_record
from reproducer.tasks.model import Task

Match = Literal["exact", "same", "differs"]
DIFF_LINES = 12
# What the tools print about time: "after 1.2 s", "(0.8 s)", uv's "in 12ms". Never the same twice.
_DURATION = re.compile(r"(after |\(|\bin )\d+(?:\.\d+)?\s?(?:ms|s)\b")


class CallReplay(BaseModel):
    """One recorded tool call made again: `exact` output, the `same` but for paths and durations, or it
    `differs` (with a short diff, recorded lines `-`, replayed lines `+`)."""

    step: int
    name: str
    input: Any
    match: Match
    diff: str = ""
    recorded_error: bool = False
    replayed_error: bool = False


class ReplayReport(BaseModel):
    """What a replay found: each call's match, the answers both times, and the replayed answers' grade."""

    run_dir: str
    replay_dir: str
    backend: str
    calls: list[CallReplay] = Field(default_factory=list)
    recorded_answers: dict[str, Any] | None = None
    replayed_answers: dict[str, Any] | None = None
    same_answers: bool = False
    # Where each submitted answer's value is among the outputs ("file (location)"), or None where no output
    # holds it: in the recorded run, and in the replay.
    recorded_evidence: dict[str, str | None] = Field(default_factory=dict)
    replayed_evidence: dict[str, str | None] = Field(default_factory=dict)
    # The replayed submission graded officially; None when the task has no truth or nothing was submitted.
    correct: bool | None = None

    @property
    def matched(self) -> int:
        return sum(call.match != "differs" for call in self.calls)

    @property
    def reproduced(self) -> bool:
        """The same answers came out, and every one the recorded outputs held, the replay's hold too."""
        lost = [
            q for q, where in self.recorded_evidence.items() if where and not self.replayed_evidence.get(q)
        ]
        return self.same_answers and not lost


def replay_run(
    recorded_dir: Path,
    task: Task,
    out: Path,
    *,
    source: str | Path | None = None,
    backend: BackendName | None = None,
    cache_root: Path | None = None,
    progress: Progress = lambda _message: None,
) -> ReplayReport:
    """Replay the agent's run in `recorded_dir` into the new run directory `out`, which gets the
    pipeline's records, the replayed calls' logs and `replay.json`. `source` is the capsule (default: the
    task's); `backend` defaults to the recorded run's."""
    old_root = recorded_dir.resolve()
    saved = load_saved(old_root)
    recorded = read_summary(RunDir(old_root))
    if recorded.capsule_id != task.capsule_id:
        raise BadInput(f"{old_root}: the run is of {recorded.capsule_id}, the task of {task.capsule_id}")
    capsule = source or task.capsule
    if capsule is None:
        raise BadInput(f"task {task.capsule_id} names no `capsule`; give the capsule's source to replay")
    level = recorded.level if recorded.level in ("easy", "medium", "hard") else "hard"
    chosen = backend or recorded.backend
    fresh = run_capsule(
        capsule,
        task,
        out,
        level=level,  # type: ignore[arg-type]
        backend=chosen,  # type: ignore[arg-type]
        cache_root=cache_root,
        private_env=True,
        progress=progress,
    )
    new_run = RunDir(out.resolve())
    capsule_dir = new_run.workspace / task.capsule_id
    opened = open_backend(fresh.backend, cache_root=cache_root)
    try:
        progress(restore_environment(opened, new_run, capsule_dir, fresh, progress))
        sandbox, installer = opened.agent_sandbox(capsule_dir, new_run.root, task.capsule_id)
        try:
            context = ToolContext(
                task=task,
                run_dir=new_run.root,
                capsule_dir=capsule_dir,
                sandbox=sandbox,
                limits=AgentLimits(),
                installer=installer,
                capabilities=opened.capabilities,
            )
            report = replay_calls(saved, make_toolbox(context), old_root, new_run.root)
        finally:
            sandbox.stop()
    finally:
        opened.close()
    report.backend = opened.name
    if report.recorded_answers is not None:
        recorded_capsule = RunDir(old_root).workspace / task.capsule_id
        report.recorded_evidence = evidence(report.recorded_answers, old_root, recorded_capsule)
    if report.replayed_answers is not None:
        report.replayed_evidence = evidence(report.replayed_answers, new_run.root, capsule_dir)
    if task.has_truth and report.replayed_answers is not None:
        report.correct = grade(task, questions_report(task, report.replayed_answers), "official").correct
    write_record(new_run.root / REPLAY_FILE, report)
    return report


def replay_calls(saved: SavedRun, toolbox: ToolBox, old_root: Path, new_root: Path) -> ReplayReport:
    """Make every tool call of `saved` again with `toolbox` (over the new run in `new_root`), in order,
    up to the accepted submission."""
    report = ReplayReport(run_dir=str(old_root), replay_dir=str(new_root), backend="")
    outcome = saved.outcome or {}
    report.recorded_answers = outcome.get("answers") if outcome.get("kind") == "submitted" else None
    for step in saved.steps:
        for tool in toolbox.tools.values():
            tool.context.final_turn = step.tool_choice is not None
        for recorded in step.tool_calls:
            block = {
                "type": "tool_use",
                "id": recorded.id,
                "name": recorded.name,
                "input": _moved(recorded.input, str(old_root), str(new_root)),
            }
            call, _result = toolbox.call(block)
            match, diff = compare(recorded.output, call.output, old_root, new_root)
            report.calls.append(
                CallReplay(
                    step=step.step,
                    name=recorded.name,
                    input=recorded.input,
                    match=match,
                    diff=diff,
                    recorded_error=recorded.is_error,
                    replayed_error=call.is_error,
                )
            )
            if call.submitted is not None:
                report.replayed_answers = call.submitted
                report.same_answers = call.submitted == report.recorded_answers
                return report
    report.same_answers = report.recorded_answers is None
    return report


def compare(recorded: str, replayed: str, old_root: Path, new_root: Path) -> tuple[Match, str]:
    """How the replayed output compares with the recorded one, and a short diff when they differ."""
    if recorded == replayed:
        return "exact", ""
    before = _DURATION.sub(r"\1…", recorded.replace(str(old_root), str(new_root)))
    after = _DURATION.sub(r"\1…", replayed)
    if before == after:
        return "same", ""
    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    changed = [line for line in lines if not line.startswith(("---", "+++", "@@"))]
    more = len(changed) - DIFF_LINES
    return "differs", "\n".join(changed[:DIFF_LINES] + ([f"... {more} more lines"] if more > 0 else []))


def evidence(answers: dict[str, Any], run_root: Path, capsule_dir: Path) -> dict[str, str | None]:
    """For each answer, the first output value equal to it ("file (location)", files relative to the
    run), or None. The outputs are the capsule's results/ and the command logs, as search_outputs reads."""
    logs = RunDir(run_root).logs
    streams = (
        sorted(p for p in logs.glob("*") if p.is_file() and p.name != COMMANDS_FILE) if logs.is_dir() else []
    )
    facts = harvest(run_root, [capsule_dir / "results", *streams]).facts
    return {question: _where(value, facts) for question, value in answers.items()}


def _where(value: Any, facts: list[Fact]) -> str | None:
    found = next((fact for fact in facts if _agrees(value, fact.value)), None)
    return None if found is None else f"{found.file} ({found.location})"


def _agrees(answer: Any, printed: float | int | str) -> bool:
    """`answer` is `printed`, or a float answer is `printed` rounded to its decimals; text is compared
    without case."""
    if isinstance(answer, bool) or isinstance(printed, bool):
        return False
    if isinstance(answer, int | float) and isinstance(printed, int | float):
        if not (math.isfinite(answer) and math.isfinite(printed)):
            return False
        if math.isclose(printed, answer, rel_tol=1e-9):
            return True
        text = repr(answer)
        decimals = (
            len(text.split(".")[1]) if isinstance(answer, float) and "." in text and "e" not in text else 0
        )
        return decimals > 0 and math.isclose(round(printed, decimals), answer, rel_tol=1e-12)
    if isinstance(answer, str) and isinstance(printed, str):
        return answer.strip().casefold() == printed.strip().casefold() != ""
    return False


def load_saved(run_dir: Path) -> SavedRun:
    return SavedRun(run_dir / TRAJECTORY_FILE)


def questions_report(task: Task, answers: dict[str, Any] | None) -> dict[str, Any]:
    """A report.json over `task`'s questions from submitted `answers` (None where there is none)."""
    given = answers or {}
    return {question: given.get(question) for question in task.questions}


def _moved(value: Any, old: str, new: str) -> Any:
    """`value` with every string's `old` run-directory prefix read as `new`."""
    if isinstance(value, str):
        return value.replace(old, new)
    if isinstance(value, list):
        return [_moved(item, old, new) for item in value]
    if isinstance(value, dict):
        return {key: _moved(item, old, new) for key, item in value.items()}
    return value
