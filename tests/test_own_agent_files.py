"""Agents the user brings read the workspace as the backend session serves it (`Backend.files`), like ours:
a function agent that takes `files` gets the session's `WorkspaceFiles`, and a command agent's report.json
is read through them, so a report.json left as a link to a file of this host is refused, not followed."""

import json
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from reproducer.agent.limits import AgentLimits
from reproducer.agent.outcome import NoReport, Submitted
from reproducer.agent.own import parse_own_agent
from reproducer.backends.local import LocalBackend
from reproducer.sandbox.base import Sandbox
from reproducer.tasks.model import Task

QUESTION = "Report the accuracy."
LIMITS = AgentLimits(wall_seconds=60)


@pytest.fixture
def capsule(tmp_path: Path) -> Path:
    capsule = tmp_path / "workspace" / "capsule"
    (capsule / "results").mkdir(parents=True)
    (capsule / "results" / "metrics.txt").write_text("accuracy 0.875\n", encoding="utf-8")
    return capsule


@pytest.fixture
def session(capsule: Path, tmp_path: Path) -> Iterator[tuple[LocalBackend, Sandbox]]:
    backend = LocalBackend(tmp_path / "cache")
    sandbox = backend.sandbox(capsule, tmp_path / "run", "own-files")
    try:
        yield backend, sandbox
    finally:
        sandbox.stop()
        backend.close()


def task() -> Task:
    return Task(capsule_id="capsule-own-files", task_prompt="Read the accuracy.", results=[{QUESTION: 0.875}])


def test_a_function_agent_that_takes_files_reads_the_sessions_workspace(
    capsule: Path, tmp_path: Path, session: tuple[LocalBackend, Sandbox], monkeypatch: pytest.MonkeyPatch
) -> None:
    backend, sandbox = session
    (tmp_path / "modules").mkdir()
    (tmp_path / "modules" / "files_agent.py").write_text(
        textwrap.dedent(
            """
            def solve(task, workspace, sandbox, files):
                listed = [entry.path for entry in files.walk("results", depth=1)]
                value = files.read("results/metrics.txt", 1000).split()[1]
                return {task.questions[0]: float(value), "listed": listed}
            """
        ),
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path / "modules"))
    agent = parse_own_agent("py:files_agent:solve")
    assert agent is not None
    run_dir = tmp_path / "run"
    files = backend.files(capsule)
    result = agent.solve(task(), run_dir, capsule, sandbox, LIMITS, files=files)
    assert isinstance(result.outcome, Submitted), result.outcome
    assert result.answers == {QUESTION: 0.875, "listed": ["results/metrics.txt"]}


def test_a_command_agents_report_that_links_out_of_the_workspace_is_refused(
    capsule: Path, tmp_path: Path, session: tuple[LocalBackend, Sandbox]
) -> None:
    backend, sandbox = session
    host_file = tmp_path / "host-secret.json"
    host_file.write_text(json.dumps({QUESTION: "a file of the host"}), encoding="utf-8")
    program = tmp_path / "agent.sh"
    program.write_text(f"#!/bin/sh\nln -s {host_file} report.json\n", encoding="utf-8")
    program.chmod(0o755)
    agent = parse_own_agent(f"cmd:{program}")
    assert agent is not None
    result = agent.solve(task(), tmp_path / "run", capsule, sandbox, LIMITS, files=backend.files(capsule))
    assert isinstance(result.outcome, NoReport), result.outcome
    assert "report.json was not read" in result.outcome.detail and result.answers is None


def test_a_command_agents_report_is_read_through_the_files(
    capsule: Path, tmp_path: Path, session: tuple[LocalBackend, Sandbox]
) -> None:
    backend, sandbox = session
    program = tmp_path / "agent.sh"
    program.write_text(
        f"#!/bin/sh\nprintf '{{\"{QUESTION}\": 0.875}}' > report.json\n",
        encoding="utf-8",
    )
    program.chmod(0o755)
    agent = parse_own_agent(f"cmd:{program}")
    assert agent is not None
    result = agent.solve(task(), tmp_path / "run", capsule, sandbox, LIMITS, files=backend.files(capsule))
    assert isinstance(result.outcome, Submitted) and result.answers == {QUESTION: 0.875}, result.outcome
