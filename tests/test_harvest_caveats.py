"""What a failed command printed is marked, and answers only when nothing else does."""

from pathlib import Path

from reproducer.answer import answer_questions
from reproducer.harvest import harvest, mark_files
from reproducer.tasks.model import Task

FAILED = "printed by a command that failed (python fit.py: failed)"


def test_a_failed_commands_log_answers_last_and_says_so(tmp_path: Path) -> None:
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "summary.txt").write_text("Test accuracy: 0.91\n")
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "entry-1.out").write_text("Test accuracy: 0.55\nTrain loss: 0.31\n")
    found = harvest(tmp_path, [tmp_path / "results", logs / "entry-1.out"])
    assert mark_files(found, tmp_path, {logs / "entry-1.out": FAILED}) == 2
    assert {fact.file: fact.caveat for fact in found.facts} == {
        "results/summary.txt": "",
        "logs/entry-1.out": FAILED,
    }
    task = Task(
        capsule_id="c", task_prompt="t", questions=["Report the test accuracy.", "Report the train loss."]
    )
    accuracy, loss = answer_questions(task, found.facts)
    # The failed run's 0.55 fits as well as the results' 0.91 (it comes later): it is still not used.
    assert (
        accuracy.value == 0.91 and accuracy.fact is not None and accuracy.fact.file == "results/summary.txt"
    )
    assert loss.value == 0.31 and "failed" in loss.reason
