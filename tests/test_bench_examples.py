"""`reproducer bench tasks` over every example in tasks/, at Easy with -j 2: all correct, scores and exports
as expected; a second invocation finds everything done; another configuration is refused."""

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from test_bench_support import EXAMPLES, STEADY, reproducer_env, run_cli

from reproducer.rundir.bench_layout import BenchDir
from reproducer.rundir.stamp import unstamped
from reproducer.tasks.load import load_task

# CORE-Bench's results file (benchmark.py's capsule_result, evaluations.py's score_results summary).
CAPSULE_RESULT_KEYS = {
    "field",
    "language",
    "capsule_title",
    "capsule_id",
    "result_report",
    "result_paths",
    "result_paths_success",
    "correct_written_answers",
    "correct_vision_answers",
    "total_written_questions",
    "total_vision_questions",
}
SUMMARY_KEYS = {
    "correct_tasks",
    "total_tasks",
    "correct_questions",
    "total_questions",
    "correct_written_tasks",
    "total_written_tasks",
    "correct_vision_tasks",
    "total_vision_tasks",
    "correct_written_questions",
    "total_written_questions",
    "correct_vision_questions",
    "total_vision_questions",
}
# HAL's base_benchmark.process_results upload and corebench.get_metrics results.
HAL_UPLOAD_KEYS = {
    "config",
    "results",
    "raw_eval_results",
    "raw_logging_results",
    "task_prompts",
    "total_usage",
    "total_cost",
    "git_info",
    "agent_hash",
    "wall_clock_times",
    "task_step_counts",
}
HAL_RESULTS_KEYS = {
    "accuracy",
    "written_accuracy",
    "vision_accuracy",
    "successful_tasks",
    "failed_tasks",
    "total_cost",
    "latencies",
}


@pytest.fixture(scope="module")
def bench_run(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str], dict[str, str]]:
    scratch = tmp_path_factory.mktemp("bench-examples")
    env = reproducer_env(scratch / "cache")
    out = scratch / "run"
    args = ["bench", "tasks", *map(str, EXAMPLES), "--level", "easy", "-j", "2", "--out", str(out), "--json"]
    return out, run_cli(args, env), env


def read(path: Path) -> Any:
    return json.loads(path.read_text())


def test_every_example_is_correct_and_counted_once(bench_run: tuple[Path, Any, Any]) -> None:
    out, completed, _ = bench_run
    assert completed.returncode == 0, completed.stderr
    outcome = json.loads(completed.stdout)
    tasks = [load_task(path) for path in EXAMPLES]
    ids = sorted(task.capsule_id for task in tasks)
    bench_dir = BenchDir(out)
    assert sorted(bench_dir.finished_keys()) == ids
    for capsule_id in ids:
        result = read(bench_dir.result(capsule_id))
        assert result["status"] == "correct", result
        assert (out / result["run_dir"] / "summary.json").is_file()
    scores = outcome["scores"]
    assert scores["complete"] and scores["tasks"] == scores["counted"] == len(tasks)
    assert scores["statuses"]["correct"] == len(tasks) and scores["accuracy"] == 1.0
    assert scores["errors"] == {} and scores["failures"] == {} and scores["skipped"] == {}
    questions = sum(len(task.questions) for task in tasks)
    official = scores["official"]["summary"]
    assert official["correct_questions"] == official["total_questions"] == questions
    assert scores["robust"]["summary"]["correct_tasks"] == len(tasks) and scores["modes_differ"] == []
    assert unstamped(read(bench_dir.scores)) == scores
    assert len(completed.stderr.strip().splitlines()) == len(tasks), "one plain progress line per task"


def test_exports_have_the_official_field_names(bench_run: tuple[Path, Any, Any]) -> None:
    out, completed, _ = bench_run
    assert completed.returncode == 0, completed.stderr
    (corebench_file,) = (out / "exports" / "corebench").glob("*_codeocean_easy.json")
    corebench = read(corebench_file)
    assert set(corebench) == {"capsule_results", "summary"}
    assert all(set(entry) == CAPSULE_RESULT_KEYS for entry in corebench["capsule_results"])
    assert all(entry["result_paths_success"] for entry in corebench["capsule_results"])
    assert set(corebench["summary"]) == SUMMARY_KEYS
    assert corebench["summary"]["correct_tasks"] == corebench["summary"]["total_tasks"] == len(EXAMPLES)
    (upload,) = (out / "exports" / "hal").glob("*_UPLOAD.json")
    hal = read(upload)
    assert set(hal) == HAL_UPLOAD_KEYS and set(hal["results"]) == HAL_RESULTS_KEYS
    assert hal["config"]["benchmark_name"] == "corebench_easy" and hal["results"]["accuracy"] == 1.0
    assert hal["config"]["agent_args"]["benchmark_name"] == "corebench_easy"
    assert len(hal["raw_logging_results"]) == len(EXAMPLES), "one call-less entry per offline task"
    assert len(hal["results"]["successful_tasks"]) == len(EXAMPLES) and hal["results"]["failed_tasks"] == []
    raw = read(upload.with_name(upload.name.removesuffix("_UPLOAD.json") + ".json"))
    assert raw == hal["raw_eval_results"] and len(raw) == len(EXAMPLES)


def test_the_same_command_again_runs_nothing(bench_run: tuple[Path, Any, Any]) -> None:
    out, first, env = bench_run
    assert first.returncode == 0, first.stderr
    args = ["bench", "tasks", *map(str, EXAMPLES), "--level", "easy", "-j", "1", "--out", str(out), "--json"]
    again = run_cli(args, env)
    assert again.returncode == 0, again.stderr
    outcome = json.loads(again.stdout)
    assert outcome["earlier_results"] == len(EXAMPLES) and again.stderr == ""
    assert outcome["scores"]["counted"] == len(EXAMPLES)
    assert not list((out / "tasks").glob("*.interrupted-*"))


def test_another_configuration_is_refused(bench_run: tuple[Path, Any, Any]) -> None:
    out, first, env = bench_run
    assert first.returncode == 0, first.stderr
    refused = run_cli(["bench", "tasks", *map(str, EXAMPLES), "--level", "hard", "--out", str(out)], env)
    assert refused.returncode == 2
    assert "another configuration" in refused.stderr and "level: 'easy' -> 'hard'" in refused.stderr
    assert "Traceback" not in refused.stderr
    fewer = run_cli(["bench", "tasks", str(STEADY[0]), "--level", "easy", "--out", str(out)], env)
    assert fewer.returncode == 2 and "dataset" in fewer.stderr
