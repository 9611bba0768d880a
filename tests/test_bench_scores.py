"""Scores: the pass@k and pass^k estimators, the status of a run, what is counted, and repeats end to end."""

import itertools
import json
from math import comb
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_bench_support import STEADY, reproducer_env, run_cli

from reproducer.bench.passk import mean_over_tasks, pass_at_k, pass_hat_k
from reproducer.bench.scores import compute_scores
from reproducer.bench.selection import BenchTask, bench_tasks
from reproducer.errors import BadInput
from reproducer.grading import grade
from reproducer.report.render import tone
from reproducer.rundir.bench_result import TaskResult
from reproducer.rundir.statuses import bench_status
from reproducer.rundir.summary import AgentRecord, CommandRecord, RunSummary
from reproducer.tasks.model import Task

QUESTION = "Report the halfway value."
FIG_QUESTION = "Report the value in fig 1."


def test_pass_at_k_and_pass_hat_k_known_values() -> None:
    assert pass_at_k(5, 2, 1) == pytest.approx(0.4) and pass_hat_k(5, 2, 1) == pytest.approx(0.4)
    assert pass_at_k(5, 2, 2) == pytest.approx(1 - comb(3, 2) / comb(5, 2)) == pytest.approx(0.7)
    assert pass_hat_k(5, 2, 2) == pytest.approx(0.1)
    assert pass_at_k(3, 0, 2) == 0.0 and pass_hat_k(3, 3, 3) == 1.0
    assert pass_at_k(4, 1, 4) == 1.0 and pass_hat_k(4, 3, 4) == 0.0, "n == k: any correct, all correct"
    with pytest.raises(BadInput):
        pass_at_k(2, 1, 3)


@given(st.integers(1, 7).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n), st.integers(1, n))))
def test_the_estimators_are_the_means_over_every_draw_of_k_runs(case: tuple[int, int, int]) -> None:
    n, c, k = case
    runs = [True] * c + [False] * (n - c)
    draws = list(itertools.combinations(runs, k))
    assert pass_at_k(n, c, k) == pytest.approx(sum(any(d) for d in draws) / len(draws))
    assert pass_hat_k(n, c, k) == pytest.approx(sum(all(d) for d in draws) / len(draws))


def test_the_mean_over_tasks_skips_tasks_with_too_few_runs() -> None:
    assert mean_over_tasks([(2, 1), (1, 1)], 2, every=False) == pytest.approx(1.0)
    assert mean_over_tasks([(2, 1), (1, 1)], 1, every=True) == pytest.approx(0.75)
    assert mean_over_tasks([(1, 1)], 2, every=True) is None


def summary(**fields: Any) -> RunSummary:
    return RunSummary(run_dir="x", capsule_id="c", level="hard", backend="local", **fields)


def command(status: str) -> CommandRecord:
    return CommandRecord(command="python main.py", cwd="code", status=status, exit_code=None, seconds=1.0)


def agent(outcome: str) -> AgentRecord:
    return AgentRecord(model="m", outcome=outcome, steps=3, cost_usd=1.0, seconds=2.0)


def test_a_run_maps_to_the_first_cause_of_its_failure() -> None:
    assert bench_status(summary(status="correct", commands=[command("timeout")])) == "correct"
    assert bench_status(summary(status="incorrect", answered=2, agent=agent("cost_limit"))) == "cost_limit"
    assert bench_status(summary(status="incorrect", answered=2, agent=agent("time_limit"))) == "timeout"
    assert bench_status(summary(status="incorrect", answered=1, commands=[command("timeout")])) == "timeout"
    filled = [command("timeout"), command("disk_limit")]
    assert bench_status(summary(status="incorrect", answered=1, commands=filled)) == "disk_limit"
    assert bench_status(summary(status="disk_limit", answered=0, commands=filled)) == "disk_limit"
    assert bench_status(summary(status="correct", commands=filled)) == "correct"
    assert bench_status(summary(status="incorrect", environment_label="build_failed(x)")) == "env_failed"
    assert bench_status(summary(status="incorrect", answered=0, unanswered=3)) == "unanswered"
    assert bench_status(summary(status="incorrect", answered=2, unanswered=1)) == "incorrect"
    assert bench_status(summary(status="invalid_task")) == "invalid_task"
    assert bench_status(summary(status="no_entry_point", problem="no_entry_point")) == "no_entry_point"
    assert bench_status(summary(status="interrupted", problem="interrupted", answered=1)) == "interrupted"
    assert bench_status(summary(status="infra_error")) == "infra_error"


def result(key: str, status: str, report: dict[str, Any] | None = None, repeat: int = 1) -> TaskResult:
    task = Task(capsule_id=key.split("#")[0], task_prompt="p", results=[{QUESTION: 1.5, FIG_QUESTION: 2}] * 3)
    graded = report is not None
    return TaskResult(
        key=key,
        capsule_id=task.capsule_id,
        repeat=repeat,
        status=status,
        level="hard",
        total_written=1,
        total_vision=1,
        official=grade(task, report, "official") if graded else None,
        robust=grade(task, report, "robust") if graded else None,
        started_at="t0",
        finished_at="t1",
        seconds=1.0,
        cost_usd=0.5,
    )


def items(*keys: str) -> list[BenchTask]:
    task = Task(capsule_id="c", task_prompt="p", questions=[QUESTION])
    return [BenchTask(key, int(key.split("#")[1]) if "#" in key else 1, task) for key in keys]


def test_a_task_past_its_disk_cap_is_a_counted_failure_of_its_own() -> None:
    results = {
        "a": result("a", "correct", {QUESTION: 1.5, FIG_QUESTION: 2}),
        "b": result("b", "disk_limit"),
        "c": result("c", "timeout"),
    }
    scores = compute_scores(items("a", "b", "c"), results, "hard", 1)
    assert scores.counted == 3 and scores.accuracy == pytest.approx(1 / 3)
    assert scores.failures == {"disk_limit": ["b"], "timeout": ["c"]} and scores.errors == {}
    assert scores.statuses["disk_limit"] == 1
    assert tone("disk_limit") == "bad"  # the report's badge


def test_errors_count_in_the_denominator_skipped_tasks_do_not() -> None:
    right = {QUESTION: 1.5, FIG_QUESTION: 2}
    results = {
        "a": result("a", "correct", right),
        "b": result("b", "incorrect", {QUESTION: 1.5, FIG_QUESTION: 9}),
        "c": result("c", "infra_error"),
        "d": result("d", "skipped"),
        "e": result("e", "correct", {QUESTION: [1.5], FIG_QUESTION: 2}),
    }
    scores = compute_scores(items("a", "b", "c", "d", "e", "f"), results, "hard", 1)
    assert not scores.complete and scores.not_run == ["f"]
    assert scores.counted == 4 and scores.accuracy == pytest.approx(2 / 4)
    assert scores.errors == {"infra_error": ["c"]} and scores.failures == {"incorrect": ["b"]}
    assert scores.skipped == {"d": ""}
    official = scores.official.summary
    assert official.total_written_questions == 4 and official.correct_written_questions == 3
    assert official.total_vision_questions == 4 and official.correct_vision_questions == 2
    assert scores.official.vision_question_accuracy == pytest.approx(0.5)
    assert scores.modes_differ == ["e"], "a one-element list passes the official grader only"
    assert scores.robust.summary.correct_tasks == 1 and scores.cost_usd == pytest.approx(2.5)


def test_repeats_give_pass_at_k_over_capsules() -> None:
    right = {QUESTION: 1.5, FIG_QUESTION: 2}
    results = {
        "a#1": result("a#1", "correct", right, 1),
        "a#2": result("a#2", "incorrect", {}, 2),
        "b#1": result("b#1", "correct", right, 1),
        "b#2": result("b#2", "correct", right, 2),
    }
    scores = compute_scores(items(*results), results, "hard", 2)
    assert scores.pass_at_k == {"1": pytest.approx(0.75), "2": pytest.approx(1.0)}
    assert scores.pass_hat_k == {"1": pytest.approx(0.75), "2": pytest.approx(0.5)}


def test_no_vision_drops_figure_questions_and_skips_tasks_of_figures_only() -> None:
    mixed = Task(capsule_id="m", task_prompt="p", results=[{QUESTION: 1.5, FIG_QUESTION: 2}] * 3)
    figures = Task(capsule_id="f", task_prompt="p", results=[{FIG_QUESTION: 2}] * 3)
    chosen = bench_tasks([mixed, figures], repeats=2, no_vision=True)
    assert [item.key for item in chosen] == ["m#1", "m#2", "f#1", "f#2"]
    assert chosen[0].task.questions == [QUESTION] and chosen[0].dropped_vision == 1
    assert chosen[2].skip_reason is not None and chosen[2].task.questions == [FIG_QUESTION]


def test_repeats_end_to_end_write_keys_and_one_export_per_repeat(tmp_path: Path) -> None:
    out = tmp_path / "run"
    args = ["bench", "tasks", *map(str, STEADY[:2]), "--level", "easy", "--repeats", "2", "-j", "2"]
    completed = run_cli([*args, "--out", str(out), "--json"], reproducer_env(tmp_path / "cache"))
    assert completed.returncode == 0, completed.stderr
    scores = json.loads(completed.stdout)["scores"]
    assert scores["tasks"] == 4 and scores["pass_at_k"] == {"1": 1.0, "2": 1.0}
    assert scores["pass_hat_k"] == {"1": 1.0, "2": 1.0}
    names = sorted(path.name for path in (out / "results").iterdir())
    assert len(names) == 4 and all("#1.json" in name or "#2.json" in name for name in names)
    exported = sorted(path.relative_to(out / "exports" / "corebench") for path in out.rglob("*_codeocean_*"))
    assert [path.parent.name for path in exported] == ["repeat-1", "repeat-2"]
    assert all(path.name.endswith("_codeocean_easy.json") for path in exported)
    assert len(list((out / "exports" / "hal").glob("*_r2_UPLOAD.json"))) == 1
