"""The bench with the LLM agent against a fake Messages API on 127.0.0.1: dollars are counted per task and
across the run, the dollar cap stops new tasks (running ones finish), and raising it resumes the run."""

import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from fake_anthropic import FakeAnthropic, message, tool_use
from test_bench_support import STEADY, reproducer_env, run_cli

from reproducer.agent.model import AssistantTurn
from reproducer.agent.scripted import make_turn, text_block
from reproducer.bench.spending import BenchCancelled, CountedModel, Spending
from reproducer.tasks.load import load_task

MODEL = "claude-sonnet-5-5"
SECRET = "sk-ant-test-0123456789abcdef"
# 1,000 input + 200 output tokens at $2 / $10 per million: $0.004 per call.
USAGE = {"input_tokens": 1000, "output_tokens": 200}
COST_PER_CALL = 0.004


def submit(path: Path, number: int) -> Any:
    truth = load_task(path).results[0]
    return message([tool_use("submit", {"answers": truth}, f"toolu_{number:02d}")], usage=USAGE, model=MODEL)


@pytest.mark.slow
def test_the_dollar_cap_stops_new_tasks_and_a_higher_cap_resumes(tmp_path: Path) -> None:
    files = STEADY[:3]
    out = tmp_path / "run"
    common = ["bench", "tasks", *map(str, files), "--level", "easy", "-j", "1", "--agent", "claude"]
    common += ["--model", MODEL, "--out", str(out), "--json"]
    with FakeAnthropic([submit(path, number) for number, path in enumerate(files)]) as fake:
        env = reproducer_env(tmp_path / "cache", ANTHROPIC_API_KEY=SECRET, ANTHROPIC_BASE_URL=fake.url)
        capped = run_cli([*common, "--max-total-usd", "0.006"], env)
        calls_when_capped = len(fake.requests)
        resumed = run_cli([*common, "--max-total-usd", "1"], env)

    assert capped.returncode == 1, capped.stderr
    first = json.loads(capped.stdout)
    assert first["budget_reached"] and first["not_started"] == ["capsule-fertilizer-blocks-r"]
    assert calls_when_capped == 2, "the second task started below the cap and finished above it"
    assert (
        first["scores"]["cost_usd"] == pytest.approx(2 * COST_PER_CALL)
        and first["scores"]["not_run"] == first["not_started"]
    )
    assert first["resume"] is not None and "--max-total-usd" in first["resume"]

    assert resumed.returncode == 0, resumed.stderr
    second = json.loads(resumed.stdout)
    assert second["earlier_results"] == 2 and second["scores"]["statuses"]["correct"] == 3
    assert second["scores"]["cost_usd"] == pytest.approx(3 * COST_PER_CALL)
    result = json.loads((out / "results" / "capsule-fertilizer-blocks-r.json").read_text())
    assert result["cost_usd"] == pytest.approx(COST_PER_CALL) and result["agent_steps"] == 1
    upload = next((out / "exports" / "hal").glob("*_UPLOAD.json"))
    hal = json.loads(upload.read_text())
    assert hal["total_cost"] == pytest.approx(3 * COST_PER_CALL) and hal["task_step_counts"] == dict.fromkeys(
        ["capsule-bp-trial-permutation", "capsule-diabetes-logreg", "capsule-fertilizer-blocks-r"], 1
    )
    for path in out.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


class SlowModel:
    """A model that takes a while per call and records how many calls overlap."""

    name = "slow"

    def __init__(self) -> None:
        self.active = self.most = 0
        self.lock = threading.Lock()

    def query(
        self,
        system: str,
        messages: list[dict[str, Any]],
        tools: list[dict[str, Any]],
        tool_choice: dict[str, Any] | None = None,
    ) -> AssistantTurn:
        with self.lock:
            self.active += 1
            self.most = max(self.most, self.active)
        time.sleep(0.05)
        with self.lock:
            self.active -= 1
        return make_turn([text_block("ok")], cost_usd=0.25)


def test_model_calls_share_the_connection_limit_and_are_counted_and_cancelled() -> None:
    inner, spending, cancel = SlowModel(), Spending(recorded=1.0, cap=3.0), threading.Event()
    connections = threading.Semaphore(2)
    models = [CountedModel(inner, connections, spending, cancel) for _ in range(6)]
    threads = [threading.Thread(target=model.query, args=("s", [], [])) for model in models]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert inner.most == 2, "never more calls at once than connections"
    assert spending.spent == pytest.approx(1.0 + 6 * 0.25) and not spending.exhausted()
    spending.add(0.5)
    assert spending.exhausted()
    cancel.set()
    with pytest.raises(BenchCancelled):
        models[0].query("s", [], [])
