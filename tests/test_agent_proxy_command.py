"""A `cmd:` agent reaches the model proxy from inside the sandbox, which has no network: through a unix
socket in the capsule's `.agent/` and the forwarder on the sandbox's own loopback.

The agent is a shell script running Python with the real anthropic SDK (copied into the capsule from
this environment, since the sandbox sees nothing else of the host), pointed at the proxy by the
variables the forwarder sets. It asks the fake Claude API three times, then answers; refused (402), it
stops without a report. Under bubblewrap and in a Docker container the calls are counted and priced in
the run directory, and `--max-cost-usd` stops the agent that overspends; the key stays on the host.
"""

import json
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import Distribution, distribution
from pathlib import Path
from typing import Any

import pytest
from fake_anthropic import FakeAnthropic, SeenRequest, api_key, message, text
from packaging.requirements import Requirement

from reproducer.agent.limits import AgentLimits
from reproducer.agent.models.registry import ModelChoice, open_model
from reproducer.agent.outcome import CostLimit, Submitted
from reproducer.agent.own import parse_own_agent
from reproducer.agent.solve import AgentResult
from reproducer.capsules.stage import stage_capsule
from reproducer.sandbox import LocalSandbox
from reproducer.sandbox.base import Sandbox
from reproducer.tasks.load import load_task
from reproducer.tasks.model import Task

FIXTURE = Path(__file__).parent / "fixtures" / "agent" / "figure-bars"
KEY = "sk-ant-api03-proxy-command-test-0123456789"
SDK_FOLDER = ".sdk"
# Each call: 1,000 input and 200 output tokens on claude-haiku-4-5 ($1 / $5 per million) = $0.002.
USAGE = {"input_tokens": 1000, "output_tokens": 200}
COST_PER_CALL = 0.002

AGENT = """#!/bin/sh
# A brought agent: the anthropic SDK finds the proxy in ANTHROPIC_BASE_URL, set by the forwarder.
echo "key in the sandbox: $ANTHROPIC_API_KEY; model: $REPRODUCER_MODEL"
PYTHONPATH="$PWD/.sdk" exec python3 - <<'PY'
import json, os, sys
import anthropic

client = anthropic.Anthropic(max_retries=0)
questions = [line[2:] for line in open("task.txt").read().splitlines() if line.startswith("- ")]
said = ""
for _ in range(3):
    try:
        reply = client.messages.create(
            model=os.environ["REPRODUCER_MODEL"], max_tokens=100, messages=[{"role": "user", "content": "?"}]
        )
    except anthropic.APIStatusError as error:
        print("refused:", error.status_code, error.body, flush=True)
        sys.exit(3)
    said = reply.content[0].text
json.dump({question: said for question in questions}, open("report.json", "w"))
PY
"""


def copy_sdk(target: Path, name: str = "anthropic") -> None:
    """The installed distribution `name` and what it requires, copied as they are into `target`."""
    seen: dict[str, Distribution] = {}
    wanted = [name]
    while wanted:
        found = distribution(wanted.pop())
        if found.metadata["Name"].lower() in seen:
            continue
        seen[found.metadata["Name"].lower()] = found
        for line in found.requires or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                wanted.append(requirement.name)
    for found in seen.values():
        for file in found.files or []:
            source = Path(str(found.locate_file(file)))
            if source.is_file() and ".." not in file.parts:
                (target / file).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target / file)


@pytest.fixture(scope="module")
def sdk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sdk")
    copy_sdk(folder)
    return folder


@pytest.fixture
def task() -> Task:
    return load_task(FIXTURE / "task.yaml", None)


@pytest.fixture
def staged(tmp_path: Path, task: Task, sdk: Path) -> tuple[Path, Path]:
    run_dir = tmp_path / "run"
    capsule_dir = stage_capsule(FIXTURE / "capsule", "hard", run_dir / "workspace", task=task).capsule_dir
    shutil.copytree(sdk, capsule_dir / SDK_FOLDER)
    return run_dir, capsule_dir


@pytest.fixture(params=["bwrap", "docker"])
def sandbox(request: pytest.FixtureRequest, staged: tuple[Path, Path]) -> Iterator[Sandbox]:
    run_dir, capsule_dir = staged
    box: Any
    if request.param == "docker":
        request.getfixturevalue("docker_client")  # skipped where no engine answers (not in CI)
        from reproducer.docker.sandbox import DockerSandbox

        box = DockerSandbox(
            capsule_dir,
            run_dir / "logs",
            image="reproducer/python:3.11",
            run_id=f"test-{uuid.uuid4().hex[:8]}",
            task_id="proxy",
        )
    else:
        box = LocalSandbox(capsule_dir, run_dir / "logs")
        if box.sandbox_kind != "bwrap":
            pytest.skip("bubblewrap cannot run here")
    try:
        yield box
    finally:
        box.stop()


@dataclass
class Ran:
    result: AgentResult
    seen: list[SeenRequest]  # what reached the fake API
    statuses: list[int]  # each call's status in the run's model_proxy.jsonl
    logs: str  # the agent's stdout and stderr


def solve(task: Task, staged: tuple[Path, Path], sandbox: Sandbox, tmp_path: Path, cap_usd: float) -> Ran:
    run_dir, capsule_dir = staged
    script = tmp_path / "agent.sh"
    script.write_text(AGENT)
    script.chmod(0o755)
    agent = parse_own_agent(f"cmd:{script}")
    assert agent is not None
    replies = [message([text(f"answer {index}")], usage=USAGE) for index in range(3)]
    with FakeAnthropic(replies) as fake:
        model = open_model("anthropic/claude-haiku-4-5", ModelChoice(base_url=fake.url))
        result = agent.solve(task, run_dir, capsule_dir, sandbox, AgentLimits(dollars=cap_usd), model=model)
    calls = [json.loads(line) for line in (run_dir / "model_proxy.jsonl").read_text().splitlines()]
    logs = "".join(path.read_text() for path in (run_dir / "logs").glob("*-agent.std*"))
    return Ran(result, list(fake.requests), [call["status"] for call in calls], logs)


@pytest.mark.slow
def test_a_command_agent_calls_the_proxy_from_the_sandbox_and_is_priced(
    task: Task, staged: tuple[Path, Path], sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    ran = solve(task, staged, sandbox, tmp_path, cap_usd=1.0)
    run_dir, capsule_dir = staged

    assert isinstance(ran.result.outcome, Submitted), ran.result.outcome
    assert set(ran.result.outcome.answers.values()) == {"answer 2"}
    assert len(ran.seen) == 3 and all(api_key(seen.headers) == KEY for seen in ran.seen), "our key upstream"
    assert ran.result.steps == 3 and ran.result.cost_usd == pytest.approx(3 * COST_PER_CALL)
    assert ran.statuses == [200] * 3
    assert "key in the sandbox: reproducer-model-proxy; model: claude-haiku-4-5" in ran.logs
    assert not (capsule_dir / ".agent").exists(), "the socket, forwarder and program are removed"
    for path in run_dir.rglob("*"):
        if path.is_file() and SDK_FOLDER not in path.parts:
            assert KEY.encode() not in path.read_bytes(), path


@pytest.mark.slow
def test_the_cost_cap_stops_a_command_agent_that_overspends(
    task: Task, staged: tuple[Path, Path], sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A $0.003 cap: the first two calls pass ($0.004 spent), the third is refused and the agent stops."""
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    ran = solve(task, staged, sandbox, tmp_path, cap_usd=0.003)

    assert isinstance(ran.result.outcome, CostLimit), ran.result.outcome
    assert len(ran.seen) == 2, "the third call was refused by the proxy, not forwarded"
    assert ran.result.steps == 2 and ran.result.cost_usd == pytest.approx(2 * COST_PER_CALL)
    assert ran.statuses == [200, 200, 402]
    assert "refused: 402" in ran.logs and "cost_limit" in ran.logs
