"""A misspelt key in a task file gets one line with the key it resembles ("did you mean"), not a cascade
of problems about the keys that seem missing; a record with a typo never loads."""

from pathlib import Path

import pytest

from reproducer.errors import BadInput
from reproducer.tasks.load import load_tasks

RECORD = "  - capsule_id: capsule-typo\n    {prompt}: Run main.py.\n    capsule: ./code\n    {results}:\n"
RESULTS = "      - {'Report the halfway value.': 1}\n"


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def test_a_misspelt_tasks_key_says_did_you_mean(tmp_path: Path) -> None:
    text = "taks:\n" + RECORD.format(prompt="task_prompt", results="results") + RESULTS
    with pytest.raises(BadInput, match=r"taks\.yaml: unknown top-level key `taks`; did you mean `tasks`\?"):
        load_tasks(_write(tmp_path / "taks.yaml", text))


def test_misspelt_record_keys_are_named_with_their_close_match_only(tmp_path: Path) -> None:
    text = "tasks:\n" + RECORD.format(prompt="task_promt", results="reslts") + RESULTS
    loaded = load_tasks(_write(tmp_path / "task.yaml", text))
    assert loaded.tasks == []
    assert [(p.field, p.message) for p in loaded.problems] == [
        ("task_promt", "unknown key; did you mean `task_prompt`?"),
        ("reslts", "unknown key; did you mean `results`?"),
    ], "the fixed record would load, so nothing else is reported"


def test_other_problems_of_the_record_still_show_and_far_keys_get_no_guess(tmp_path: Path) -> None:
    text = "tasks:\n  - capsule_id: c\n    task_prompt: x\n    capsul: ./code\n    colour: blue\n"
    problems = load_tasks(_write(tmp_path / "task.yaml", text)).problems
    assert [(p.field, p.message) for p in problems] == [
        ("capsul", "unknown key; did you mean `capsule`?"),
        ("colour", "not a known field"),
    ]
