"""Agents the user brings, run by `reproducer bench tasks` over two examples and graded like ours.

A shell script (`--agent cmd:...`) runs inside the sandbox in the staged capsule, reads task.txt and
leaves report.json; a Python function (`--agent py:...`) is called with the task, the workspace and a
sandbox. Each answers from a table of answers it was written with: the script rightly, the function
wrongly on one task, so the grades show that the agent's answers, not the offline ones, were graded.
"""

import json
import os
from pathlib import Path
from typing import Any

import pytest
from test_bench_support import EXAMPLES, reproducer_env, run_cli

from reproducer.tasks.load import load_task

FILES = EXAMPLES[:2]
WRONG_TASK = "capsule-bp-trial-permutation"

SCRIPT = """#!/bin/sh
# A brought agent: it checks it stands in the capsule, then answers the questions task.txt lists.
set -e
test -d results
echo "agent in $(basename "$(pwd)") with args: $*"
python3 - <<'PY'
import json
known = json.loads('''{known}''')
questions = [line[2:] for line in open("task.txt").read().splitlines() if line.startswith("- ")]
json.dump({{q: known[q] for q in questions if q in known}}, open("report.json", "w"))
PY
echo "wrote report.json" >&2
"""

FUNCTION = """
import json
KNOWN = json.loads('''{known}''')

def solve(task, workspace, sandbox):
    listed = sandbox.exec("ls results", timeout=30, log_name="own-ls")
    assert listed.ok and (workspace / "results").is_dir(), listed.stderr
    answers = {{q: KNOWN[q] for q in task.questions}}
    if task.capsule_id == "{wrong}":
        answers = {{q: "not the answer" for q in answers}}
    return answers
"""


def known_answers() -> dict[str, Any]:
    known: dict[str, Any] = {}
    for path in FILES:
        known |= load_task(path).results[0]
    return known


def bench(tmp_path: Path, agent: str, **env: str) -> tuple[dict[str, Any], Path]:
    out = tmp_path / "bench"
    args = ["bench", "tasks", *map(str, FILES), "--level", "easy", "-j", "1", "--agent", agent]
    completed = run_cli([*args, "--out", str(out), "--json"], reproducer_env(tmp_path / "cache", **env))
    assert completed.returncode in (0, 1), completed.stderr
    return json.loads(completed.stdout), out


def results(out: Path) -> dict[str, dict[str, Any]]:
    return {path.stem: json.loads(path.read_text()) for path in (out / "results").glob("*.json")}


def test_a_shell_script_agent_is_run_in_the_sandbox_and_graded(tmp_path: Path) -> None:
    script = tmp_path / "my agent.sh"
    script.write_text(SCRIPT.format(known=json.dumps(known_answers()).replace("'", "\\'")))
    script.chmod(0o755)

    outcome, out = bench(tmp_path, f"cmd:'{script}' --fast")

    assert outcome["scores"]["statuses"]["correct"] == 2, outcome
    by_task = results(out)
    assert set(by_task) == {load_task(path).capsule_id for path in FILES}
    config = json.loads((out / "config.json").read_text())["config"]
    assert config["agent"].startswith("cmd:") and config["model"] is None
    for capsule_id in by_task:
        task_dir = next(
            path for path in (out / "tasks").rglob("summary.json") if capsule_id in str(path)
        ).parent
        summary = json.loads((task_dir / "summary.json").read_text())
        assert summary["agent"]["outcome"] == "submitted" and summary["agent"]["model"].startswith("cmd:")
        answers = json.loads((task_dir / "answers.json").read_text())
        assert {item["source"] for item in answers["final"]} == {"agent"}, "graded on the agent's answers"
        logs = "".join(path.read_text() for path in (task_dir / "logs").glob("*-agent.std*"))
        assert "agent in" in logs and "--fast" in logs and "wrote report.json" in logs
        assert not (task_dir / "workspace" / capsule_id / ".agent").exists(), "the program copy is removed"


def test_a_python_function_agent_is_called_with_a_sandbox_and_graded(tmp_path: Path) -> None:
    modules = tmp_path / "modules"
    modules.mkdir()
    source = FUNCTION.format(known=json.dumps(known_answers()).replace("'", "\\'"), wrong=WRONG_TASK)
    (modules / "my_agent.py").write_text(source)
    path = os.pathsep.join([str(modules), os.environ.get("PYTHONPATH", "")])

    outcome, out = bench(tmp_path, "py:my_agent:solve", PYTHONPATH=path)

    statuses = {capsule_id: result["status"] for capsule_id, result in results(out).items()}
    assert statuses[WRONG_TASK] == "incorrect", statuses
    assert list(statuses.values()).count("correct") == 1, statuses
    assert outcome["scores"]["statuses"]["correct"] == 1


def test_an_agent_that_is_not_there_is_refused_at_start(tmp_path: Path) -> None:
    args = ["bench", "tasks", str(FILES[0]), "--level", "easy", "--agent", "cmd:/no/such/agent.sh"]
    completed = run_cli([*args, "--out", str(tmp_path / "bench")], reproducer_env(tmp_path / "cache"))
    assert completed.returncode == 2
    assert "no program at /no/such/agent.sh" in completed.stderr and "Traceback" not in completed.stderr


PROXIED = """
import openai

def solve(task, workspace, sandbox, model):
    client = openai.OpenAI(base_url=model.base_url, api_key="the agent needs no key of ours")
    for _ in range(3):
        try:
            client.chat.completions.create(model=model.model, messages=[{"role": "user", "content": "hi"}])
        except openai.APIStatusError as error:
            assert error.status_code == 402, error
            return None  # out of money, like an agent that stops when refused
    return {}
"""


def test_the_model_proxy_counts_a_function_agents_cost_and_the_cap_stops_it(tmp_path: Path) -> None:
    """Each call costs 1,000 prompt and 200 completion tokens on gpt-4o ($2.50 / $10 per million): $0.0045.
    With a $0.008 cap the first two calls go through ($0.009 spent) and the third is refused."""
    from fake_openai import FakeOpenAI, completion

    modules = tmp_path / "modules"
    modules.mkdir()
    (modules / "proxied_agent.py").write_text(PROXIED)
    usage = {"prompt_tokens": 1000, "completion_tokens": 200}
    key = "sk-proj-proxy-test-0123456789abcdef"
    with FakeOpenAI([completion(text="hello", usage=usage) for _ in range(3)]) as fake:
        out = tmp_path / "bench"
        args = ["bench", "tasks", str(FILES[0]), "--level", "easy", "--agent", "py:proxied_agent:solve"]
        args += [
            "--model",
            "openai/gpt-4o",
            "--base-url",
            fake.url,
            "--model-proxy",
            "--max-cost-usd",
            "0.008",
        ]
        env = reproducer_env(tmp_path / "cache", PYTHONPATH=str(modules), OPENAI_API_KEY=key)
        completed = run_cli([*args, "--out", str(out), "--json"], env)
        seen = list(fake.requests)

    assert completed.returncode in (0, 1), completed.stderr
    assert len(seen) == 2, "the third call was refused by the proxy, not forwarded"
    assert all(request.headers["authorization"] == f"Bearer {key}" for request in seen), (
        "our key, not the agent's"
    )
    (summary_path,) = (out / "tasks").rglob("summary.json")
    agent = json.loads(summary_path.read_text())["agent"]
    assert agent["outcome"] == "cost_limit" and agent["steps"] == 2
    assert agent["cost_usd"] == pytest.approx(2 * 0.0045)
    calls = [
        json.loads(line) for line in (summary_path.parent / "model_proxy.jsonl").read_text().splitlines()
    ]
    assert [call["status"] for call in calls] == [200, 200, 402]
    assert json.loads(completed.stdout)["scores"]["cost_usd"] == pytest.approx(0.009)
    for path in out.rglob("*"):
        if path.is_file():
            assert key.encode() not in path.read_bytes(), path


URLLIB_AGENT = """#!/bin/sh
# A brought agent without an SDK: it posts to the proxy the forwarder named, then answers what it said.
python3 - <<'PY'
import json, os, urllib.request
ask = [{"role": "user", "content": "?"}]
body = {"model": os.environ["REPRODUCER_MODEL"], "max_tokens": 10, "messages": ask}
request = urllib.request.Request(
    os.environ["ANTHROPIC_BASE_URL"] + "/v1/messages", data=json.dumps(body).encode(),
    headers={"content-type": "application/json", "x-api-key": os.environ["ANTHROPIC_API_KEY"]},
)
said = json.load(urllib.request.urlopen(request))["content"][0]["text"]
questions = [line[2:] for line in open("task.txt").read().splitlines() if line.startswith("- ")]
json.dump({question: said for question in questions}, open("report.json", "w"))
PY
"""


def test_a_command_agent_is_given_the_model_through_the_proxy_by_bench(tmp_path: Path) -> None:
    """`bench --agent cmd:... --model-proxy`: one call of 1,000 input and 200 output tokens on
    claude-haiku-4-5 ($1 / $5 per million) = $0.002, counted in the task's record and the bench's."""
    from fake_anthropic import FakeAnthropic, api_key, message, text

    script = tmp_path / "agent.sh"
    script.write_text(URLLIB_AGENT)
    script.chmod(0o755)
    key = "sk-ant-api03-bench-proxy-test-0123456789"
    reply = message([text("forty-two")], usage={"input_tokens": 1000, "output_tokens": 200})
    with FakeAnthropic([reply]) as fake:
        args = ["bench", "tasks", str(FILES[0]), "--level", "easy", "--agent", f"cmd:{script}"]
        args += ["--model", "claude-haiku-4-5", "--base-url", fake.url, "--model-proxy"]
        out = tmp_path / "bench"
        env = reproducer_env(tmp_path / "cache", ANTHROPIC_API_KEY=key)
        completed = run_cli([*args, "--out", str(out), "--json"], env)
        seen = list(fake.requests)

    assert completed.returncode in (0, 1), completed.stderr
    assert len(seen) == 1 and api_key(seen[0].headers) == key and seen[0].body["model"] == "claude-haiku-4-5"
    (summary_path,) = (out / "tasks").rglob("summary.json")
    agent = json.loads(summary_path.read_text())["agent"]
    assert agent["outcome"] == "submitted" and agent["steps"] == 1
    assert agent["cost_usd"] == pytest.approx(0.002)
    assert json.loads(completed.stdout)["scores"]["cost_usd"] == pytest.approx(0.002)
    final = json.loads((summary_path.parent / "answers.json").read_text())["final"]
    assert {item["value"] for item in final} == {"forty-two"}
