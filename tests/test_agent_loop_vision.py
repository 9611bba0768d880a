"""A vision question answered after view_image on a figure the capsule drew in a real pipeline run."""

import base64
import io
import json
from pathlib import Path

import pytest
from PIL import Image

from reproducer.agent.outcome import Submitted
from reproducer.agent.scripted import ScriptedModel, tool_turn
from reproducer.agent.solve import AgentRun, merged_report, solve_with_agent
from reproducer.backends.local import local_agent_sandbox
from reproducer.grading import grade
from reproducer.pipeline.run import run_capsule
from reproducer.tasks.load import load_task

FIXTURE = Path(__file__).parent / "fixtures" / "agent" / "figure-bars"
HEIGHT = "Report the height of the blue bar in pixels."
COLOUR = "From the figure, report the colour of the taller bar."


@pytest.mark.slow
def test_the_figure_reaches_the_model_as_an_image_and_the_answer_is_graded_correct(tmp_path: Path) -> None:
    task = load_task(FIXTURE / "task.yaml", None)
    run_dir = tmp_path / "run"
    run_capsule(FIXTURE / "capsule", task, run_dir, cache_root=tmp_path / "cache")
    offline = json.loads((run_dir / "report.json").read_text())
    assert offline == {HEIGHT: 60, COLOUR: None}  # the written question is answered offline, the figure not
    capsule_dir = run_dir / "workspace" / task.capsule_id

    model = ScriptedModel(
        [
            tool_turn(
                "view_image", {"path": "results/bars.png"}, text="The colour question needs the figure."
            ),
            tool_turn(
                "submit", {"answers": {HEIGHT: 60, COLOUR: "red"}}, text="The left, red bar is taller."
            ),
        ]
    )
    sandbox, installer = local_agent_sandbox(run_dir, capsule_dir)
    try:
        result = solve_with_agent(AgentRun(task, run_dir, capsule_dir, sandbox, model, installer=installer))
    finally:
        sandbox.stop()

    assert isinstance(result.outcome, Submitted)
    assert grade(task, merged_report(task, result, offline), "official").correct
    # The first message pointed at the figure and at the offline answer.
    first = model.calls[0].messages[0]["content"][0]["text"]
    assert "`results/bars.png` (PNG, 240x200 px)" in first
    assert "Offline answer: 60" in first and "results/heights.txt (line 2)" in first
    # The second request carried the figure itself, as a PNG image block inside the tool result.
    tool_result = model.calls[1].messages[-1]["content"][0]
    assert tool_result["type"] == "tool_result" and "is_error" not in tool_result
    text, image, budget = tool_result["content"]
    assert budget["text"].startswith("[budget left: ")
    assert text["text"] == "results/bars.png (PNG 240x200 px), shown at 240x200 px:"
    shown = Image.open(io.BytesIO(base64.b64decode(image["source"]["data"]))).convert("RGB")
    assert shown.getpixel((60, 190)) == (220, 30, 30) and shown.getpixel((160, 190)) == (30, 60, 220)
    # The trajectory names the figure but holds no image bytes.
    saved = (run_dir / "trajectory.json").read_text()
    assert image["source"]["data"][:200] not in saved
    trajectory = json.loads(saved)
    placeholder = trajectory["messages"][2]["content"][0]["content"][1]["source"]
    assert placeholder["type"] == "omitted" and placeholder["path"] == "results/bars.png"
    assert trajectory["steps"][0]["tool_calls"][0]["images"][0]["path"] == "results/bars.png"
