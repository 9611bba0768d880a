"""Staging from each kind of source, and the refusals that protect earlier attempts and the host."""

import os
from pathlib import Path

import git
import pytest
from test_capsules_layout import ALL_PATHS, make_capsule, tar_of, tree

from reproducer.capsules.stage import stage_capsule
from reproducer.errors import BadInput
from reproducer.tasks.model import Task

AUTHOR = git.Actor("Test Author", "author@example.org")
EASY_REMAINS = ALL_PATHS - {
    "REPRODUCING.md",
    "environment",
    "environment/Dockerfile",
    "code/run",
    "code/run.sh",
}


def _repo(folder: Path) -> Path:
    repo = git.Repo.init(make_capsule(folder), initial_branch="main")
    repo.index.add(sorted(path for path in tree(folder) if (folder / path).is_file()))
    repo.index.commit("capsule", author=AUTHOR, committer=AUTHOR)
    return folder


def test_from_a_folder(tmp_path: Path) -> None:
    staged = stage_capsule(make_capsule(tmp_path / "capsule-9"), "easy", tmp_path / "ws")
    assert (staged.capsule_id, staged.capsule_dir) == ("capsule-9", tmp_path / "ws" / "capsule-9")
    assert tree(staged.capsule_dir) == EASY_REMAINS


def test_from_a_tarball_with_a_single_top_folder(tmp_path: Path) -> None:
    archive = tar_of(make_capsule(tmp_path / "src"), tmp_path / "capsule-5.tar.gz", "capsule-5")
    staged = stage_capsule(archive, "easy", tmp_path / "ws")
    assert staged.capsule_id == "capsule-5"
    assert tree(staged.capsule_dir) == EASY_REMAINS
    assert not list((tmp_path / "ws").rglob("*.tar.gz"))


@pytest.mark.parametrize("form", ["path", "file-url"])
def test_from_a_git_repository(tmp_path: Path, form: str) -> None:
    repo = _repo(tmp_path / "paper-code")
    source = str(repo) if form == "path" else repo.as_uri()
    staged = stage_capsule(source, "medium", tmp_path / "ws")
    assert staged.capsule_id == "paper-code"
    assert tree(staged.capsule_dir) == ALL_PATHS - {"results/out.txt"}
    # The history goes (it may hold the results); its last commit dates the staged files.
    assert not (staged.capsule_dir / ".git").exists()
    assert staged.committed == git.Repo(repo).head.commit.committed_datetime


def test_the_capsule_s_own_tarball_is_left_out(tmp_path: Path) -> None:
    capsule = make_capsule(tmp_path / "capsule-3")
    (capsule / "capsule-3.tar.gz").write_bytes(b"the stored capsule, results included")
    staged = stage_capsule(capsule, "hard", tmp_path / "ws")
    assert staged.left_out == ["capsule-3.tar.gz"]
    assert not (staged.capsule_dir / "capsule-3.tar.gz").exists()


def test_the_id_comes_from_the_task_then_the_argument_then_the_name(tmp_path: Path) -> None:
    capsule = make_capsule(tmp_path / "folder-name")
    task = Task(capsule_id="capsule-77", task_prompt="run it", questions=["q"])
    assert (
        stage_capsule(capsule, "easy", tmp_path / "a", task=task, capsule_id="x").capsule_id == "capsule-77"
    )
    assert stage_capsule(capsule, "easy", tmp_path / "b", capsule_id="given").capsule_id == "given"
    assert stage_capsule(capsule, "easy", tmp_path / "c").capsule_id == "folder-name"


def test_inner_symlinks_are_copied_as_links(tmp_path: Path) -> None:
    capsule = make_capsule(tmp_path / "c")
    (capsule / "data" / "alias.csv").symlink_to("x.csv")
    (capsule / "code" / "data").symlink_to("../data", target_is_directory=True)
    staged = stage_capsule(capsule, "easy", tmp_path / "ws")
    assert (staged.capsule_dir / "data" / "alias.csv").readlink() == Path("x.csv")
    assert (staged.capsule_dir / "code" / "data" / "x.csv").read_text() == "a,b\n1,2\n"


@pytest.mark.parametrize("target", ["/etc/passwd", "../../x", "../../../../../../etc"])
def test_symlinks_out_of_the_capsule_are_skipped_with_a_warning(tmp_path: Path, target: str) -> None:
    capsule = make_capsule(tmp_path / "c")
    (capsule / "data" / "leak").symlink_to(target)
    staged = stage_capsule(capsule, "easy", tmp_path / "ws")
    assert staged.skipped_links == [f"data/leak -> {target} (points outside the capsule)"]
    assert not (staged.capsule_dir / "data" / "leak").is_symlink()
    assert (staged.capsule_dir / "data" / "x.csv").is_file()
    assert "warning: symlinks skipped: data/leak" in staged.detail


def test_a_link_that_escapes_through_another_link_is_skipped(tmp_path: Path) -> None:
    capsule = make_capsule(tmp_path / "c")
    (capsule / "here").symlink_to(".")
    (tmp_path / "secret").write_text("host file")
    (capsule / "sneaky").symlink_to("here/../secret")  # reads as capsule/secret, resolves beside the capsule
    staged = stage_capsule(capsule, "easy", tmp_path / "ws")
    assert staged.skipped_links == ["sneaky -> here/../secret (points outside the capsule)"]
    assert (staged.capsule_dir / "here").is_symlink() and not (staged.capsule_dir / "sneaky").exists()


def test_a_dangling_link_is_skipped_and_a_link_to_it_too(tmp_path: Path) -> None:
    capsule = make_capsule(tmp_path / "c")
    (capsule / "data" / "gone.csv").symlink_to("never-made.csv")
    (capsule / "code" / "chain").symlink_to("../data/gone.csv")
    staged = stage_capsule(capsule, "hard", tmp_path / "ws")
    assert staged.skipped_links == [
        "code/chain -> ../data/gone.csv (points at nothing)",
        "data/gone.csv -> never-made.csv (points at nothing)",
    ]
    assert not (staged.capsule_dir / "data" / "gone.csv").is_symlink()


def test_a_fifo_is_refused(tmp_path: Path) -> None:
    capsule = make_capsule(tmp_path / "c")
    os.mkfifo(capsule / "data" / "pipe")
    with pytest.raises(BadInput, match="data/pipe is a device, fifo or socket"):
        stage_capsule(capsule, "easy", tmp_path / "ws")


def test_an_earlier_attempt_is_never_overwritten(tmp_path: Path) -> None:
    capsule = make_capsule(tmp_path / "c")
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "report.json").write_text("{}")
    with pytest.raises(BadInput, match="is not empty"):
        stage_capsule(capsule, "easy", tmp_path / "ws")
    assert [p.name for p in (tmp_path / "ws").iterdir()] == ["report.json"]


def test_an_empty_out_folder_is_used(tmp_path: Path) -> None:
    (tmp_path / "ws").mkdir()
    staged = stage_capsule(make_capsule(tmp_path / "c"), "easy", tmp_path / "ws")
    assert staged.capsule_dir.is_dir()


def test_out_must_be_a_folder(tmp_path: Path) -> None:
    (tmp_path / "ws").write_text("a file")
    with pytest.raises(BadInput, match="is not a folder"):
        stage_capsule(make_capsule(tmp_path / "c"), "easy", tmp_path / "ws")


def test_out_inside_the_capsule_is_refused(tmp_path: Path) -> None:
    capsule = make_capsule(tmp_path / "c")
    with pytest.raises(BadInput, match="is inside the capsule"):
        stage_capsule(capsule, "easy", capsule / "ws")
    assert tree(capsule) == ALL_PATHS


@pytest.mark.parametrize("name", ["../up", "a/b", ".."])
def test_an_id_that_is_not_a_folder_name_is_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(BadInput, match="cannot be a folder name"):
        stage_capsule(make_capsule(tmp_path / "c"), "easy", tmp_path / "ws", capsule_id=name)
    assert not (tmp_path / "ws").exists()


def test_an_unknown_level_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="unknown level 'expert'"):
        stage_capsule(make_capsule(tmp_path / "c"), "expert", tmp_path / "ws")  # type: ignore[arg-type]
