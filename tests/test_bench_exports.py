"""The bench's exports as the other harnesses read them: HAL's upload passes the structural rules of HAL's own
upload schema (restated in tests/schemas/hal_upload.schema.json) with calls and usage rebuilt from the
trajectories, and the CORE-Bench file has the name the official `--resume_path` check accepts."""

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from reproducer.bench.export_hal import git_info
from reproducer.bench.exports import write_exports
from reproducer.rundir.bench_layout import BenchDir
from reproducer.rundir.bench_result import TaskResult
from reproducer.rundir.verdict import TaskGrade
from reproducer.tasks.model import Task

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "hal_upload.schema.json").read_text())
QUESTION = "Report the accuracy."
STARTED = "2026-12-03T09:05:07+00:00"
MODEL = "claude-sonnet-5-5"


def _validator() -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    return jsonschema.Draft202012Validator(SCHEMA)


def _result(capsule_id: str, *, correct: bool, repeat: int = 1, with_agent: bool = False) -> TaskResult:
    grade = TaskGrade(
        capsule_id=capsule_id,
        mode="official",
        verdicts=[],
        correct_written=int(correct),
        total_written=1,
        correct_vision=0,
        total_vision=0,
        correct=correct,
    )
    return TaskResult(
        key=capsule_id if repeat == 1 else f"{capsule_id}#{repeat}",
        capsule_id=capsule_id,
        repeat=repeat,
        status="correct" if correct else "incorrect",
        level="hard",
        total_written=1,
        official=grade,
        robust=grade,
        report={QUESTION: 0.9},
        started_at="2026-12-03T09:05:08+00:00",
        finished_at="2026-12-03T09:06:08+00:00",
        seconds=60.0,
        cost_usd=0.01 if with_agent else 0.0,
        agent_steps=2 if with_agent else None,
        run_dir=f"tasks/{capsule_id}" if with_agent else None,
    )


def _trajectory(path: Path) -> None:
    """Two calls: the first sent the task message, the second also the reply and the tool result."""
    messages: list[dict[str, Any]] = [
        {"role": "user", "content": "the task"},
        {"role": "assistant", "content": [{"type": "tool_use", "name": "bash", "id": "t1", "input": {}}]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1", "content": "ok"}]},
    ]

    def step(number: int, sent: int, usage: dict[str, int]) -> dict[str, Any]:
        return {
            "step": number,
            "started_at": STARTED,
            "messages_sent": sent,
            "model": MODEL,
            "usage": usage,
            "cost_usd": 0.005,
            "response": {"content": [{"type": "text", "text": f"reply {number}"}]},
            "tool_calls": [{"name": "bash"}],
        }

    steps = [
        step(1, 1, {"input_tokens": 100, "output_tokens": 10, "cache_write_5m_tokens": 50}),
        step(
            2,
            3,
            {"input_tokens": 20, "output_tokens": 5, "cache_write_1h_tokens": 7, "cache_read_tokens": 50},
        ),
    ]
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"model": MODEL, "messages": messages, "steps": steps}))


def _export(root: Path, results: list[TaskResult], repeats: int = 1) -> list[Path]:
    tasks = {
        r.key: Task(capsule_id=r.capsule_id, task_prompt="p", results=[{QUESTION: 0.9}]) for r in results
    }
    agent_args = {"agent": "claude", "model": MODEL, "level": "hard"}
    return write_exports(
        BenchDir(root),
        results,
        tasks,
        level="hard",
        run_id="20261203090507-abcd1234",
        started=STARTED,
        repeats=repeats,
        agent_args=agent_args,
        command_line="reproducer bench corebench --level hard",
    )


def test_the_hal_upload_passes_hals_schema_with_calls_and_usage_from_the_trajectory(tmp_path: Path) -> None:
    _trajectory(tmp_path / "tasks" / "capsule-1111" / "trajectory.json")
    results = [_result("capsule-1111", correct=True, with_agent=True), _result("capsule-2222", correct=False)]
    written = _export(tmp_path, results)
    (upload_path,) = [path for path in written if path.name.endswith("_UPLOAD.json")]
    upload = json.loads(upload_path.read_text())

    errors = [error.message for error in _validator().iter_errors(upload)]
    assert errors == []
    assert upload["config"]["agent_args"]["model_name"] == MODEL
    assert upload["config"]["agent_args"]["benchmark_name"] == "corebench_hard"
    assert upload["total_usage"] == {
        MODEL: {
            "prompt_tokens": 120,
            "completion_tokens": 15,
            "cache_creation_input_tokens": 57,
            "cache_read_input_tokens": 50,
        }
    }
    calls = upload["raw_logging_results"]
    agent_calls = [call for call in calls if call["weave_task_id"] == "capsule-1111"]
    assert [len(call["messages"]) for call in agent_calls] == [1, 2], "each call adds the messages it sent"
    assert [call["call_metadata"]["usage"]["prompt_tokens"] for call in agent_calls] == [100, 20]
    assert agent_calls[1]["output"]["content"][0]["text"] == "reply 2"
    (offline,) = [call for call in calls if call["weave_task_id"] == "capsule-2222"]
    assert offline["messages"] == [] and offline["call_metadata"]["model_calls"] == 0


def test_the_schema_rejects_what_the_old_export_wrote(tmp_path: Path) -> None:
    """The three errors HAL's check reported on our earlier upload are errors here too."""
    _export(tmp_path, [_result("capsule-1111", correct=True)])
    (upload_path,) = (tmp_path / "exports" / "hal").glob("*_UPLOAD.json")
    upload = json.loads(upload_path.read_text())
    upload["config"]["agent_args"] = {"model": MODEL}
    upload["git_info"] = {"reproducer_version": "0.1.0"}
    upload["raw_logging_results"] = {"capsule-1111": {"messages": []}}
    failed = {error.json_path for error in _validator().iter_errors(upload)}
    assert failed == {"$.config.agent_args", "$.git_info", "$.raw_logging_results"}


def test_git_info_is_the_commit_or_an_error(tmp_path: Path) -> None:
    outside = git_info(tmp_path)
    assert set(outside) == {"error"} and "git" in outside["error"]
    here = git_info()
    assert set(here) in ({"commit", "repository_url", "branch"}, {"error"})
    schema = {"$defs": SCHEMA["$defs"], **SCHEMA["properties"]["git_info"]}
    jsonschema.validate(outside, schema)
    jsonschema.validate(here, schema)


def _official_resume_check(path: Path, benchmark_level: str) -> str:
    """siegelz/core-bench benchmark/benchmark.py, `CodeOceanBenchmark.__init__` with `resume_results_path`:
    the level is what follows the first `_` of the stem, the timestamp what precedes it."""
    stem = path.name.rsplit(".", 1)[0]
    if stem.split("_", 1)[1] != benchmark_level:
        raise AssertionError(f"{path.name}: the official harness refuses it for {benchmark_level}")
    return stem.split("_")[0]


@pytest.mark.parametrize("repeats", [1, 2])
def test_the_corebench_file_is_named_as_the_official_harness_names_it(tmp_path: Path, repeats: int) -> None:
    results = [_result("capsule-1111", correct=True, repeat=k) for k in range(1, repeats + 1)]
    written = [path for path in _export(tmp_path, results, repeats) if "corebench" in path.parts]
    assert len(written) == repeats
    for path in written:
        stamp = _official_resume_check(path, "codeocean_hard")
        assert dt.datetime.strptime(stamp, "%Y%m%d-%H%M%S") == dt.datetime(2026, 12, 3, 9, 5, 7)
        assert json.loads(path.read_text())["summary"]["correct_tasks"] == 1
    if repeats > 1:
        assert sorted(path.parent.name for path in written) == ["repeat-1", "repeat-2"]
    with pytest.raises(AssertionError, match="refuses"):
        _official_resume_check(tmp_path / "codeocean_hard.json", "codeocean_hard")
