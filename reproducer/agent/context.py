"""The first message: what the deterministic pipeline already did, read from the run directory.

A capsule that ran cleanly should cost the model a few calls: it sees the task, the plan, the
environment, each command with the end of its log, the harvested candidates for each question and the
offline answers with their provenance, and what is left to do.
"""

import json
import os
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from reproducer.agent.limits import AgentLimits
from reproducer.agent.prompts import render
from reproducer.agent.tools.ranking import describe_candidates, describe_fact, top_facts
from reproducer.answer.index import FactIndex
from reproducer.answer.model import AnswerChoice
from reproducer.backends.capabilities import Capabilities
from reproducer.envs.model import BuiltEnvironment
from reproducer.errors import BadInput
from reproducer.harvest import Fact, read_facts
from reproducer.harvest.images import HEADER_BYTES, IMAGE_SUFFIXES, image_from_head
from reproducer.plan.model import Plan
from reproducer.rundir.layout import TASK_PROMPT_FILE, RunDir
from reproducer.rundir.summary import CommandRecord, RunSummary
from reproducer.safefs import open_file
from reproducer.tasks.model import Task, is_vision_question

CANDIDATES_PER_QUESTION = 5
FAILED_LOG_TAIL_LINES = 40
OK_LOG_TAIL_LINES = 10
LOG_TAIL_CHARS = 4000
MAX_REQUIREMENTS = 40
MAX_FIGURES = 40
FIGURE_SUFFIXES = IMAGE_SUFFIXES | {".pdf"}

M = TypeVar("M", bound=BaseModel)


def system_prompt(limits: AgentLimits, tools: list[str], backend: Capabilities) -> str:
    """The system prompt from `prompts/system.md.j2`: the job, the way to work, the budget, the tools."""
    return render(
        "system.md.j2",
        limits=limits,
        tools=tools,
        can_install="install" in tools,
        mounts=backend.code_ocean_mounts,
    )


def first_message(task: Task, run_dir: Path, capsule_dir: Path) -> str:
    """The context message rendered from `prompts/context.md.j2` and whatever the run directory holds."""
    records = RunDir(run_dir)
    summary = _load(records.summary, RunSummary)
    facts = [_relocated(fact, run_dir, capsule_dir) for fact in _facts(records.facts)]
    index = FactIndex(facts)
    offline = _offline_answers(records.answers)
    questions = [_question(q, offline.get(q), index, run_dir, capsule_dir) for q in task.questions]
    task_txt = records.workspace / TASK_PROMPT_FILE
    return render(
        "context.md.j2",
        task_prompt=task_txt.read_text(encoding="utf-8") if task_txt.is_file() else task.task_prompt,
        question_keys=json.dumps(task.questions, ensure_ascii=False, indent=1),
        capsule_dir=str(capsule_dir),
        run_dir=str(run_dir),
        summary=summary,
        plan=_load(records.plan, Plan),
        max_requirements=MAX_REQUIREMENTS,
        environment=_load(records.environment, BuiltEnvironment),
        environment_failure=_environment_failure(summary),
        commands=[_command(command, records) for command in (summary.commands if summary else [])],
        fact_count=len(facts),
        questions=questions,
        figures=_figures(capsule_dir / "results", capsule_dir),
        unanswered=[q["text"] for q in questions if q["answer"] is None],
        vision=[q for q in task.questions if is_vision_question(q)],
        failed_steps=[step for step in (summary.steps if summary else []) if step.status == "failed"],
    )


def _load(path: Path, model: type[M]) -> M | None:
    """The model read from `path`, or None when the run has no such file (or it is unreadable)."""
    try:
        return model.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValidationError):
        return None


def _facts(path: Path) -> list[Fact]:
    try:
        return read_facts(path) if path.is_file() else []
    except BadInput:  # a damaged facts file costs the candidates, not the run
        return []


def _offline_answers(path: Path) -> dict[str, AnswerChoice]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        choices = [AnswerChoice.model_validate(item) for item in data.get("answers", [])]
    except (OSError, ValueError, AttributeError):
        return {}
    return {choice.question: choice for choice in choices}


def agent_path(file: str, run_dir: Path, capsule_dir: Path) -> str:
    """A path as the pipeline recorded it (relative to the run dir), as the tools take it."""
    path = Path(file) if Path(file).is_absolute() else run_dir / file
    resolved = path.resolve()
    capsule = capsule_dir.resolve()
    return resolved.relative_to(capsule).as_posix() if resolved.is_relative_to(capsule) else str(resolved)


def _relocated(fact: Fact, run_dir: Path, capsule_dir: Path) -> Fact:
    return fact.model_copy(update={"file": agent_path(fact.file, run_dir, capsule_dir)})


def _question(
    text: str, choice: AnswerChoice | None, index: FactIndex, run_dir: Path, capsule_dir: Path
) -> dict[str, Any]:
    answer = None
    chosen: Fact | None = None
    if choice is not None and choice.value is not None:
        answer = repr(choice.value)
        if choice.fact is not None:
            chosen = _relocated(choice.fact, run_dir, capsule_dir)
            found = describe_fact(chosen)
            answer = found if choice.value == chosen.value else f"{answer}, the row of {found}"
            answer += f" [score {choice.score:.2f}]"
    ranked = [] if is_vision_question(text) else top_facts(index, text, CANDIDATES_PER_QUESTION)
    candidates = [candidate for candidate in ranked if candidate.fact != chosen]
    return {
        "text": text,
        "vision": is_vision_question(text),
        "answer": answer,
        "why_not": choice.reason if choice is not None and choice.value is None else "not attempted offline",
        "candidates": describe_candidates(candidates),
    }


def _environment_failure(summary: RunSummary | None) -> str | None:
    if summary is None or summary.environment_label is None:
        return None
    step = next((s for s in summary.steps if s.name == "environment"), None)
    return step.detail if step is not None else summary.environment_label


def _command(command: CommandRecord, records: RunDir) -> dict[str, Any]:
    failed = command.status != "ok"
    # The records name logs relative to the run directory; the agent's file tools want them absolute.
    stdout, stderr = records.resolve(command.stdout_path), records.resolve(command.stderr_path)
    path = stderr if failed else stdout
    lines = FAILED_LOG_TAIL_LINES if failed else OK_LOG_TAIL_LINES
    return {
        "record": command,
        "stdout_path": str(stdout) if stdout else "",
        "stderr_path": str(stderr) if stderr else "",
        "stream": "stderr" if failed else "stdout",
        "tail": _tail(path, lines) if path else "",
    }


def _tail(path: Path, lines: int) -> str:
    try:
        with path.open("rb") as handle:
            handle.seek(max(0, path.stat().st_size - LOG_TAIL_CHARS * 2))
            text = handle.read().decode(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])[-LOG_TAIL_CHARS:]


def _figures(results: Path, capsule_dir: Path) -> list[str]:
    if not results.is_dir():
        return []
    found = sorted(p for p in results.rglob("*") if p.is_file() and p.suffix.lower() in FIGURE_SUFFIXES)
    figures = []
    for path in found[:MAX_FIGURES]:
        name = path.relative_to(capsule_dir).as_posix()
        try:  # the capsule's code made these: no link out of the capsule, no fifo, is followed
            with open_file(capsule_dir, name) as handle:
                bytes_, head = os.fstat(handle.fileno()).st_size, handle.read(HEADER_BYTES)
        except OSError:
            continue
        image = image_from_head(path.suffix, head, name, bytes_)
        size = f", {image.width}x{image.height} px" if image.width and image.height else ""
        figures.append(f"`{image.file}` ({image.format.upper()}{size})")
    return figures
