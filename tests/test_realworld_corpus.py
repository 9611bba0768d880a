"""The real-world corpus: its manifest, the task files generated from it, the checkout and the table."""

import datetime as dt
import json
import os
import subprocess
from pathlib import Path

import pytest

from benchmarks.realworld.checkout import export
from benchmarks.realworld.manifest import Repository, load_manifest, tasks_dir
from benchmarks.realworld.run import HERE, main, read_outcome, table, task_file_text
from reproducer.tasks.load import load_task

MANIFEST = HERE / "manifest.yaml"
HELDOUT = HERE / "heldout.yaml"
REPOS = load_manifest(MANIFEST)
HELDOUT_REPOS = load_manifest(HELDOUT)
BOTH = [(MANIFEST, repo) for repo in REPOS] + [(HELDOUT, repo) for repo in HELDOUT_REPOS]


def test_the_manifest_holds_fifteen_distinct_repositories_of_both_languages() -> None:
    assert len(REPOS) >= 15
    assert len({repo.repo for repo in REPOS}) == len(REPOS)
    assert {repo.language for repo in REPOS} == {"Python", "R"}


def test_the_held_out_corpus_shares_no_repository_with_the_development_one() -> None:
    assert len(HELDOUT_REPOS) >= 6
    assert len({repo.repo for repo in HELDOUT_REPOS}) == len(HELDOUT_REPOS)
    assert not {repo.repo.lower() for repo in HELDOUT_REPOS} & {repo.repo.lower() for repo in REPOS}


def test_each_corpus_has_a_task_folder_of_its_own() -> None:
    assert tasks_dir(MANIFEST) == HERE / "tasks"
    assert tasks_dir(HELDOUT) == HERE / "heldout-tasks"
    for folder, repos in ((tasks_dir(MANIFEST), REPOS), (tasks_dir(HELDOUT), HELDOUT_REPOS)):
        assert sorted(path.name for path in folder.glob("*.yaml")) == sorted(f"{r.slug}.yaml" for r in repos)


@pytest.mark.parametrize(("manifest", "repo"), BOTH, ids=[f"{m.stem}:{repo.slug}" for m, repo in BOTH])
def test_each_task_file_is_the_one_the_manifest_generates_and_loads(manifest: Path, repo: Repository) -> None:
    path = repo.task_path(manifest)
    expected = task_file_text(repo, manifest)
    assert path.read_text(encoding="utf-8") == expected, f"run.py --manifest {manifest.name} --write-tasks"
    task = load_task(path)
    assert task.task_prompt == repo.task_prompt
    assert len(task.results) == repo.runs
    assert list(task.results[0]) == [question.text for question in repo.questions]


def test_a_bad_manifest_is_refused_naming_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "manifest.yaml"
    bad.write_text("repositories:\n  - repo: a/b\n    commit: 123\n", encoding="utf-8")
    with pytest.raises(SystemExit, match=r"manifest\.yaml"):
        load_manifest(bad)


def _git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def test_export_writes_the_commit_and_reports_a_blob_the_snapshot_lacks(tmp_path: Path) -> None:
    work = tmp_path / "work"
    (work / "data").mkdir(parents=True)
    (work / "main.py").write_text("print(1)\n")
    (work / "data" / "big.csv").write_text("x\n" * 10)
    _git("init", "-q", cwd=work)
    _git("add", ".", cwd=work)
    dated = {
        "GIT_COMMITTER_DATE": "2017-12-28T12:00:00+00:00",
        "GIT_AUTHOR_DATE": "2017-12-28T12:00:00+00:00",
    }
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "c"],
        cwd=work,
        check=True,
        env={**os.environ, **dated},
    )
    commit = _git("rev-parse", "HEAD", cwd=work)
    # A snapshot lacks large files: remove the loose object of data/big.csv, as a snapshot would.
    blob = _git("rev-parse", "HEAD:data/big.csv", cwd=work)
    (work / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    out = tmp_path / "out"
    missing = export(work / ".git", commit, out)
    assert missing == ["data/big.csv"]
    assert (out / "main.py").read_text() == "print(1)\n"
    # Dated to the commit, as git archive dates files: the plan's cut-off date is the repository's.
    assert dt.datetime.fromtimestamp((out / "main.py").stat().st_mtime, dt.UTC).date() == dt.date(
        2017, 12, 28
    )


def test_the_table_counts_commands_and_right_answers_from_a_run_directory(tmp_path: Path) -> None:
    repo = REPOS[0]
    summary = {
        "status": "incorrect",
        "steps": [{"name": "run", "status": "failed", "detail": "make all: exit code 2"}],
        "commands": [{"status": "ok"}, {"status": "error"}],
        "robust": {"verdicts": [{"correct": True}, {"correct": False}]},
    }
    (tmp_path / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    outcome = read_outcome(repo, tmp_path, "ran", 12.0)
    assert (outcome.status, outcome.commands, outcome.commands_ok, outcome.right) == ("incorrect", 2, 1, 1)
    assert outcome.failed_step == "run: make all: exit code 2"
    text = table([outcome])
    assert repo.repo in text and "1/2" in text and f"1/{len(repo.questions)}" in text


def test_write_tasks_follows_the_manifest_it_is_given(tmp_path: Path) -> None:
    manifest = tmp_path / "heldout.yaml"
    manifest.write_text(HELDOUT.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["--manifest", str(manifest), "--write-tasks"]) == 0
    written = sorted((tmp_path / "heldout-tasks").glob("*.yaml"))
    assert [path.name for path in written] == sorted(f"{repo.slug}.yaml" for repo in HELDOUT_REPOS)
    first = written[0].read_text(encoding="utf-8")
    assert "generated from heldout.yaml" in first
    assert first == (tasks_dir(HELDOUT) / written[0].name).read_text(encoding="utf-8")
