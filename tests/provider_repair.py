"""The missing-six repair session each provider's test plays through its own SDK and fake server (the
scripted-model version, for the loop and resume tests, is `repair_session`).

The capsule's requirements forget `six`: the pipeline's run fails, and the scripted model reads the log,
installs six, reruns the code, searches the outputs and submits the top match, graded correct.
"""

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reproducer.agent.model import Model
from reproducer.agent.outcome import Submitted
from reproducer.agent.solve import AgentResult, AgentRun, merged_report, solve_with_agent
from reproducer.backends.local import local_agent_sandbox
from reproducer.grading import grade
from reproducer.pipeline.run import run_capsule
from reproducer.tasks.load import load_task
from reproducer.tasks.model import Task

SIX = Path(__file__).parent / "fixtures" / "agent" / "missing-six"
# The calls before the submission, as (tool, arguments); `{log}` is the failed run's stderr log.
STEPS = [
    ("read_file", {"path": "{log}"}),
    ("install", {"packages": ["six"]}),
    ("bash", {"command": "cd code && python main.py"}),
    ("search_outputs", {"query": "mean validation accuracy"}),
]
TOP_MATCH = re.compile(r"^1\. (\S+) \(printed", re.MULTILINE)


@dataclass
class Staged:
    task: Task
    run_dir: Path
    capsule_dir: Path
    stderr_log: str

    @property
    def question(self) -> str:
        return self.task.questions[0]

    def steps(self) -> list[tuple[str, dict[str, Any]]]:
        return [
            (name, json.loads(json.dumps(args).replace("{log}", self.stderr_log))) for name, args in STEPS
        ]

    def submission(self, last_output: str) -> dict[str, Any]:
        """The `submit` arguments answering with the top match the search printed."""
        found = TOP_MATCH.search(last_output)
        assert found, last_output
        return {"answers": {self.question: float(found.group(1))}}


def stage(tmp_path: Path) -> Staged:
    """The capsule run by the pipeline (its run fails for want of six), ready for the agent."""
    task = load_task(SIX / "task.yaml", None)
    run_dir = tmp_path / "run"
    summary = run_capsule(SIX / "capsule", task, run_dir, cache_root=tmp_path / "cache")
    capsule_dir = run_dir / "workspace" / task.capsule_id
    return Staged(task, run_dir, capsule_dir, str(run_dir / str(summary.commands[0].stderr_path)))


def solve_and_grade(staged: Staged, model: Model) -> AgentResult:
    """Our agent on a local sandbox with `model`; asserts it submitted and was graded correct."""
    sandbox, installer = local_agent_sandbox(staged.run_dir, staged.capsule_dir)
    try:
        run = AgentRun(staged.task, staged.run_dir, staged.capsule_dir, sandbox, model, installer=installer)
        result = solve_with_agent(run)
    finally:
        sandbox.stop()
    assert isinstance(result.outcome, Submitted), result.outcome
    offline = json.loads((staged.run_dir / "report.json").read_text())
    assert grade(staged.task, merged_report(staged.task, result, offline), "official").correct
    return result
