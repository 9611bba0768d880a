"""The task made on the fly for `reproducer run REPO` without a task file: no questions, id from the name."""

import re
from pathlib import Path

from reproducer.capsules.source import parse_source
from reproducer.tasks.model import Task

PROMPT = "Run the repository's code to regenerate its outputs (tables, figures, logs)."
GENERIC_NAMES = frozenset({"capsule", "code"})
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def adhoc_id(source: str) -> str:
    """The repository's, folder's or archive's name, made safe as a folder name; a folder called
    `capsule` or `code` is named after its parent (`tasks/<name>/capsule`)."""
    name = parse_source(source).name
    path = Path(source).expanduser()
    if name in GENERIC_NAMES and path.exists():
        name = path.resolve().parent.name
    return _UNSAFE.sub("-", name).strip("-.") or "capsule"


def adhoc_task(source: str) -> Task:
    """A task with no questions: the committed outputs are what the run is checked against.

    Built without validation because a task file must hold questions; this one is never written out.
    """
    return Task.model_construct(
        capsule_id=adhoc_id(source),
        task_prompt=PROMPT,
        field="",
        language="",
        capsule_title="",
        capsule_doi="",
        results=[],
        questions=[],
        capsule=source,
    )
