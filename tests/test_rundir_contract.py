"""The run directory as a contract, on a real run of an example through the CLI: the records name paths
relative to the run directory, so a moved run directory still shows and reports; older records with
absolute paths still resolve; every record is stamped with its schema version, the tool's version and
its start and end times."""

import datetime as dt
import json
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import jsonschema
import pytest

from reproducer.backends.local import read_environment
from reproducer.rundir import schemas
from reproducer.rundir.layout import RunDir
from reproducer.rundir.stamp import SCHEMA_VERSION, write_record

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "tasks" / "diabetes-logreg" / "task.yaml"
FAILING = Path(__file__).parent / "fixtures" / "rundir" / "failing" / "task.yaml"
RECORDS = (
    "summary.json",
    "answers.json",
    "report.json",
    "verdicts.json",
    "plan.json",
    "env/environment.json",
)
# JSON lines: one stamped object a line.
LINES = ("logs/commands.jsonl",)


def cli(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("ANTHROPIC")}
    return subprocess.run(
        [sys.executable, "-m", "reproducer", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=cwd,
        env=env | {"COLUMNS": "200"},
    )


@pytest.fixture(scope="module")
def example_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`reproducer run` of the diabetes example, offline, on the local backend (whose environment's record
    lies in the run directory); the run directory is then moved elsewhere."""
    root = tmp_path_factory.mktemp("contract")
    made = root / "first-place" / "run"
    done = cli("run", "--task", EXAMPLE, "--out", made, "--agent", "offline", "--backend", "local")
    assert done.returncode == 0, done.stderr
    moved = root / "elsewhere" / "moved-run"
    moved.parent.mkdir()
    made.rename(moved)
    return moved


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`reproducer bench tasks` on the same example, offline."""
    out = tmp_path_factory.mktemp("bench") / "bench"
    done = cli("bench", "tasks", EXAMPLE, "--out", out, "--agent", "offline")
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def failing_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run whose one command prints a wrong value, then fails with 30 lines of stderr and a traceback."""
    out = tmp_path_factory.mktemp("failing") / "run"
    done = cli("run", "--task", FAILING, "--out", out, "--agent", "offline")
    assert done.returncode == 1, done.stderr
    return out


def assert_stamped(path: Path) -> None:
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["schema_version"] == SCHEMA_VERSION, path
    assert record["tool_version"] == metadata.version("reproducer"), path
    started, finished = (dt.datetime.fromisoformat(record[key]) for key in ("started_at", "finished_at"))
    assert started.utcoffset() == dt.timedelta(0) and started <= finished, path


@pytest.mark.slow
def test_records_name_no_absolute_path(example_run: Path) -> None:
    first_place = str(example_run.parent.parent / "first-place")
    for name in RECORDS + LINES:
        text = (example_run / name).read_text(encoding="utf-8")
        assert first_place not in text, f"{name} names the run directory's first place"
    summary = json.loads((example_run / "summary.json").read_text())
    assert "run_dir" not in summary
    logs = [command["stderr_path"] for command in summary["commands"]]
    assert logs == ["logs/01-entry-1.stderr"]
    answers = json.loads((example_run / "answers.json").read_text())
    files = {choice["fact"]["file"] for choice in answers["answers"] if choice.get("fact")}
    assert files and all(not Path(file).is_absolute() and (example_run / file).is_file() for file in files)
    lines = [json.loads(line) for line in (example_run / "logs" / "commands.jsonl").read_text().splitlines()]
    assert [(line["stdout_path"], line["stderr_path"]) for line in lines] == [
        ("logs/01-entry-1.stdout", "logs/01-entry-1.stderr")
    ]
    environment = json.loads((example_run / "env" / "environment.json").read_text())
    assert environment["lock_file"] == "env/requirements.lock.txt"


@pytest.mark.slow
def test_the_moved_records_paths_resolve_where_the_run_now_is(example_run: Path) -> None:
    run_dir = RunDir(example_run)
    for line in run_dir.commands.read_text(encoding="utf-8").splitlines():
        stdout = run_dir.resolve(json.loads(line)["stdout_path"])
        assert stdout is not None and stdout.is_relative_to(example_run) and stdout.is_file()
    assert "systolic_bp" in (example_run / "logs" / "01-entry-1.stdout").read_text()
    environment = read_environment(run_dir)
    assert environment is not None and environment.lock_file == run_dir.lock
    assert "pandas==" in environment.lock_file.read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_moved_run_directory_shows_and_reports(example_run: Path, tmp_path: Path) -> None:
    shown = cli("show", example_run)
    assert shown.returncode == 0, shown.stderr
    assert "run of capsule-diabetes-logreg (hard): correct" in shown.stdout
    assert "logs/01-entry-1.stderr" in shown.stdout
    report = tmp_path / "report.html"
    reported = cli("report", example_run, "--out", report)
    assert reported.returncode == 0, reported.stderr
    # The command's log is found where the run directory now is: what it printed is in the page.
    assert "systolic_bp,0.21903424460781024" in report.read_text(encoding="utf-8")


def test_an_older_absolute_path_resolves_in_the_moved_directory(tmp_path: Path) -> None:
    run_dir = RunDir(tmp_path / "now")
    (run_dir.logs).mkdir(parents=True)
    (run_dir.logs / "01-entry-1.stderr").write_text("Traceback ...\n")
    assert run_dir.resolve("/old/place/run/logs/01-entry-1.stderr") == run_dir.logs / "01-entry-1.stderr"
    assert run_dir.resolve(str(run_dir.logs / "01-entry-1.stderr")) == run_dir.logs / "01-entry-1.stderr"
    assert run_dir.resolve("logs/01-entry-1.stderr") == run_dir.logs / "01-entry-1.stderr"
    assert run_dir.resolve("/old/place/run/logs/02-entry-2.stderr") is None  # nothing here by that name
    assert run_dir.resolve("../../etc/passwd") is None
    assert run_dir.resolve(None) is None
    assert run_dir.relative(run_dir.logs / "01-entry-1.stderr") == "logs/01-entry-1.stderr"
    assert run_dir.relative("/elsewhere/file") == "/elsewhere/file"


@pytest.mark.slow
def test_every_record_is_stamped(example_run: Path, bench_run: Path) -> None:
    for name in ("summary.json", "answers.json", "verdicts.json", "plan.json", "env/environment.json"):
        assert_stamped(example_run / name)
    # commands.jsonl is appended to by every runner of the run (a resumed one may be a newer reproducer):
    # each line carries its own stamp, its start that of its command.
    for line in (example_run / "logs" / "commands.jsonl").read_text().splitlines():
        command = json.loads(line)
        assert command["schema_version"] == SCHEMA_VERSION
        assert command["tool_version"] == metadata.version("reproducer")
        started, finished = (dt.datetime.fromisoformat(command[key]) for key in ("started_at", "finished_at"))
        assert started <= finished
    summary = json.loads((example_run / "summary.json").read_text())
    # The summary, rewritten after every step, keeps the run's start; its steps each say when they began.
    assert summary["started_at"] <= summary["steps"][0]["started_at"] <= summary["finished_at"]
    # report.json is CORE-Bench's question -> answer object: a stamp there would read as a question.
    assert set(json.loads((example_run / "report.json").read_text())) == set(
        json.loads((example_run / "verdicts.json").read_text())["official"]["verdicts"][i]["question"]
        for i in range(3)
    )
    for name in ("results/capsule-diabetes-logreg.json", "scores.json", "config.json"):
        assert_stamped(bench_run / name)


def test_a_rewritten_record_keeps_its_start(tmp_path: Path) -> None:
    path = tmp_path / "record.json"
    write_record(path, {"step": 1})
    first = json.loads(path.read_text())
    write_record(path, {"step": 2})
    second = json.loads(path.read_text())
    assert second["step"] == 2 and second["started_at"] == first["started_at"]
    assert second["finished_at"] >= first["finished_at"]
    write_record(path, {"step": 3}, started_at="2026-01-01T00:00:00+00:00")
    assert json.loads(path.read_text())["started_at"] == "2026-01-01T00:00:00+00:00"


def test_the_committed_schemas_are_those_the_models_generate() -> None:
    for name in schemas.MODELS:
        committed = schemas.schema_path(name).read_text(encoding="utf-8")
        assert committed == schemas.schema_text(name), (
            f"{schemas.schema_path(name)} is stale: run `scripts/with-uv python -m reproducer.rundir.schemas`"
        )


def validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads(schemas.schema_path(name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.slow
def test_the_records_of_a_real_run_validate_against_the_schemas(example_run: Path, bench_run: Path) -> None:
    files = {
        "summary": example_run / "summary.json",
        "report": example_run / "report.json",
        "verdicts": example_run / "verdicts.json",
        "results": bench_run / "results" / "capsule-diabetes-logreg.json",
    }
    for name, path in files.items():
        errors = [error.message for error in validator(name).iter_errors(json.loads(path.read_text()))]
        assert not errors, f"{path}: {errors}"
    # The schemas do check: a status no run ends in, a verdict without its question, are refused.
    summary = json.loads(files["summary"].read_text()) | {"status": "almost"}
    assert not validator("summary").is_valid(summary)
    verdicts = json.loads(files["verdicts"].read_text())
    del verdicts["official"]["verdicts"][0]["question"]
    assert not validator("verdicts").is_valid(verdicts)


@pytest.mark.slow
def test_show_names_the_wrong_answer_and_the_end_of_the_failed_commands_stderr(failing_run: Path) -> None:
    shown = cli("show", failing_run)
    assert shown.returncode == 0, shown.stderr
    out = shown.stdout
    assert "field: Computer Science; language: python" in out  # the task's field, the plan's language
    assert "verdicts (official grader): 0 of 1 correct" in out
    assert "WRONG Report the accuracy.\n    expected 0.9; answer 0.5\n" in out
    assert "0.5 is outside [0.9, 0.9]" in out  # the grader's reason
    # The last 20 lines of stderr: the traceback and the progress lines before it, not the first ones.
    assert "| RuntimeError: the second half of the analysis is missing" in out
    assert "| progress line 15 of 30" in out and "progress line 14 of 30" not in out


@pytest.mark.slow
def test_field_and_language_are_recorded_and_reported(example_run: Path, failing_run: Path) -> None:
    summary = json.loads((example_run / "summary.json").read_text())
    assert (summary["field"], summary["language"]) == ("Medical Sciences", "Python")  # the task file's
    summary = json.loads((failing_run / "summary.json").read_text())
    assert (summary["field"], summary["language"]) == ("Computer Science", "python")  # the plan's language
    page = failing_run.parent / "report.html"
    reported = cli("report", failing_run, "--out", page)
    assert reported.returncode == 0, reported.stderr
    assert "<td>Computer Science</td><td>python</td>" in page.read_text(encoding="utf-8")
