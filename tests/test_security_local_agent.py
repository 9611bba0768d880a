"""The agent's bash keeps its own PID namespace while its background jobs live on: a key planted in the
runner's environment cannot be found from it (issue 16.4, local backend)."""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reproducer.agent.limits import AgentLimits
from reproducer.agent.tools import ToolContext, make_toolbox
from reproducer.sandbox import LocalSandbox, RunLimits, bwrap_problem
from reproducer.tasks.model import Task

pytestmark = pytest.mark.skipif(bwrap_problem() is not None, reason=f"bubblewrap unusable: {bwrap_problem()}")

TASK = Task(capsule_id="capsule-agent", task_prompt="Run it.", questions=["Report the answer."])
KEY = "sk-ant-planted-0c4e7d1f"
HUNT = (
    "for f in /proc/*/environ /proc/*/task/*/environ; do tr '\\0' '\\n' < $f 2>/dev/null; done"
    f" | grep -c {KEY}"
    f"; grep -rl {KEY} /proc/*/cmdline /tmp $HOME 2>/dev/null | head; ls /proc | grep -c '^[0-9]'"
)


@pytest.fixture
def context(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ToolContext]:
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    capsule = tmp_path / "run" / "workspace" / TASK.capsule_id
    (capsule / "code").mkdir(parents=True)
    limits = RunLimits(term_grace_seconds=1)
    sandbox = LocalSandbox(
        capsule, tmp_path / "run" / "logs", use_bwrap=True, keep_background=True, limits=limits
    )
    try:
        yield ToolContext(TASK, tmp_path / "run", capsule, sandbox, AgentLimits(command_timeout_s=30))
    finally:
        sandbox.stop()


def bash(context: ToolContext, command: str) -> str:
    call: dict[str, Any] = {"type": "tool_use", "id": "t", "name": "bash", "input": {"command": command}}
    record, _ = make_toolbox(context).call(call)
    return record.output


def test_the_planted_key_is_out_of_reach_while_background_jobs_run(context: ToolContext) -> None:
    assert os.environ["ANTHROPIC_API_KEY"] == KEY
    launched = bash(context, "nohup sleep 300 > job.log 2>&1 & echo started")
    assert "started" in launched

    output = bash(context, f"({HUNT}; pgrep -c sleep) > hunt.txt")
    assert output.startswith("exit code 0"), output
    matches, *rest = (context.capsule_dir / "hunt.txt").read_text().split()
    assert matches == "0", rest
    visible, sleeping = int(rest[-2]), int(rest[-1])
    # bubblewrap's init, the supervisor, the job, and this command's shells: no process of the host.
    assert visible < 10 and sleeping == 2, output
