"""Reading a trajectory back for resume and replay: the conversation ready to send, clear errors."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from reproducer.agent.resume import IMAGE_NOT_KEPT, SavedRun
from reproducer.agent.trajectory import TRAJECTORY_FORMAT
from reproducer.errors import BadInput
from reproducer.pipeline.replay import compare

ROOT = Path(__file__).resolve().parent.parent
TASK_FILE = ROOT / "tests" / "fixtures" / "agent" / "missing-six" / "task.yaml"


def write_trajectory(path: Path, messages: list[dict[str, object]], **extra: object) -> Path:
    data = {"format": TRAJECTORY_FORMAT, "messages": messages, "steps": [], "system": "sys"} | extra
    path.write_text(json.dumps(data))
    return path


def test_a_reply_whose_calls_never_ran_is_dropped_and_images_become_notes(tmp_path: Path) -> None:
    omitted = {"type": "omitted", "media_type": "image/png", "base64_chars": 10, "path": "results/fig.png"}
    result = {
        "type": "tool_result",
        "tool_use_id": "t1",
        "content": [
            {"type": "text", "text": "shown"},
            {"type": "image", "source": omitted},
            {"type": "text", "text": "[budget left: 3 model calls (this one included), $1.00, 9 min.]"},
        ],
    }
    messages = [
        {"role": "user", "content": [{"type": "text", "text": "task"}]},
        {
            "role": "assistant",
            "content": [{"type": "tool_use", "id": "t1", "name": "view_image", "input": {}}],
        },
        {"role": "user", "content": [result]},
        {"role": "assistant", "content": [{"type": "tool_use", "id": "t2", "name": "bash", "input": {}}]},
    ]
    saved = SavedRun(write_trajectory(tmp_path / "trajectory.json", messages, totals={"cost_usd": 0.5}))
    rebuilt = saved.messages()
    assert [m["role"] for m in rebuilt] == ["user", "assistant", "user"]
    # The note the dropped step was sent with goes too: the loop adds a fresh one when it goes on.
    assert rebuilt[2]["content"][0]["content"] == [
        {"type": "text", "text": "shown"},
        {"type": "text", "text": IMAGE_NOT_KEPT.format(path="results/fig.png")},
    ]
    assert saved.spent.cost_usd == 0.5 and saved.system == "sys"


@pytest.mark.parametrize(
    ("content", "problem"),
    [("{not json", "not a JSON trajectory"), ('{"format": "other"}', "not a reproducer-trajectory/1")],
)
def test_a_damaged_trajectory_is_named_with_its_problem(tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / "trajectory.json"
    path.write_text(content)
    with pytest.raises(BadInput, match=problem) as raised:
        SavedRun(path)
    assert str(path) in str(raised.value)


def test_outputs_differing_only_in_paths_and_durations_are_the_same() -> None:
    old, new = Path("/runs/a"), Path("/runs/b")
    recorded = "exit code 0 (after 1.2 s)\nstdout saved in /runs/a/logs/x.stdout\nResolved 1 package in 12ms"
    replayed = "exit code 0 (after 0.4 s)\nstdout saved in /runs/b/logs/x.stdout\nResolved 1 package in 3ms"
    assert compare(recorded, recorded, old, new) == ("exact", "")
    assert compare(recorded, replayed, old, new) == ("same", "")
    match, diff = compare("value 0.8261", "value 0.8262", old, new)
    assert match == "differs" and diff == "-value 0.8261\n+value 0.8262"


def test_replay_of_a_folder_that_is_no_run_fails_with_a_clear_error(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "reproducer", "replay", str(tmp_path), "--task", str(TASK_FILE)]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert completed.returncode == 2
    assert "trajectory.json" in completed.stderr and "Traceback" not in completed.stderr
