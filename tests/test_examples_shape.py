"""The example capsules in tasks/: their task files load, their ground truth is three real runs that
their results/ folder agrees with, and each capsule can be run without Code Ocean's files (Hard level)."""

import os
import re
from pathlib import Path

import pytest

from reproducer.tasks.load import load_tasks
from reproducer.tasks.model import Task

ROOT = Path(__file__).resolve().parent.parent
TASK_FILES = sorted((ROOT / "tasks").glob("*/task.yaml"))
RUNS = 3
MAX_DATA_BYTES = 200_000
# Answers from unseeded resampling: the only ones allowed (and required) to differ between runs.
STOCHASTIC = {
    "bp-trial-permutation": {
        "Report the permutation test p value.",
        "Report the bootstrap 95% confidence interval lower bound.",
    },
    "reef-fish-bootstrap-r": {
        "Report the lower bound of the bootstrap 95% confidence interval of the density ratio.",
        "Report the upper bound of the bootstrap 95% confidence interval of the density ratio.",
    },
}
# Output formats the examples must cover between them, so the harvester meets each.
OUTPUT_SUFFIXES = {".csv", ".json", ".txt", ".ipynb", ".html", ".tsv"}


def _task(task_file: Path) -> Task:
    loaded = load_tasks(task_file)
    assert loaded.problems == []
    assert len(loaded.tasks) == 1
    return loaded.tasks[0]


def _capsule(task: Task) -> Path:
    assert task.capsule is not None
    return Path(task.capsule)


@pytest.fixture(params=TASK_FILES, ids=[path.parent.name for path in TASK_FILES])
def task_file(request: pytest.FixtureRequest) -> Path:
    path: Path = request.param
    return path


def test_there_are_enough_examples() -> None:
    assert len(TASK_FILES) >= 5


def test_task_loads_with_three_runs_and_no_vision_questions(task_file: Path) -> None:
    task = _task(task_file)
    assert task.capsule_id == f"capsule-{task_file.parent.name}"
    assert len(task.results) == RUNS
    assert 2 <= len(task.questions) <= 4
    assert task.vision_questions == []
    for value in task.results[0].values():
        assert isinstance(value, str | int | float)


def test_capsule_has_code_ocean_layout_and_small_data(task_file: Path) -> None:
    capsule = _capsule(_task(task_file))
    for folder in ("code", "data", "results"):
        assert (capsule / folder).is_dir(), folder
    assert any((capsule / "results").iterdir())
    for data in (capsule / "data").rglob("*"):
        assert data.stat().st_size < MAX_DATA_BYTES, data
    if (capsule / "code" / "run").exists():
        assert os.access(capsule / "code" / "run", os.X_OK)
    if (capsule / "environment").exists():
        assert (capsule / "environment" / "Dockerfile").is_file()
        assert (capsule / "REPRODUCING.md").is_file()


def _readmes(capsule: Path) -> list[Path]:
    return [path for path in (capsule / "README.md", capsule / "code" / "README.md") if path.is_file()]


def test_every_file_a_reader_is_told_to_run_exists(task_file: Path) -> None:
    """At the Hard level (no environment/, REPRODUCING.md or code/run) what to run comes from the task
    prompt, a README (fenced, indented or inline code, in code/ or at the root), a Makefile target the
    prompt names, or the code itself (a lone script, numbered scripts): every script those name exists,
    and something names or is a script."""
    task = _task(task_file)
    capsule = _capsule(task)
    code = capsule / "code"
    script = r"[\w./-]+\.(?:py|ipynb|R|Rmd)\b"
    named = re.findall(script, task.task_prompt)
    for readme in _readmes(capsule):
        named += [name.removeprefix("code/") for name in re.findall(script, readme.read_text())]
    for name in named:
        assert (code / name).is_file() or (capsule / name).is_file(), name
    scripts = [path for path in code.iterdir() if path.suffix in {".py", ".R", ".Rmd", ".ipynb"}]
    lone = len(scripts) == 1
    numbered = len(scripts) > 1 and all(re.match(r"\d+_", path.name) for path in scripts)
    made = (code / "Makefile").is_file() and re.search(r"\bmake \w+", task.task_prompt) is not None
    assert named or lone or numbered or made, "nothing says what to run"


def test_runs_agree_except_the_stochastic_questions(task_file: Path) -> None:
    task = _task(task_file)
    stochastic = STOCHASTIC.get(task_file.parent.name, set())
    for question in task.questions:
        values = [run[question] for run in task.results]
        if question in stochastic:
            assert len(set(values)) == RUNS, question
        else:
            assert len(set(values)) == 1, question


def test_results_folder_shows_the_first_run(task_file: Path) -> None:
    """The Easy level answers from results/: every answer of run 1 is printed there exactly."""
    task = _task(task_file)
    results = _capsule(task) / "results"
    text = "\n".join(
        path.read_text() for path in results.rglob("*") if path.is_file() and path.suffix != ".png"
    )
    for question, value in task.results[0].items():
        assert (value if isinstance(value, str) else repr(value)) in text, question


def test_examples_cover_the_required_kinds() -> None:
    capsules = [_capsule(_task(path)) for path in TASK_FILES]

    def count(pattern: str) -> int:
        return sum(1 for capsule in capsules if any(capsule.glob(pattern)))

    assert count("code/requirements.txt") >= 1
    assert count("code/pyproject.toml") >= 1
    assert count("code/setup.py") >= 1
    assert count("code/*.ipynb") >= 1
    assert count("environment/Dockerfile") >= 1
    # The shapes real capsules have beyond a README's bash block (issue 9): each at least once.
    assert count("code/*/pyproject.toml") + count("code/*/setup.py") >= 1, "a local package in a subfolder"
    assert count("code/*.Rmd") >= 1
    assert count("README.md") >= 1, "a README at the capsule root"
    assert any(len(list(capsule.glob("code/[0-9][0-9]_*"))) >= 2 for capsule in capsules), "numbered scripts"
    lone = [capsule for capsule in capsules if len(list((capsule / "code").iterdir())) == 1]
    assert lone, "a lone script with no README"
    suffixes = {path.suffix for capsule in capsules for path in (capsule / "results").rglob("*")}
    assert suffixes >= OUTPUT_SUFFIXES
    answers = [value for path in TASK_FILES for value in _task(path).results[0].values()]
    assert any(isinstance(value, str) for value in answers)
    assert set(STOCHASTIC) <= {path.parent.name for path in TASK_FILES}
