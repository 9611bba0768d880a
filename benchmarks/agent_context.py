"""How big the agent's requests grow: the request size at steps 60, 100 and 200 of a session whose
`bash` calls each print 50 KB, with the whole history sent (before) and with old tool outputs masked
(after, the default). The real loop, tools and local sandbox run; only the model is a stand-in that
measures each request and asks for the next 50 KB command.

Tokens are counted as characters / 4. Usage: scripts/with-uv python benchmarks/agent_context.py
"""

import sys
import tempfile
from pathlib import Path
from typing import Any

from reproducer.agent.history import Memory, request_chars
from reproducer.agent.limits import AgentLimits
from reproducer.agent.model import AssistantTurn
from reproducer.agent.scripted import tool_turn
from reproducer.agent.solve import solve_with_agent
from reproducer.capsules.stage import stage_capsule
from reproducer.sandbox import LocalSandbox
from reproducer.tasks.load import load_task

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "agent" / "figure-bars"
STEPS = 200
MEASURED = (60, 100, 200)
CHARS_PER_TOKEN = 4
# 50 KB of ordinary-looking log lines on stdout.
COMMAND = "yes 'epoch 7 batch 1200 loss 0.693147 accuracy 0.5012 lr 0.001' | head -c 51200"
# Everything sent whole, whatever its age: the loop as it was before masking.
WHOLE = Memory(keep=10**9)


class MeasuringModel:
    """Asks for COMMAND every call and notes the size of the request it was given, by step."""

    name = "measuring"

    def __init__(self, task_questions: list[str]) -> None:
        self.questions = task_questions
        self.sizes: dict[int, int] = {}

    def query(
        self,
        system: str,
        messages: list[dict[str, Any]],
        tools: list[dict[str, Any]],
        tool_choice: dict[str, Any] | None = None,
    ) -> AssistantTurn:
        step = len(self.sizes) + 1
        self.sizes[step] = request_chars(system, messages, tools)
        if step > STEPS or tool_choice is not None:
            return tool_turn("submit", {"answers": dict.fromkeys(self.questions, 0)})
        return tool_turn("bash", {"command": COMMAND}, text=f"Step {step}: run it again.")


def session(memory: Memory | None) -> dict[int, int]:
    task = load_task(FIXTURE / "task.yaml", None)
    with tempfile.TemporaryDirectory() as scratch:
        run_dir = Path(scratch) / "run"
        capsule_dir = stage_capsule(FIXTURE / "capsule", "hard", run_dir / "workspace", task=task).capsule_dir
        sandbox = LocalSandbox(capsule_dir, run_dir / "logs", keep_background=True)
        model = MeasuringModel(task.questions)
        try:
            limits = AgentLimits(steps=STEPS + 5, dollars=100.0, wall_seconds=36_000)
            solve_with_agent(task, run_dir, capsule_dir, sandbox, model, limits=limits, memory=memory)
        finally:
            sandbox.stop()
        return model.sizes


def main() -> None:
    before, after = session(WHOLE), session(None)
    print(f"request size (tokens = characters / {CHARS_PER_TOKEN}), bash printing 50 KB per call")
    print(f"{'step':>5} {'before':>12} {'after':>12}")
    for step in MEASURED:
        old, new = before[step] // CHARS_PER_TOKEN, after[step] // CHARS_PER_TOKEN
        print(f"{step:>5} {old:>12,} {new:>12,}")
    at_100 = after[100] // CHARS_PER_TOKEN
    print(f"step 100 after masking: {at_100:,} tokens ({'within' if at_100 <= 60_000 else 'OVER'} 60K)")
    sys.exit(0 if at_100 <= 60_000 else 1)


if __name__ == "__main__":
    main()
