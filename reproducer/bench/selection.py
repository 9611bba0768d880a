"""Which tasks a bench run holds: filters, --shuffle and --limit, --no-vision, repeats (`<id>#<k>`)."""

import difflib
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

from reproducer.errors import BadInput
from reproducer.tasks.model import Task, is_vision_question

REPEAT_SEPARATOR = "#"
# A key names files and folders in RUNDIR, so it must be a plain file name.
SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.+-]*")
CLOSE_MATCHES = 3


@dataclass(frozen=True)
class BenchTask:
    """One run of one task. `skip_reason` or `invalid_reason` set: it is recorded without running."""

    key: str
    repeat: int
    task: Task
    dropped_vision: int = 0
    skip_reason: str | None = None
    invalid_reason: str | None = None


def select(
    tasks: Sequence[Task],
    source: str,
    *,
    capsules: Sequence[str] = (),
    fields: Sequence[str] = (),
    languages: Sequence[str] = (),
) -> list[Task]:
    """The tasks named by `capsules` (all if none) whose field and language are among those given."""
    by_id = {task.capsule_id: task for task in tasks}
    unknown = [capsule for capsule in capsules if capsule not in by_id]
    if unknown:
        hints = [difflib.get_close_matches(name, list(by_id), n=CLOSE_MATCHES) for name in unknown]
        said = "; ".join(
            f"{name!r}" + (f" (close: {', '.join(h)})" if h else "")
            for name, h in zip(unknown, hints, strict=True)
        )
        raise BadInput(f"{source}: no task with capsule id {said}")
    chosen = [by_id[name] for name in dict.fromkeys(capsules)] if capsules else list(tasks)
    wanted_fields = {value.casefold() for value in fields}
    wanted_languages = {value.casefold() for value in languages}
    chosen = [
        task
        for task in chosen
        if (not wanted_fields or task.field.casefold() in wanted_fields)
        and (not wanted_languages or task.language.casefold() in wanted_languages)
    ]
    if not chosen:
        raise BadInput(f"{source}: no task is left after the --capsule/--field/--language filters")
    for task in chosen:
        if not SAFE_ID.fullmatch(task.capsule_id):
            raise BadInput(f"{source}: capsule id {task.capsule_id!r} cannot name a file; rename it")
    return chosen


def sample(tasks: Sequence[Task], *, limit: int | None, shuffle_seed: int | None) -> list[Task]:
    """The first `limit` tasks, in the file's order or shuffled with `shuffle_seed`: the same seed gives
    the same tasks on every machine (Python's Mersenne Twister is specified), so a sample can be resumed."""
    if limit is not None and limit < 1:
        raise BadInput(f"--limit must be at least 1, not {limit}")
    chosen = list(tasks)
    if shuffle_seed is not None:
        random.Random(shuffle_seed).shuffle(chosen)
    return chosen[:limit] if limit is not None else chosen


def bench_tasks(tasks: Sequence[Task], *, repeats: int, no_vision: bool) -> list[BenchTask]:
    """Each task `repeats` times (keys `<id>#1` ... when repeats > 1), vision questions dropped on ask."""
    if repeats < 1:
        raise BadInput(f"--repeats must be at least 1, not {repeats}")
    items: list[BenchTask] = []
    for task in tasks:
        run_task, dropped, skip = _without_vision(task) if no_vision else (task, 0, None)
        invalid = None if task.has_truth else "the task has no ground truth (`results`) to grade against"
        for repeat in range(1, repeats + 1):
            key = task.capsule_id if repeats == 1 else f"{task.capsule_id}{REPEAT_SEPARATOR}{repeat}"
            items.append(BenchTask(key, repeat, run_task, dropped, skip, invalid))
    return items


def _without_vision(task: Task) -> tuple[Task, int, str | None]:
    vision = task.vision_questions
    if not vision:
        return task, 0, None
    if len(vision) == len(task.questions):
        return task, 0, "every question is a vision question and --no-vision was given"
    record = task.model_dump()
    record["results"] = [{q: v for q, v in run.items() if not is_vision_question(q)} for run in task.results]
    record["questions"] = [q for q in task.questions if not is_vision_question(q)] if not task.results else []
    return Task.model_validate(record), len(vision), None
