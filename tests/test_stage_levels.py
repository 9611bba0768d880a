"""Each CORE-Bench level on the small capsule: exactly what stays in the workspace, and task.txt."""

import datetime as dt
from pathlib import Path

import git
import pytest
from test_capsules_layout import ALL_PATHS, CAPSULE_FILES, make_capsule, tree

from reproducer.capsules.levels import Level
from reproducer.capsules.prompt import official_prompt
from reproducer.capsules.stage import stage_capsule
from reproducer.plan import make_plan
from reproducer.tasks.model import Task

RECIPE = {"REPRODUCING.md", "environment", "environment/Dockerfile", "code/run", "code/run.sh"}
EXPECTED: dict[str, tuple[set[str], list[str]]] = {
    # level: (what remains, what `removed` reports)
    "easy": (ALL_PATHS - RECIPE, ["REPRODUCING.md", "environment", "code/run", "code/run.sh"]),
    "medium": (ALL_PATHS - {"results/out.txt"}, ["results/out.txt"]),
    "hard": (
        {"code", "code/main.py", "data", "data/x.csv", "results"},
        ["results/out.txt", "REPRODUCING.md", "environment", "code/run", "code/run.sh"],
    ),
}
TASK = Task(
    capsule_id="capsule-42",
    task_prompt="run main.py and report the accuracy",
    results=[{"Report the accuracy.": 0.93}, {"Report the accuracy.": 0.94}],
)


@pytest.mark.parametrize("level", ["easy", "medium", "hard"])
def test_each_level_leaves_exactly_what_the_harness_leaves(tmp_path: Path, level: Level) -> None:
    capsule = make_capsule(tmp_path / "capsule-42")
    staged = stage_capsule(capsule, level, tmp_path / "ws", task=TASK)
    remaining, removed = EXPECTED[level]
    assert tree(staged.capsule_dir) == remaining
    assert staged.removed == removed
    assert (staged.capsule_dir / "results").is_dir()
    assert tree(capsule) == ALL_PATHS  # the source is untouched
    assert sorted(p.name for p in staged.workspace.iterdir()) == ["capsule-42", "task.txt"]


@pytest.mark.parametrize("level", ["easy", "medium", "hard"])
def test_task_txt_is_the_official_prompt_byte_for_byte(tmp_path: Path, level: Level) -> None:
    staged = stage_capsule(make_capsule(tmp_path / "c"), level, tmp_path / "ws", task=TASK)
    assert staged.task_txt == tmp_path / "ws" / "task.txt"
    text = staged.task_txt.read_bytes().decode()
    assert text == official_prompt(TASK, level)
    assert text.startswith(f"Task: codeocean_{level}\n\n")
    assert "dict_keys(['Report the accuracy.'])" in text
    assert ("run main.py and report the accuracy" in text) is (level != "easy")


def test_missing_parts_are_fine_and_results_is_made(tmp_path: Path) -> None:
    capsule = tmp_path / "bare"
    (capsule / "code").mkdir(parents=True)
    (capsule / "code" / "main.py").write_text("print(1)\n")
    staged = stage_capsule(capsule, "hard", tmp_path / "ws")
    assert tree(staged.capsule_dir) == {"code", "code/main.py", "results"}
    assert staged.removed == []
    assert staged.task_txt is None


def test_modes_are_kept(tmp_path: Path) -> None:
    staged = stage_capsule(make_capsule(tmp_path / "c"), "medium", tmp_path / "ws")
    for relative, (content, mode) in CAPSULE_FILES.items():
        if relative != "results/out.txt":
            assert (staged.capsule_dir / relative).stat().st_mode & 0o777 == mode
            assert (staged.capsule_dir / relative).read_text() == content


def _write(folder: Path, files: dict[str, str]) -> Path:
    for relative, content in files.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text(content)
    return folder


# Three repository shapes the harness's rules were never written for; each keeps its results/ inputs.
REPOSITORIES = {
    "readme beside code/": {"README.md": "x", "code/fit.py": "x", "results/fits.csv": "1\n"},
    "no code/ folder": {"fit.py": "x", "results/fits.csv": "1\n", "environment/env.yml": "x"},
    "src/ beside code/": {"code/fit.py": "x", "src/lib.py": "x", "results/fits.csv": "1\n"},
}


@pytest.mark.parametrize("shape", REPOSITORIES)
def test_a_repository_that_is_not_a_code_ocean_layout_keeps_its_results_at_hard(
    tmp_path: Path, shape: str
) -> None:
    repository = _write(tmp_path / "repo", REPOSITORIES[shape])
    staged = stage_capsule(repository, "hard", tmp_path / "ws")
    assert staged.layout == "repository"
    assert staged.removed == []
    assert tree(staged.capsule_dir) == tree(repository)
    assert "not a Code Ocean layout" in staged.detail


def test_code_ocean_marks_make_the_layout_whatever_else_is_there(tmp_path: Path) -> None:
    capsule = _write(tmp_path / "c", {"code/a.py": "x", "README.md": "x", "metadata/metadata.yml": "x"})
    (capsule / "results").mkdir()
    (capsule / "results" / "out.txt").write_text("1\n")
    staged = stage_capsule(capsule, "hard", tmp_path / "ws")
    assert staged.layout == "codeocean"
    assert staged.removed == ["results/out.txt"]


def test_a_git_capsule_is_staged_without_history_and_dated_to_its_last_commit(tmp_path: Path) -> None:
    repository = _write(tmp_path / "repo", {"README.md": "x", "analysis.py": "print(1)\n"})
    when = "2019-05-06T07:08:09+00:00"
    environment = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    with git.Repo.init(repository) as repo, repo.git.custom_environment(**environment):
        repo.git.add("-A")
        repo.git.commit("-m", "paper", "--author", "A <a@example.org>")
    staged = stage_capsule(repository, "hard", tmp_path / "ws")
    assert not (staged.capsule_dir / ".git").exists()
    assert staged.committed is not None and staged.committed.isoformat() == when
    stamp = dt.datetime.fromisoformat(when).timestamp()
    assert (staged.capsule_dir / "analysis.py").stat().st_mtime == stamp
    assert make_plan(staged.capsule_dir).cutoff_date is not None
    assert str(make_plan(staged.capsule_dir).cutoff_date.value) == "2019-05-06"  # type: ignore[union-attr]
