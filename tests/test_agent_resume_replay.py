"""Resume and replay of an agent's run, on the scripted repair of a capsule that forgets `six`.

Resume: the pipeline runs the session in a subprocess that is killed (SIGKILL) when the model is asked
for its third turn; `resume_capsule` goes on from trajectory.json with a model holding the rest of the
script, and the run ends with the answers of an uninterrupted run, its cost counted once. The same
through the CLI with the real SDK against the fake API: an API failure ends the first part.
Replay: the uninterrupted run's tool calls made again without a model, on the local backend (through the
CLI) and in Docker.
"""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fake_anthropic import FakeAnthropic, message, tool_use, unauthorized
from repair_session import FIXTURE, LIMITS, QUESTION, TURN_USD, repair_turns

from reproducer.agent.scripted import ScriptedModel
from reproducer.agent.settings import AgentSettings
from reproducer.pipeline.replay import compare, replay_run
from reproducer.pipeline.resume import resume_capsule
from reproducer.pipeline.run import run_capsule
from reproducer.tasks.load import load_task

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
TASK_FILE = FIXTURE / "task.yaml"
CALLS = ["read_file", "install", "bash", "search_outputs", "submit"]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory, cache: Path) -> Path:
    """The uninterrupted scripted repair: a correct run whose trajectory holds five steps."""
    run_dir = tmp_path_factory.mktemp("recorded") / "run"
    task = load_task(TASK_FILE, None)
    agent = AgentSettings(model=ScriptedModel(repair_turns()), limits=LIMITS)
    summary = run_capsule(FIXTURE / "capsule", task, run_dir, cache_root=cache, agent=agent)
    assert summary.status == "correct" and summary.agent is not None and summary.agent.steps == 5
    return run_dir


def trajectory(run_dir: Path) -> dict[str, Any]:
    return dict(json.loads((run_dir / "trajectory.json").read_text()))


def test_an_agent_killed_after_two_steps_resumes_to_the_uninterrupted_answers(
    recorded: Path, cache: Path, tmp_path: Path
) -> None:
    run_dir = tmp_path / "run"
    script = [sys.executable, str(TESTS / "repair_session.py"), str(TASK_FILE), str(run_dir), str(cache), "3"]
    env = {**os.environ, "PYTHONPATH": str(TESTS)}
    killed = subprocess.run(script, env=env, capture_output=True, text=True, timeout=900, check=False)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    before = trajectory(run_dir)
    assert before["outcome"] is None and len(before["steps"]) == 2
    assert before["totals"]["cost_usd"] == pytest.approx(2 * TURN_USD)

    task = load_task(TASK_FILE, None)
    model = ScriptedModel(repair_turns()[2:])
    summary = resume_capsule(run_dir, task, AgentSettings(model=model, limits=LIMITS), cache_root=cache)

    assert summary.status == "correct"
    report = json.loads((run_dir / "report.json").read_text())
    assert report == json.loads((recorded / "report.json").read_text()) == {QUESTION: 0.8261}
    assert summary.agent is not None and summary.agent.outcome == "submitted"
    assert summary.agent.steps == 5 and summary.agent.cost_usd == pytest.approx(5 * TURN_USD)
    # The conversation was rebuilt: the first resumed request holds both earlier steps and their results,
    # and the budget counts them.
    first = model.calls[0].messages
    assert [m["role"] for m in first] == ["user", "assistant", "user", "assistant", "user"]
    assert "installed six" in json.dumps(first[-1])
    assert "[budget left: 58 model calls" in json.dumps(first[-1])
    after = trajectory(run_dir)
    assert [call["name"] for step in after["steps"] for call in step["tool_calls"]] == CALLS
    assert after["steps"][:2] == before["steps"], "the first part's steps are kept as they were"
    assert after["outcome"]["kind"] == "submitted"
    assert after["totals"]["steps"] == 5 and after["totals"]["cost_usd"] == pytest.approx(5 * TURN_USD)


def bash_output(run_dir: Path) -> str:
    steps = trajectory(run_dir)["steps"]
    return next(
        str(call["output"]) for step in steps for call in step["tool_calls"] if call["name"] == "bash"
    )


def test_in_docker_a_killed_agent_resumed_ends_as_an_uninterrupted_one(
    cache: Path, tmp_path: Path, docker_client: Any
) -> None:
    task = load_task(TASK_FILE, None)
    whole_dir = tmp_path / "whole"
    agent = AgentSettings(model=ScriptedModel(repair_turns()), limits=LIMITS)
    whole = run_capsule(FIXTURE / "capsule", task, whole_dir, cache_root=cache, agent=agent, backend="docker")
    run_dir = tmp_path / "run"
    script = [sys.executable, str(TESTS / "repair_session.py"), str(TASK_FILE), str(run_dir), str(cache), "3"]
    env = {**os.environ, "PYTHONPATH": str(TESTS)}
    killed = subprocess.run(
        [*script, "docker"], env=env, capture_output=True, text=True, timeout=900, check=False
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert len(trajectory(run_dir)["steps"]) == 2

    model = ScriptedModel(repair_turns()[2:])
    resumed = resume_capsule(run_dir, task, AgentSettings(model=model, limits=LIMITS), cache_root=cache)

    assert resumed.backend == whole.backend == "docker"
    assert json.loads((run_dir / "report.json").read_text()) == json.loads(
        (whole_dir / "report.json").read_text()
    )
    assert resumed.agent is not None and whole.agent is not None
    assert (resumed.agent.outcome, resumed.agent.steps) == (whole.agent.outcome, whole.agent.steps)
    assert resumed.agent.cost_usd == pytest.approx(whole.agent.cost_usd)
    names = [[call["name"] for call in step["tool_calls"]] for step in trajectory(run_dir)["steps"]]
    assert names == [[call["name"] for call in step["tool_calls"]] for step in trajectory(whole_dir)["steps"]]
    # The resumed agent's command ran in a new container over the same image, as the uninterrupted one's did.
    assert compare(bash_output(whole_dir), bash_output(run_dir), whole_dir, run_dir)[0] != "differs"


MODEL = "claude-sonnet-5-5"
USAGE = {"input_tokens": 1000, "output_tokens": 200}
# $2 / $10 per million tokens: 1,000 in + 200 out is $0.004 a call.
CALL_USD = 0.004


def run_cli(fake: FakeAnthropic, *arguments: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ANTHROPIC_API_KEY": "sk-ant-test-resume", "ANTHROPIC_BASE_URL": fake.url}
    command = [sys.executable, "-m", "reproducer", "run", "--task", str(TASK_FILE), "--model", MODEL]
    command += ["--json", *arguments]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=600, check=False)


def test_run_resume_goes_on_after_an_api_failure_with_the_real_sdk(tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    search = tool_use("search_outputs", {"query": "mean validation accuracy"}, "toolu_01")
    with FakeAnthropic([message([search], usage=USAGE, model=MODEL), unauthorized()]) as fake:
        first = run_cli(fake, "--level", "easy", "--out", str(run_dir))
    assert json.loads(first.stdout)["agent"]["outcome"] == "infra_error", first.stderr
    submit = tool_use("submit", {"answers": {QUESTION: 0.8261}}, "toolu_02")
    with FakeAnthropic([message([submit], usage=USAGE, model=MODEL)]) as fake:
        resumed = run_cli(fake, "--resume", str(run_dir))
        seen = list(fake.requests)

    assert resumed.returncode == 0, resumed.stderr
    summary = json.loads(resumed.stdout)
    assert summary["status"] == "correct"
    assert summary["agent"]["steps"] == 2 and summary["agent"]["cost_usd"] == pytest.approx(2 * CALL_USD)
    sent = seen[0].body["messages"]
    assert len(seen) == 1 and sent[1]["content"][0]["id"] == "toolu_01"
    assert sent[2]["content"][0]["tool_use_id"] == "toolu_01", "the search result went back to the model"
    # A run that submitted is finished: resuming it again is refused with a clear error.
    with FakeAnthropic([]) as fake:
        again = run_cli(fake, "--resume", str(run_dir))
    assert again.returncode != 0 and "nothing to resume" in again.stderr and "Traceback" not in again.stderr


def test_replay_on_the_local_backend_gives_the_recorded_answers(recorded: Path, tmp_path: Path) -> None:
    out = tmp_path / "replay"
    command = [sys.executable, "-m", "reproducer", "replay", str(recorded), "--task", str(TASK_FILE)]
    completed = subprocess.run(
        [*command, "--out", str(out), "--json"], capture_output=True, text=True, timeout=900, check=False
    )
    assert completed.returncode == 0, completed.stderr
    report = json.loads(completed.stdout)
    assert [call["name"] for call in report["calls"]] == CALLS
    assert report["backend"] == "local"
    assert report["same_answers"] and report["correct"] is True
    where = "workspace/capsule-agent-missing-six/results/metrics.txt (line 1)"
    assert report["recorded_evidence"] == report["replayed_evidence"] == {QUESTION: where}
    assert report["replayed_answers"] == {QUESTION: 0.8261}
    matches = {call["name"]: call["match"] for call in report["calls"]}
    print(json.dumps(report["calls"], indent=1))
    assert matches["read_file"] == "exact"
    assert all(match != "differs" for name, match in matches.items() if name != "install"), matches
    assert json.loads((out / "replay.json").read_text())["same_answers"]


def test_replay_in_docker_runs_the_calls_in_a_container(
    recorded: Path, tmp_path: Path, docker_client: Any
) -> None:
    task = load_task(TASK_FILE, None)
    report = replay_run(recorded, task, tmp_path / "replay", backend="docker")
    print(report.model_dump_json(indent=1))
    assert report.backend == "docker"
    assert [call.name for call in report.calls] == CALLS
    assert report.calls[0].match == "exact"
    # The submit repeats the recorded values, so the same answers are submitted either way; the replay
    # reproduces them because the repair works in the container too: the install (its output names the
    # container's environment, not the recorded local one), then the rerun.
    assert report.same_answers and report.recorded_evidence[QUESTION] is not None
    install = next(call for call in report.calls if call.name == "install")
    assert not install.replayed_error and "/opt/venv" in install.diff
    assert report.reproduced and report.replayed_evidence[QUESTION] is not None
