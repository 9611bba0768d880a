"""Helpers shared by the bench tests (capsules, task files, CORE-Bench tarballs, the CLI), and checks that
they build what the other tests rely on."""

import json
import os
import subprocess
import sys
import tarfile
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

from reproducer.capsules import uses_gpu
from reproducer.tasks.corebench import PUBLISHED_KEYS
from reproducer.tasks.load import load_task, load_tasks
from reproducer.tasks.model import Task

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(ROOT.glob("tasks/*/task.yaml"))
# The first examples, in Code Ocean layout, named so that a test's tasks do not shift as examples are added.
STEADY = [
    ROOT / "tasks" / name / "task.yaml"
    for name in ("bp-trial-permutation", "diabetes-logreg", "fertilizer-blocks-r")
]
QUESTION = "Report the halfway value."
CLI_TIMEOUT_S = 300


def reproducer_env(cache: Path, **extra: str) -> dict[str, str]:
    """The environment of a CLI run: its own environment cache, no API key (the offline answerer)."""
    env = {key: value for key, value in os.environ.items() if key != "ANTHROPIC_API_KEY"}
    return {**env, "REPRODUCER_CACHE": str(cache), **extra}


def run_cli(
    args: list[str], env: dict[str, str], timeout: float = CLI_TIMEOUT_S
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "reproducer", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def trivial_capsule(folder: Path, *, value: int = 1, sleep_s: float = 0.0, gpu: bool = False) -> Path:
    """A capsule whose main.py prints `halfway value: <value>` (after `sleep_s`); its results/ hold it too."""
    (folder / "code").mkdir(parents=True)
    (folder / "data").mkdir()
    (folder / "results").mkdir()
    (folder / "environment").mkdir()
    (folder / "code" / "main.py").write_text(
        f"import time\ntime.sleep({sleep_s})\nprint('halfway value: {value}', flush=True)\n"
    )
    (folder / "code" / "run").write_text("#!/usr/bin/env bash\npython main.py\n")
    (folder / "results" / "output.txt").write_text(f"halfway value: {value}\n")
    (folder / "environment" / "Dockerfile").write_text("FROM python:3.11\n")
    needs = "It needs a gpu (CUDA 11)." if gpu else "It runs on a CPU."
    (folder / "REPRODUCING.md").write_text(f"# Reproducing\n\nRun `bash code/run`. {needs}\n")
    return folder


def trivial_record(capsule_id: str, value: int = 1, capsule: str | None = None) -> dict[str, Any]:
    record: dict[str, Any] = {
        "capsule_id": capsule_id,
        "task_prompt": "Run main.py and report the halfway value.",
        "field": "Computer Science",
        "language": "Python",
        "capsule_title": f"Trivial capsule {capsule_id}",
        "results": [{QUESTION: value}] * 3,
    }
    if capsule is not None:
        record["capsule"] = capsule
    return record


def write_task_file(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps({"tasks": records}, indent=2))
    return path


def corebench_record(task: Task, capsule_id: str) -> dict[str, Any]:
    """A record with exactly CORE-Bench's seven published keys."""
    return {
        "field": task.field,
        "language": task.language,
        "capsule_title": task.capsule_title,
        "capsule_id": capsule_id,
        "capsule_doi": task.capsule_doi,
        "task_prompt": task.task_prompt,
        "results": task.results,
    }


def corebench_tarball(capsule: Path, capsule_id: str, folder: Path) -> Path:
    """`folder/<capsule_id>.tar.gz` holding `<capsule_id>/` with the capsule's files, like CORE-Bench's."""
    archive = folder / f"{capsule_id}.tar.gz"
    folder.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(capsule, arcname=capsule_id)
    return archive


class CapsuleServer:
    """Capsule archives over HTTP on 127.0.0.1: `files` by path; `truncated` paths promise more bytes than
    they send; anything else is a 404. `requests` counts the GETs per path."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.truncated: set[str] = set()
        self.requests: Counter[str] = Counter()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests[self.path] += 1
                body = server.files.get(self.path)
                if body is None:
                    self.send_error(404, "no such capsule")
                    return
                self.send_response(200)
                extra = 1000 if self.path in server.truncated else 0
                self.send_header("Content-Length", str(len(body) + extra))
                self.end_headers()
                self.wfile.write(body)
                self.close_connection = True

            def log_message(self, format: str, *args: Any) -> None:
                return None

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02})

    @property
    def template(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/{{capsule_id}}.tar.gz"

    def __enter__(self) -> "CapsuleServer":
        self.thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def test_trivial_capsule_and_task_load(tmp_path: Path) -> None:
    capsule = trivial_capsule(tmp_path / "capsule", value=7, gpu=True)
    task_file = write_task_file(tmp_path / "tasks.json", [trivial_record("capsule-0000001", 7, "capsule")])
    task = load_task(task_file)
    assert task.capsule == str(capsule) and task.results[0] == {QUESTION: 7}
    assert uses_gpu(capsule) and not uses_gpu(trivial_capsule(tmp_path / "cpu"))


def test_corebench_tarball_and_record_have_the_official_shape(tmp_path: Path) -> None:
    example = load_task(STEADY[0])
    record = corebench_record(example, "capsule-1234567")
    assert tuple(record) == PUBLISHED_KEYS
    (tmp_path / "core.json").write_text(json.dumps([record]))
    assert load_tasks(tmp_path / "core.json").tasks[0].capsule_id == "capsule-1234567"
    archive = corebench_tarball(Path(example.capsule or ""), "capsule-1234567", tmp_path / "capsules")
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "capsule-1234567/REPRODUCING.md" in names and "capsule-1234567/environment/Dockerfile" in names
    assert any(name.startswith("capsule-1234567/results/") for name in names)
