"""`reproducer show RUNDIR` prints a run for a person: the pipeline's steps and answers with their
provenance, then every agent step with its text, tool calls, output excerpts, cost and the outcome."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reproducer.agent.model import Usage
from reproducer.agent.scripted import ScriptedModel, text_turn, tool_turn
from reproducer.agent.solve import AgentRun, solve_with_agent
from reproducer.backends.local import local_agent_sandbox
from reproducer.pipeline.run import run_capsule
from reproducer.tasks.load import load_task

FIXTURE = Path(__file__).parent / "fixtures" / "agent" / "figure-bars"
HEIGHT = "Report the height of the blue bar in pixels."
COLOUR = "From the figure, report the colour of the taller bar."


def show(run_dir: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reproducer", "show", str(run_dir), *options],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "200"},
    )


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """An offline run of the figure capsule, and a copy of it an agent then finished."""
    root = tmp_path_factory.mktemp("show")
    task = load_task(FIXTURE / "task.yaml", None)
    offline = root / "offline"
    run_capsule(FIXTURE / "capsule", task, offline, cache_root=root / "cache")
    agent = root / "agent"
    shutil.copytree(offline, agent, symlinks=True)
    capsule_dir = agent / "workspace" / task.capsule_id
    usage = Usage(input_tokens=1200, output_tokens=80, cache_read_tokens=900)
    model = ScriptedModel(
        [
            text_turn("Let me look first.", usage=usage, cost_usd=0.0123),
            tool_turn("view_image", {"path": "results/bars.png"}, text="Opening the figure.", usage=usage),
            tool_turn("bash", {"command": "cat results/heights.txt"}, usage=usage, cost_usd=0.002),
            tool_turn("submit", {"answers": {HEIGHT: 60, COLOUR: "red"}}, text="The red bar is taller."),
        ]
    )
    sandbox, installer = local_agent_sandbox(agent, capsule_dir)
    try:
        solve_with_agent(AgentRun(task, agent, capsule_dir, sandbox, model, installer=installer))
    finally:
        sandbox.stop()
    return offline, agent


@pytest.mark.slow
def test_show_prints_an_agent_run_step_by_step(runs: tuple[Path, Path]) -> None:
    done = show(runs[1])
    assert done.returncode == 0, done.stderr
    out = done.stdout
    expected_in_order = [
        "== run of capsule-agent-figure-bars (hard): incorrect ==",
        "  run python main.py: ok",
        "== offline answers (1 answered) ==",
        "    -> 60 from workspace/capsule-agent-figure-bars/results/heights.txt (line 2)",
        "== agent: scripted, 4 calls, $0.0143 ==",
        "step 1: ",
        "$0.0123 (input 1200, output 80, cache_read 900)",
        "    Let me look first.",
        "    format error: no tool call (stop reason: end_turn)",
        "step 2: ",
        "  > view_image (",
        '{"path": "results/bars.png"}',
        "    [image results/bars.png, 240x200 px]",
        "step 3: ",
        "  > bash (",
        "    exit code 0",
        "    red bar height: 150",
        "step 4: ",
        "    The red bar is taller.",
        "  > submit (",
        "outcome: submitted: submitted 2 answers",
    ]
    position = 0
    for line in expected_in_order:
        found = out.find(line, position)
        assert found >= 0, f"{line!r} missing after position {position} in:\n{out}"
        position = found + len(line)


@pytest.mark.slow
def test_show_prints_an_offline_run_with_provenance(runs: tuple[Path, Path]) -> None:
    done = show(runs[0], "--chars", "80")
    assert done.returncode == 0, done.stderr
    assert "== run of capsule-agent-figure-bars (hard): incorrect ==" in done.stdout
    assert "  command `python main.py` in code/: ok, exit 0" in done.stdout
    assert "    -> 60 from workspace/capsule-agent-figure-bars/results/heights.txt (line 2)" in done.stdout
    assert f"  {COLOUR}\n    -> none" in done.stdout
    assert "No agent trajectory: an offline run." in done.stdout
    assert '"Report the height of the blue bar in pixels.": 60' in done.stdout


def test_show_refuses_a_folder_that_is_no_run(tmp_path: Path) -> None:
    done = show(tmp_path)
    assert done.returncode == 2
    assert "not a run directory" in done.stderr and "Traceback" not in done.stderr
