"""`reproducer run --agent claude` end to end: the real CLI and the real SDK against a fake Messages API.

The fake server on 127.0.0.1 plays the model (ANTHROPIC_BASE_URL points the SDK at it): the agent
searches the outputs, then submits. The run is graded, the trajectory written, the cost computed
from usage, and the API key appears in no record.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from fake_anthropic import FakeAnthropic, api_key, message, tool_use

from reproducer.tasks.load import load_task

ROOT = Path(__file__).resolve().parent.parent
TASK_FILE = ROOT / "tasks" / "diabetes-logreg" / "task.yaml"
SECRET = "sk-ant-test-0123456789abcdef"
MODEL = "claude-sonnet-5-5"
# Two calls of 1,000 input + 200 output tokens at $2 / $10 per million: 2 * (0.002 + 0.002) = $0.008.
USAGE = {"input_tokens": 1000, "output_tokens": 200}
EXPECTED_COST = 0.008


def run_cli(fake: FakeAnthropic, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ANTHROPIC_API_KEY": SECRET, "ANTHROPIC_BASE_URL": fake.url}
    command = [sys.executable, "-m", "reproducer", "run", "--task", str(TASK_FILE), "--level", "easy"]
    command += ["--model", MODEL, "--out", str(out), "--json", *extra]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)


def test_the_agent_submits_and_the_run_is_graded_correct(tmp_path: Path) -> None:
    truth = load_task(TASK_FILE).results[0]
    replies = [
        message(
            [tool_use("search_outputs", {"query": "test accuracy"}, "toolu_01")], usage=USAGE, model=MODEL
        ),
        message([tool_use("submit", {"answers": truth}, "toolu_02")], usage=USAGE, model=MODEL),
    ]
    with FakeAnthropic(replies) as fake:
        completed = run_cli(fake, tmp_path / "run")
        seen = list(fake.requests)

    assert completed.returncode == 0, completed.stderr
    summary = json.loads(completed.stdout)
    assert summary["status"] == "correct"
    assert summary["answerer"] == summary["agent"]["model"] == f"anthropic/{MODEL}"
    assert summary["agent"]["outcome"] == "submitted" and summary["agent"]["steps"] == 2
    assert abs(summary["agent"]["cost_usd"] - EXPECTED_COST) < 1e-9

    assert len(seen) == 2 and all(api_key(request.headers) == SECRET for request in seen)
    tools = {tool["name"] for tool in seen[0].body["tools"]}
    # Easy builds no environment, so there is nothing to install into and no `install` tool.
    assert tools == {"bash", "read_file", "list_files", "search_outputs", "view_image", "submit"}
    second = seen[1].body["messages"]
    assert second[-1]["content"][0]["type"] == "tool_result", "the search result went back to the model"

    run_dir = tmp_path / "run"
    trajectory = json.loads((run_dir / "trajectory.json").read_text())
    assert trajectory, "the trajectory is written"
    for path in run_dir.rglob("*"):
        if path.is_file() and path.stat().st_size < 50_000_000:
            assert SECRET.encode() not in path.read_bytes(), path


def test_without_a_key_the_run_says_it_is_offline(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key != "ANTHROPIC_API_KEY"}
    command = [sys.executable, "-m", "reproducer", "run", "--task", str(TASK_FILE), "--level", "easy"]
    command += ["--out", str(tmp_path / "run")]
    completed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert completed.returncode == 0, completed.stderr
    assert "offline answerer: no LLM" in completed.stderr


def test_an_unknown_model_fails_at_start_with_exit_2(tmp_path: Path) -> None:
    with FakeAnthropic([]) as fake:
        completed = run_cli(fake, tmp_path / "run", "--agent", "claude", "--model", "claude-unknown-9")
        assert not fake.requests
    assert completed.returncode == 2
    assert "no price for model 'claude-unknown-9'" in completed.stderr and "Traceback" not in completed.stderr
    assert not (tmp_path / "run").exists(), "nothing ran"
