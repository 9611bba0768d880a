"""`--executor ray`: two examples on a local Ray runtime (one per test session, 2 CPUs) score exactly as
with the local executor, their run directories sent back and unpacked; a resume runs nothing; and on a
two-node cluster on this machine, one node killed mid-run, every task ends present exactly once."""

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_bench_resume import assert_each_task_once, slow_task_file, strays
from test_bench_support import (
    EXAMPLES,
    QUESTION,
    reproducer_env,
    run_cli,
    trivial_capsule,
    trivial_record,
    write_task_file,
)

from reproducer.agent.limits import AgentLimits
from reproducer.agent.model import AssistantTurn
from reproducer.agent.scripted import ScriptedModel, tool_turn
from reproducer.agent.settings import AgentSettings
from reproducer.bench.config import BenchConfig
from reproducer.bench.executor import ExecutorFactory, ExecutorSetup, LocalExecutor
from reproducer.bench.facts import own_capsule
from reproducer.bench.ray_executor import (
    SANDBOX_RESOURCE,
    UV_RUN_HOOK,
    RayExecutor,
    RayOptions,
    pack_run_dir,
    unpack_run_dir,
)
from reproducer.bench.resume import prepare
from reproducer.bench.runner import BenchOutcome, BenchRequest, run_bench
from reproducer.bench.scheduler import Display
from reproducer.bench.selection import BenchTask, bench_tasks
from reproducer.errors import BadInput
from reproducer.rundir.bench_layout import BenchDir
from reproducer.rundir.stamp import SCHEMA_VERSION, unstamped
from reproducer.sandbox.limits import GIB
from reproducer.tasks.load import load_task, load_tasks

pytestmark = pytest.mark.slow
CPUS = 2
TWO_EXAMPLES = [path for path in EXAMPLES if path.parent.name in ("diabetes-logreg", "sorting-notebook")]
NODE_KILL_WAIT_S = 120.0
SLOW_WORK_S = 12
# What differs between two runs of the same tasks (when, how long, which run), left out of the comparison.
TIMES = {"started_at", "finished_at", "seconds", "prepare_seconds", "run_seconds", "task_seconds"}


@pytest.fixture(scope="session")
def ray_runtime() -> Iterator[None]:
    os.environ.setdefault(UV_RUN_HOOK, "0")  # before Ray's import, see RayExecutor
    import ray

    ray.init(
        num_cpus=CPUS,
        resources={SANDBOX_RESOURCE: CPUS},
        include_dashboard=False,
        log_to_driver=False,
        configure_logging=False,
    )
    yield
    ray.shutdown()


def run(
    out: Path, executor: ExecutorFactory, jobs: int = CPUS, max_memory_gb: float | None = None
) -> BenchOutcome:
    tasks = [load_task(path) for path in TWO_EXAMPLES]
    config = BenchConfig(
        command="tasks",
        dataset="examples",
        dataset_sha256="0",
        level="easy",
        agent="offline",
        command_timeout_s=120,
    )
    request = BenchRequest(
        out=out,
        config=config,
        tasks=bench_tasks(tasks, repeats=1, no_vision=False),
        resolve=own_capsule,
        agent=lambda: None,
        level="easy",
        backend="local",
        command_timeout_s=120,
        jobs=jobs,
        max_connections=jobs,
        max_total_usd=None,
        command_line=["test"],
        executor=executor,
        max_memory_gb=max_memory_gb,
    )
    return run_bench(request, lambda _tally: Display())


def without_times(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: without_times(item) for key, item in value.items() if key not in TIMES}
    if isinstance(value, list):
        return [without_times(item) for item in value]
    return value


def test_a_node_killed_mid_run_loses_and_doubles_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ray.cluster_utils import Cluster

    # The nodes' processes inherit this process's environment: the cache, and no uv-run packaging.
    env = {**reproducer_env(tmp_path / "cache"), UV_RUN_HOOK: "0"}
    for name in ("REPRODUCER_CACHE", UV_RUN_HOOK):
        monkeypatch.setenv(name, env[name])
    records = [
        trivial_record(
            f"capsule-node-{n}", n, str(trivial_capsule(tmp_path / f"capsule-{n}", value=n, sleep_s=3))
        )
        for n in (1, 2, 3)
    ]
    task_file = write_task_file(tmp_path / "tasks.json", records)
    out = tmp_path / "run"
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 0})
    try:
        nodes = [cluster.add_node(num_cpus=1, resources={SANDBOX_RESOURCE: 1}) for _ in range(2)]
        cluster.wait_for_nodes()
        args = ["bench", "tasks", str(task_file), "--level", "hard", "--executor", "ray"]
        args += ["--ray-address", cluster.address, "--out", str(out), "--json"]
        runner = subprocess.Popen(
            [sys.executable, "-m", "reproducer", *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + NODE_KILL_WAIT_S
        while not (out / "tasks").is_dir() or len(list((out / "tasks").iterdir())) < 2:
            if runner.poll() is not None or time.monotonic() > deadline:
                runner.kill()
                pytest.fail(f"two tasks never started: {runner.communicate()[1].decode()[-3000:]}")
            time.sleep(0.1)
        cluster.remove_node(nodes[0], allow_graceful=False)  # a task is cut off on it
        stdout, stderr = runner.communicate(timeout=NODE_KILL_WAIT_S)
    finally:
        cluster.shutdown()
    assert runner.returncode == 0, stderr.decode()
    keys = {record["capsule_id"] for record in records}
    bench_dir = BenchDir(out)
    assert bench_dir.finished_keys() == keys
    scores = json.loads(stdout)["scores"]
    assert scores["counted"] == len(keys) and scores["statuses"]["correct"] == len(keys), scores
    for key in keys:
        assert json.loads(bench_dir.result(key).read_text())["run_dir"] == f"tasks/{key}"
        assert (bench_dir.task_dir(key) / "summary.json").is_file()
    cut_off = [path.name for path in bench_dir.tasks.glob("*.interrupted-*")]
    assert len(cut_off) == 1 and cut_off[0].split(".interrupted-")[0] in keys, cut_off


def test_ctrl_c_cancels_the_ray_tasks_and_a_local_run_resumes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = f"{random.randint(100000, 999999)}.{random.randint(1, 9)}"
    task_file = slow_task_file(tmp_path, count=2, sleep_s=8.0, token=token)
    out = tmp_path / "run"
    env = {**reproducer_env(tmp_path / "cache"), UV_RUN_HOOK: "0"}
    args = ["bench", "tasks", str(task_file), "--level", "hard", "-j", "2", "--out", str(out)]
    runner = subprocess.Popen(
        [sys.executable, "-m", "reproducer", *args, "--executor", "ray"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + NODE_KILL_WAIT_S
        # Both capsules are running: each one's background job carries the token (a process working in
        # RUNDIR may be the first task's alone, the second still starting).
        while sum(token in found for found in strays(out, token)) < 2:
            if runner.poll() is not None or time.monotonic() > deadline:
                runner.kill()
                pytest.fail(f"the tasks never ran: {runner.communicate()[1][-3000:]}")
            time.sleep(0.2)
        runner.send_signal(signal.SIGINT)
        stdout, stderr = runner.communicate(timeout=NODE_KILL_WAIT_S)
    finally:
        if runner.poll() is None:
            runner.kill()
    assert runner.returncode == 130, stderr
    assert "2 running tasks cancelled" in stdout, stdout
    assert BenchDir(out).finished_keys() == set()
    assert strays(out, token) == [], "the cancelled tasks' processes are killed on their node"

    resumed = run_cli([*args, "--json"], env)  # the executor is not part of the configuration
    assert resumed.returncode == 0, resumed.stderr
    assert_each_task_once(out, {"capsule-slow-1", "capsule-slow-2"})
    assert len(list((out / "tasks").glob("*.interrupted-1"))) == 2


def apart(setup: ExecutorSetup) -> RayExecutor:
    """As on a cluster without a shared file system: each run directory comes back as an archive."""
    return RayExecutor(setup, RayOptions(shared=False))


def test_ray_scores_as_local_and_sends_run_directories_back(
    ray_runtime: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The executor forwards REPRODUCER_* to the tasks of a runtime on this host.
    monkeypatch.setenv("REPRODUCER_CACHE", str(tmp_path / "cache"))
    local = run(tmp_path / "local", LocalExecutor)
    remote = run(tmp_path / "ray", apart)
    assert remote.scores.statuses["correct"] == len(TWO_EXAMPLES) == len(remote.dispatched.results)
    assert without_times(remote.scores.model_dump()) == without_times(local.scores.model_dump())
    bench_dir = BenchDir(tmp_path / "ray")
    for result in remote.dispatched.results:
        written = json.loads(bench_dir.result(result.key).read_text())
        assert unstamped(written) == unstamped(result.model_dump(mode="json"))
        assert written["schema_version"] == SCHEMA_VERSION
        assert written["run_dir"] == f"tasks/{result.key}"
        assert (bench_dir.root / written["run_dir"] / "summary.json").is_file()
        assert (bench_dir.root / written["run_dir"] / "answers.json").is_file()
    assert sorted(path.name for path in bench_dir.tasks.iterdir()) == sorted(bench_dir.finished_keys())

    again = run(tmp_path / "ray", apart)
    assert again.earlier == len(TWO_EXAMPLES) and again.dispatched.results == []


def test_a_run_directory_comes_back_whole_and_a_half_unpacked_one_is_removed(tmp_path: Path) -> None:
    node = BenchDir(tmp_path / "node")
    (node.task_dir("capsule-1") / "env" / "bin").mkdir(parents=True)
    (node.task_dir("capsule-1") / "summary.json").write_text("{}")
    (node.task_dir("capsule-1") / "env" / "bin" / "python").symlink_to(sys.executable)  # as in a venv
    packed = pack_run_dir(node.task_dir("capsule-1"), "capsule-1")
    assert packed is not None
    driver = BenchDir(tmp_path / "driver")
    unpack_run_dir(driver, "capsule-1", packed)
    assert (driver.task_dir("capsule-1") / "summary.json").read_text() == "{}"
    assert (driver.task_dir("capsule-1") / "env" / "bin" / "python").readlink() == Path(sys.executable)
    assert sorted(path.name for path in driver.tasks.iterdir()) == ["capsule-1"]

    (driver.tasks / ".incoming-capsule-2-x1y2" / "capsule-2").mkdir(parents=True)  # a driver stopped here
    prepare(driver, ["capsule-2"], backend="local", run_id=None)
    assert sorted(path.name for path in driver.tasks.iterdir()) == ["capsule-1"]


def spending_agent(messages: list[dict[str, Any]]) -> AssistantTurn:
    """A scripted agent that spends: the task marked SLOW spends $1 at once, then works for a while; the
    others spend a cent while they work a little; each then submits its capsule's value."""
    slow = "SLOW" in json.dumps(messages[0])
    if len(messages) == 1:
        sleep = SLOW_WORK_S if slow else 3
        return tool_turn("bash", {"command": f"sleep {sleep}"}, cost_usd=1.0 if slow else 0.01)
    value = int(re.findall(r"value (\d+)", json.dumps(messages[0]))[0])
    return tool_turn("submit", {"answers": {QUESTION: value}}, cost_usd=0.0)


def spending_settings() -> AgentSettings:
    return AgentSettings(model=ScriptedModel([spending_agent] * 4), limits=AgentLimits(steps=6))


def test_the_dollar_cap_counts_what_running_ray_tasks_spend(
    ray_runtime: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ray import cloudpickle

    # The tasks' agent is made on the node: this module's functions travel by value, not by import.
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    monkeypatch.setenv("REPRODUCER_CACHE", str(tmp_path / "cache"))
    records = []
    for n in (1, 2, 3):
        record = trivial_record(f"capsule-spend-{n}", n, str(trivial_capsule(tmp_path / f"c{n}", value=n)))
        record["task_prompt"] += f" The value {n}." + (" SLOW" if n == 1 else "")
        records.append(record)
    tasks = load_tasks(write_task_file(tmp_path / "tasks.json", records)).tasks
    config = BenchConfig(
        command="tasks",
        dataset="spend",
        dataset_sha256="0",
        level="hard",
        agent="claude",
        command_timeout_s=120,
    )
    request = BenchRequest(
        out=tmp_path / "run",
        config=config,
        tasks=bench_tasks(tasks, repeats=1, no_vision=False),
        resolve=own_capsule,
        agent=spending_settings,
        level="hard",
        backend="local",
        command_timeout_s=120,
        jobs=2,
        max_connections=2,
        max_total_usd=0.5,
        command_line=["test"],
        executor=apart,
    )
    outcome = run_bench(request, lambda _tally: Display())
    # The slow task passed the cap while it ran: when the quick one finished, no third task started.
    assert outcome.dispatched.budget_reached
    assert outcome.dispatched.not_started == ["capsule-spend-3"]
    costs = {result.key: result.cost_usd for result in outcome.dispatched.results}
    assert costs == {"capsule-spend-1": pytest.approx(1.0), "capsule-spend-2": pytest.approx(0.01)}
    assert outcome.scores.cost_usd == pytest.approx(1.01)


def test_ray_reserves_each_tasks_memory_and_refuses_more_than_a_node_has(
    ray_runtime: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPRODUCER_CACHE", str(tmp_path / "cache"))
    reserved: list[dict[str, Any]] = []

    class Watched(RayExecutor):
        def _resources(self, item: BenchTask) -> dict[str, Any]:
            reserved.append(super()._resources(item))
            return reserved[-1]

    outcome = run(tmp_path / "ray", lambda setup: Watched(setup, RayOptions(shared=False)), max_memory_gb=0.5)
    assert outcome.scores.statuses["correct"] == len(TWO_EXAMPLES)
    assert [wanted["memory"] for wanted in reserved] == [GIB // 2] * len(TWO_EXAMPLES)
    with pytest.raises(BadInput, match="no Ray node has that much memory"):
        run(tmp_path / "too-much", apart, max_memory_gb=100_000)
