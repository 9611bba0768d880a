"""The scripted repair of tests/fixtures/agent/missing-six as a reusable session: read the requirements,
install `six`, rerun the code, search the outputs, submit the top match. Each turn costs $0.01.

Run as a script (`python repair_session.py TASK RUNDIR CACHE KILL_AT [BACKEND]`), it runs the pipeline
with this session and kills its own process with SIGKILL when the model is asked for turn KILL_AT
(1-based).
"""

import os
import re
import signal
import sys
from pathlib import Path
from typing import Any

from reproducer.agent.limits import AgentLimits
from reproducer.agent.model import AssistantTurn
from reproducer.agent.scripted import ScriptedTurn, text_turn, tool_turn

FIXTURE = Path(__file__).parent / "fixtures" / "agent" / "missing-six"
QUESTION = "Report the mean validation accuracy of the classifier."
TURN_USD = 0.01


def _last_output(messages: list[dict[str, Any]]) -> str:
    result = messages[-1]["content"][0]
    return str(result["content"][0]["text"])


def submit_the_top_match(messages: list[dict[str, Any]]) -> AssistantTurn:
    """Submit the value of the first search_outputs match, as a model reading the result would; without
    one (the repair failed: no installer), a reply that says so and calls no tool."""
    found = re.search(r"^1\. (\S+) \(printed", _last_output(messages), re.MULTILINE)
    if found is None:
        return text_turn("The outputs hold no such value.", cost_usd=TURN_USD)
    return tool_turn("submit", {"answers": {QUESTION: float(found.group(1))}}, cost_usd=TURN_USD)


def repair_turns() -> list[ScriptedTurn]:
    return [
        tool_turn("read_file", {"path": "code/requirements.txt"}, cost_usd=TURN_USD),
        tool_turn("install", {"packages": ["six"]}, cost_usd=TURN_USD),
        tool_turn("bash", {"command": "cd code && python main.py"}, cost_usd=TURN_USD),
        tool_turn("search_outputs", {"query": "mean validation accuracy"}, cost_usd=TURN_USD),
        submit_the_top_match,
    ]


def killed_at(turn: int) -> list[ScriptedTurn]:
    """The session up to turn `turn` (1-based), where the process is killed as if by the OOM killer."""

    def kill(_messages: list[dict[str, Any]]) -> AssistantTurn:
        os.kill(os.getpid(), signal.SIGKILL)
        raise AssertionError("unreachable")

    return [*repair_turns()[: turn - 1], kill]


LIMITS = AgentLimits()

if __name__ == "__main__":
    from reproducer.agent.scripted import ScriptedModel
    from reproducer.agent.settings import AgentSettings
    from reproducer.pipeline.run import run_capsule
    from reproducer.tasks.load import load_task

    task_file, run_dir, cache, kill_at = sys.argv[1:5]
    backend = sys.argv[5] if len(sys.argv) > 5 else "local"
    task = load_task(Path(task_file), None)
    agent = AgentSettings(model=ScriptedModel(killed_at(int(kill_at))), limits=LIMITS)
    run_capsule(
        FIXTURE / "capsule",
        task,
        Path(run_dir),
        cache_root=Path(cache),
        agent=agent,
        backend=backend,  # type: ignore[arg-type]
    )
