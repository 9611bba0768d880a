"""A whole run of a hostile capsule, on both backends: at run time it links results/ to a planted host
secret and to the runner's /proc/self/environ (holding a secret key), names a link `figure.png`, and
leaves a fifo and a /dev/zero link. Nothing of the secrets reaches facts.jsonl, answers.json,
report.json, the HTML report, `show` or the agent's file tools; the run finishes in seconds."""

import json
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from reproducer.agent.limits import AgentLimits
from reproducer.agent.tools import ToolContext, make_toolbox
from reproducer.cli import app
from reproducer.pipeline.run import run_capsule
from reproducer.report import write_report_html
from reproducer.sandbox import LocalSandbox
from reproducer.tasks.model import Task

SECRET = "AKIA-planted-secret-7f3a9c"
QUESTION = "Report the accuracy."
MAIN = """\
import os
os.makedirs("../results", exist_ok=True)
links = {{"environ.txt": "/proc/self/environ", "secret.txt": {secret!r}, "figure.png": {secret!r},
         "zero.txt": "/dev/zero", "kmsg.log": "/proc/kmsg"}}
for name, target in links.items():
    os.symlink(target, os.path.join("../results", name))
os.mkfifo("../results/pipe.txt")
print("accuracy: 0.93")
"""


def _hostile_capsule(root: Path, secret: Path) -> Path:
    capsule = root / "capsule"
    for folder in ("code", "data", "results"):
        (capsule / folder).mkdir(parents=True)
    (capsule / "code" / "main.py").write_text(MAIN.format(secret=str(secret)))
    run = capsule / "code" / "run"
    run.write_text("#!/usr/bin/env bash\nset -e\npython main.py\n")
    run.chmod(0o755)
    return capsule


def _run(tmp_path: Path, backend: Any, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)  # what the runner's /proc/self/environ holds
    secret = tmp_path / "host" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(f"aws_secret_access_key = {SECRET}\n")
    secret.chmod(0o600)
    task = Task(capsule_id="capsule-hostile-links", task_prompt="Run it.", results=[{QUESTION: 0.93}] * 3)
    out = tmp_path / "run"
    started = time.monotonic()
    run_capsule(_hostile_capsule(tmp_path, secret), task, out, cache_root=tmp_path / "cache", backend=backend)
    assert time.monotonic() - started < 300
    return out


def _assert_contained(out: Path) -> None:
    for name in ("facts.jsonl", "answers.json", "report.json", "summary.json"):
        assert SECRET not in (out / name).read_text(), name
    assert json.loads((out / "report.json").read_text()) == {QUESTION: 0.93}
    steps = json.loads((out / "summary.json").read_text())["steps"]
    harvested = next(step["detail"] for step in steps if step["name"] == "harvest")
    assert (
        "results/environ.txt: not read: a symlink to /proc/self/environ, outside the workspace" in harvested
    )
    html = out / "report.html"
    write_report_html(out, html)
    assert SECRET not in html.read_text()
    shown = CliRunner().invoke(app, ["show", str(out)])
    assert shown.exit_code == 0 and SECRET not in shown.stdout

    capsule = out / "workspace" / "capsule-hostile-links"
    assert (capsule / "results" / "environ.txt").is_symlink()  # the capsule did lay its traps
    assert (capsule / "results" / "pipe.txt").is_fifo()
    sandbox = LocalSandbox(capsule, out / "logs", use_bwrap=False)
    task = Task(capsule_id="capsule-hostile-links", task_prompt="Run it.", questions=[QUESTION])
    toolbox = make_toolbox(ToolContext(task, out, capsule, sandbox, AgentLimits()))
    for tool, path in [
        ("read_file", "results/environ.txt"),
        ("read_file", "results/secret.txt"),
        ("read_file", "results/pipe.txt"),
        ("read_file", "results/zero.txt"),
        ("view_image", "results/figure.png"),
    ]:
        started = time.monotonic()
        record, _ = toolbox.call({"type": "tool_use", "id": "t", "name": tool, "input": {"path": path}})
        assert record.is_error and SECRET not in record.output, (tool, path, record.output)
        assert time.monotonic() - started < 10
    listed, _ = toolbox.call(
        {"type": "tool_use", "id": "t", "name": "list_files", "input": {"path": "results"}}
    )
    assert SECRET not in listed.output


def test_a_hostile_capsule_on_the_local_backend_leaks_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _assert_contained(_run(tmp_path, "local", monkeypatch))


@pytest.mark.slow
def test_a_hostile_capsule_on_docker_leaks_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, docker_client: Any
) -> None:
    _assert_contained(_run(tmp_path, "docker", monkeypatch))
