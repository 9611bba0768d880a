"""`reproducer bench corebench` on capsules shaped like CORE-Bench's: tarballs `capsule-N.tar.gz` holding
`capsule-N/`, a dataset file in the official seven-key format, GPU capsules, vision questions, downloads."""

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from test_bench_support import (
    EXAMPLES,
    CapsuleServer,
    corebench_record,
    corebench_tarball,
    reproducer_env,
    run_cli,
    trivial_capsule,
)

from reproducer.tasks.load import load_task
from reproducer.tasks.model import Task

GPU_ID = "capsule-9000001"
VISION_QUESTION = "Report the number of panels in fig 2."


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[str]]:
    """A capsules folder of tarballs made from the examples plus a GPU capsule, and its dataset file;
    the first example also gets a vision question."""
    scratch = tmp_path_factory.mktemp("corebench")
    capsules = scratch / "capsules"
    records: list[dict[str, Any]] = []
    ids: list[str] = []
    for number, path in enumerate(EXAMPLES, start=1):
        task = load_task(path)
        capsule_id = f"capsule-{number:07d}"
        corebench_tarball(Path(task.capsule or ""), capsule_id, capsules)
        record = corebench_record(task, capsule_id)
        if number == 1:
            record["results"] = [{**run, VISION_QUESTION: 2} for run in task.results]
        records.append(record)
        ids.append(capsule_id)
    gpu = trivial_capsule(scratch / "gpu", gpu=True)
    corebench_tarball(gpu, GPU_ID, capsules)
    trivial = Task(
        capsule_id=GPU_ID, task_prompt="Run main.py.", results=[{"Report the halfway value.": 1}] * 3
    )
    records.append(corebench_record(trivial, GPU_ID))
    (scratch / "core_train.json").write_text(json.dumps(records, indent=2))
    return scratch / "core_train.json", capsules, ids


def test_tarballs_are_unpacked_run_and_graded_and_gpu_capsules_skipped(
    dataset: tuple[Path, Path, list[str]], tmp_path: Path
) -> None:
    dataset_file, capsules, ids = dataset
    out = tmp_path / "run"
    args = ["bench", "corebench", "--split", "train", "--level", "easy", "--capsules-dir", str(capsules)]
    args += [
        "--dataset",
        str(dataset_file),
        "--no-gpu",
        "--no-vision",
        "-j",
        "2",
        "--out",
        str(out),
        "--json",
    ]
    completed = run_cli(args, reproducer_env(tmp_path / "cache"))
    assert completed.returncode == 0, completed.stderr
    scores = json.loads(completed.stdout)["scores"]
    assert scores["complete"] and scores["tasks"] == len(ids) + 1
    assert scores["counted"] == len(ids), "the skipped GPU capsule is not in the denominator"
    assert scores["statuses"]["correct"] == len(ids) and scores["accuracy"] == 1.0
    assert list(scores["skipped"]) == [GPU_ID] and "gpu" in scores["skipped"][GPU_ID].lower()
    assert "not in the denominator" in scores["skipped_note"]
    first = json.loads((out / "results" / f"{ids[0]}.json").read_text())
    assert first["dropped_vision"] == 1 and first["total_vision"] == 0
    assert scores["official"]["summary"]["total_vision_questions"] == 0
    for capsule_id in [*ids, GPU_ID]:
        assert (capsules / capsule_id / "code").is_dir(), (
            "unpacked beside its tarball, as the official harness does"
        )
    (exported_file,) = (out / "exports" / "corebench").glob("*_codeocean_easy.json")
    exported = json.loads(exported_file.read_text())
    assert sorted(entry["capsule_id"] for entry in exported["capsule_results"]) == ids
    assert exported["summary"]["correct_tasks"] == len(ids)


def test_a_vision_question_kept_is_graded_and_counted(
    dataset: tuple[Path, Path, list[str]], tmp_path: Path
) -> None:
    dataset_file, capsules, ids = dataset
    out = tmp_path / "run"
    args = [
        "bench",
        "corebench",
        "--level",
        "easy",
        "--capsules-dir",
        str(capsules),
        "--dataset",
        str(dataset_file),
    ]
    args += ["--capsule", ids[0], "--out", str(out), "--json"]
    completed = run_cli(args, reproducer_env(tmp_path / "cache"))
    assert completed.returncode == 0, completed.stderr
    scores = json.loads(completed.stdout)["scores"]
    assert scores["tasks"] == 1 and scores["statuses"]["correct"] == 0
    official = scores["official"]
    assert official["summary"]["total_vision_questions"] == 1 and official["vision_question_accuracy"] == 0.0
    assert official["written_question_accuracy"] == 1.0
    result = json.loads((out / "results" / f"{ids[0]}.json").read_text())
    assert result["status"] == "incorrect" and result["total_vision"] == 1


def test_downloads_from_a_url_template_and_a_missing_capsule_is_an_invalid_task(
    dataset: tuple[Path, Path, list[str]], tmp_path: Path
) -> None:
    dataset_file, capsules, ids = dataset
    out = tmp_path / "run"
    with CapsuleServer() as server:
        server.files[f"/{ids[1]}.tar.gz"] = (capsules / f"{ids[1]}.tar.gz").read_bytes()
        args = ["bench", "corebench", "--level", "easy", "--dataset", str(dataset_file), "--download"]
        args += ["--capsules-dir", str(tmp_path / "fetched"), "--capsule-url", server.template]
        args += ["--capsule", ids[1], "--capsule", ids[2], "--out", str(out)]
        completed = run_cli(args, reproducer_env(tmp_path / "cache"))
    assert completed.returncode == 0, completed.stderr
    assert server.requests == {f"/{ids[1]}.tar.gz": 1, f"/{ids[2]}.tar.gz": 1}
    good = json.loads((out / "results" / f"{ids[1]}.json").read_text())
    assert good["status"] == "correct" and good["capsule"]["downloaded"]
    assert good["capsule"]["checksum_verified"] is False, "no manifest lists it: recorded as unchecked"
    missing = json.loads((out / "results" / f"{ids[2]}.json").read_text())
    assert missing["status"] == "invalid_task" and "404" in missing["detail"]
    assert "1 of 2 tasks correct" in completed.stdout and "error invalid_task: 1" in completed.stdout
    (upload,) = (out / "exports" / "hal").glob("*_UPLOAD.json")
    schema = json.loads((Path(__file__).parent / "schemas" / "hal_upload.schema.json").read_text())
    problems = jsonschema.Draft202012Validator(schema).iter_errors(json.loads(upload.read_text()))
    assert [problem.message for problem in problems] == [], "a real bench's upload passes HAL's rules"


def test_an_unreachable_download_is_an_infra_error_that_retry_errors_runs_again(
    dataset: tuple[Path, Path, list[str]], tmp_path: Path
) -> None:
    dataset_file, capsules, ids = dataset
    out, env = tmp_path / "run", reproducer_env(tmp_path / "cache")
    args = ["bench", "corebench", "--level", "easy", "--dataset", str(dataset_file), "--download"]
    args += ["--capsules-dir", str(tmp_path / "fetched"), "--capsule-id", ids[1], "--out", str(out)]
    with CapsuleServer() as down:
        template = down.template  # the port is closed once the server has stopped
    first = run_cli([*args, "--capsule-url", template], env)
    assert first.returncode == 0, first.stderr
    assert "error infra_error: 1" in first.stdout and "--retry-errors" in first.stdout
    failed = json.loads((out / "results" / f"{ids[1]}.json").read_text())
    assert failed["status"] == "infra_error" and "download failed" in failed["detail"]
    again = run_cli([*args, "--capsule-url", template, "--json"], env)
    assert json.loads(again.stdout)["earlier_results"] == 1, "without --retry-errors it is final"

    with CapsuleServer() as server:
        server.files[f"/{ids[1]}.tar.gz"] = (capsules / f"{ids[1]}.tar.gz").read_bytes()
        retried = run_cli([*args, "--capsule-url", server.template, "--retry-errors", "--json"], env)
    assert retried.returncode == 0, retried.stderr
    assert json.loads(retried.stdout)["scores"]["statuses"]["correct"] == 1
    kept = json.loads((out / "results" / f"{ids[1]}.json.retried-1").read_text())
    assert kept["status"] == "infra_error", "the failed attempt's result is kept beside the new one"


def test_without_capsules_dir_or_download_the_command_says_what_to_pass(tmp_path: Path) -> None:
    completed = run_cli(
        ["bench", "corebench", "--out", str(tmp_path / "run")], reproducer_env(tmp_path / "c")
    )
    assert completed.returncode == 2 and "--capsules-dir" in completed.stderr
    assert not (tmp_path / "run").exists()
