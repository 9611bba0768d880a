"""Run `reproducer run` over the real-world corpus and print one row per repository, then totals.

    scripts/with-uv python -m benchmarks.realworld.run --fetch-hint
    scripts/with-uv python -m benchmarks.realworld.checkout --snapshots /tmp/realworld
    scripts/with-uv python -m benchmarks.realworld.run --snapshots /tmp/realworld

Each repository runs at the Hard level on the local backend with the offline answerer, in its own
run directory under --out, with a wall-clock limit per repository. `--write-tasks` regenerates the
task files from the manifest (the manifest is the one place the ground truth is written): tasks/ for
manifest.yaml, heldout-tasks/ for `--manifest benchmarks/realworld/heldout.yaml`.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

from benchmarks.realworld.manifest import Repository, load_manifest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
MANIFEST = HERE / "manifest.yaml"


@dataclass
class Outcome:
    repo: str
    status: str
    commands: int = 0
    commands_ok: int = 0
    right: int = 0
    questions: int = 0
    seconds: float = 0.0
    failed_step: str = ""
    run_dir: str = ""


def capsule_id(repo: Repository) -> str:
    return "realworld-" + repo.repo.replace("/", "-").lower()


def task_record(repo: Repository) -> dict[str, Any]:
    """Our own task format; the ground truth is the hand-run values, once per recorded run."""
    runs = [{q.text: q.value(run) for q in repo.questions} for run in range(repo.runs)]
    return {
        "capsule_id": capsule_id(repo),
        "capsule": "",
        "field": repo.field,
        "language": repo.language,
        "capsule_title": repo.title,
        "capsule_doi": "",
        "task_prompt": repo.task_prompt,
        "results": runs,
    }


def task_file_text(repo: Repository, manifest: Path = MANIFEST) -> str:
    """The task file of one repository, as `--write-tasks` writes it."""
    header = (
        f"# {repo.repo} at {repo.commit}: generated from {manifest.name} by run.py --write-tasks.\n"
        "# Ground truth found by running the code by hand (see the manifest's notes). The capsule is\n"
        "# the snapshot checkout, given on the command line.\n"
    )
    record = task_record(repo)
    runs = record.pop("results")
    body = yaml.safe_dump({"tasks": [record]}, sort_keys=False, allow_unicode=True, width=110)
    # One run a line, as JSON (which YAML reads), like the other task files.
    results = "".join(f"    - {json.dumps(run, ensure_ascii=False)}\n" for run in runs)
    return header + body + "  results:\n" + results


def write_tasks(repos: list[Repository], manifest: Path) -> None:
    for repo in repos:
        path = repo.task_path(manifest)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(task_file_text(repo, manifest), encoding="utf-8")
        print(f"wrote {path}")


def fetch_hint(repos: list[Repository], manifest: Path = MANIFEST) -> str:
    option = "" if manifest == MANIFEST else f" --manifest {manifest}"
    lines = [
        "Bring each repository with the search tool's fetch (the mirrors land in /work/.mirror/owner+name/):",
        *(f"  fetch github:{repo.repo}" for repo in repos),
        "then export each manifest commit into a snapshots folder:",
        f"  scripts/with-uv python -m benchmarks.realworld.checkout{option} --snapshots /tmp/realworld",
        "(by hand: git --git-dir=/work/.mirror/OWNER+NAME/repo archive COMMIT | tar -x -C DIR/OWNER+NAME)",
    ]
    return "\n".join(lines)


def read_outcome(repo: Repository, run_dir: Path, status: str, seconds: float) -> Outcome:
    outcome = Outcome(repo.repo, status, questions=len(repo.questions), seconds=seconds, run_dir=str(run_dir))
    try:
        summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return outcome
    if status == "ran":
        outcome.status = str(summary.get("status", "?"))
    failed = [step for step in summary.get("steps") or [] if step.get("status") == "failed"]
    if failed:
        detail = " ".join(str(failed[0].get("detail", "")).split())
        outcome.failed_step = f"{failed[0].get('name')}: {detail[:60]}"
    commands = summary.get("commands") or []
    outcome.commands = len(commands)
    outcome.commands_ok = sum(1 for command in commands if command.get("status") == "ok")
    # Robust grading judges each question on its own; the official one can stop at a bad key.
    grade = summary.get("robust") or {}
    outcome.right = sum(1 for verdict in grade.get("verdicts", []) if verdict.get("correct"))
    return outcome


def run_one(
    repo: Repository, manifest: Path, snapshots: Path, out: Path, limit: float, command_timeout: int
) -> Outcome:
    checkout = snapshots / repo.slug
    run_dir = out / repo.slug
    if not checkout.is_dir():
        return Outcome(repo.repo, "no_snapshot", questions=len(repo.questions))
    argv = [
        sys.executable, "-m", "reproducer", "run", str(checkout),
        "--task", str(repo.task_path(manifest)),
        "--level", "hard", "--backend", "local", "--agent", "offline",
        "--timeout", str(command_timeout), "--out", str(run_dir),
    ]  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)
    log = (out / f"{repo.slug}.log").open("w", encoding="utf-8")
    started = time.monotonic()
    # A process group of its own, so a repository that overruns is stopped with all it started.
    process = subprocess.Popen(argv, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        process.wait(timeout=limit)
        status = "ran"
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        status = "runner_timeout"
    finally:
        log.close()
    return read_outcome(repo, run_dir, status, time.monotonic() - started)


def table(outcomes: list[Outcome]) -> str:
    header = ("repository", "status", "commands ok/run", "questions right", "seconds", "first failed step")
    rows = [
        (
            o.repo,
            o.status,
            f"{o.commands_ok}/{o.commands}",
            f"{o.right}/{o.questions}",
            f"{o.seconds:.0f}",
            o.failed_step,
        )
        for o in outcomes
    ]
    ran = sum(1 for o in outcomes if o.commands and o.commands_ok == o.commands)
    rows.append(
        (
            f"TOTAL ({len(outcomes)} repositories)",
            f"{ran} ran every command",
            f"{sum(o.commands_ok for o in outcomes)}/{sum(o.commands for o in outcomes)}",
            f"{sum(o.right for o in outcomes)}/{sum(o.questions for o in outcomes)}",
            f"{sum(o.seconds for o in outcomes):.0f}",
            "",
        )
    )
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in [header, *rows]
    ]
    lines.insert(1, "-+-".join("-" * width for width in widths))
    lines.insert(len(lines) - 1, lines[1])
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--manifest", type=Path, default=MANIFEST, help="the corpus (default manifest.yaml; heldout.yaml)"
    )
    parser.add_argument(
        "--snapshots", type=Path, help="folder with one checkout per repository, named owner+name"
    )
    parser.add_argument(
        "--out", type=Path, help="where the run directories go (default runs/realworld-<time>)"
    )
    parser.add_argument("--only", nargs="*", default=[], help="owner/name of the repositories to run")
    parser.add_argument("--repo-timeout", type=float, default=900, help="wall-clock seconds per repository")
    parser.add_argument("--command-timeout", type=int, default=600, help="reproducer's limit per command")
    parser.add_argument(
        "--fetch-hint", action="store_true", help="print how to bring the snapshots, and stop"
    )
    parser.add_argument(
        "--write-tasks", action="store_true", help="regenerate the manifest's task files, and stop"
    )
    args = parser.parse_args(argv)
    args.manifest = args.manifest.resolve()  # the task paths handed to reproducer run from ROOT
    repos = load_manifest(args.manifest)
    if args.only:
        unknown = sorted(set(args.only) - {repo.repo for repo in repos})
        if unknown:
            parser.error(f"not in {args.manifest}: {', '.join(unknown)}")
        repos = [repo for repo in repos if repo.repo in args.only]
    if args.fetch_hint:
        print(fetch_hint(repos, args.manifest))
        return 0
    if args.write_tasks:
        write_tasks(repos, args.manifest)
        return 0
    if args.snapshots is None:
        parser.error("--snapshots is required (see --fetch-hint)")
    out = args.out or ROOT / "runs" / time.strftime("realworld-%Y%m%d-%H%M%S")
    outcomes = []
    for repo in repos:
        outcome = run_one(repo, args.manifest, args.snapshots, out, args.repo_timeout, args.command_timeout)
        print(f"{outcome.repo}: {outcome.status}, {outcome.right}/{outcome.questions}", flush=True)
        outcomes.append(outcome)
    (out / "realworld.json").write_text(json.dumps([asdict(o) for o in outcomes], indent=1), encoding="utf-8")
    print(table(outcomes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
