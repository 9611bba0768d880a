"""`reproducer run REPO` with no task file, end to end on capsules made for it: the code really runs (uv
environment, sandbox), and its regenerated outputs are compared with the committed ones."""

import hashlib
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from PIL import Image
from test_bench_support import CapsuleServer
from typer.testing import CliRunner

from reproducer.cli import app
from reproducer.compare import CompareOptions, adhoc_task, compare_outputs
from reproducer.pipeline.run import run_capsule
from reproducer.report import write_report_html
from reproducer.tasks.load import load_task
from reproducer.truth import read_questions

FIXTURES = Path(__file__).parent / "fixtures" / "compare"
PAPER, UNSEEDED = FIXTURES / "paper", FIXTURES / "unseeded"
PAPER_FILES = ["results/figure1.png", "results/metrics.json", "results/summary.txt", "results/table2.csv"]


@pytest.fixture(scope="module")
def cache_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("env-cache")


def _copy(source: Path, tmp_path: Path, name: str = "paper") -> Path:
    return Path(shutil.copytree(source, tmp_path / name))


def _cli(*args: str) -> tuple[int, str]:
    done = CliRunner().invoke(app, ["run", *args], env={"COLUMNS": "300"})
    return done.exit_code, done.output


def _comparison(run_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((run_dir / "comparison.json").read_text())
    return data


def _compare(
    source: str | Path, tmp_path: Path, cache_root: Path, **options: Any
) -> tuple[str, dict[str, Any]]:
    summary = run_capsule(
        source,
        adhoc_task(str(source)),
        tmp_path / "run",
        cache_root=cache_root,
        compare=CompareOptions(**options),
    )
    return summary.status, _comparison(tmp_path / "run")


def test_committed_outputs_that_reproduce_exactly(tmp_path: Path) -> None:
    code, output = _cli(str(PAPER), "--out", str(tmp_path / "run"))
    assert code == 0, output
    comparison = _comparison(tmp_path / "run")
    assert comparison["numbers_compared"] == comparison["numbers_exact"] == 9
    assert (comparison["numbers_within_tolerance"], comparison["numbers_different"]) == (0, 0)
    assert comparison["files_compared"] == PAPER_FILES
    assert comparison["differences"] == [] and comparison["files_not_regenerated"] == []
    assert [figure["verdict"] for figure in comparison["figures"]] == ["same"]
    assert "9 of 9 numbers reproduced exactly, 0 different" in output
    summary = json.loads((tmp_path / "run/summary.json").read_text())
    assert (summary["capsule_id"], summary["status"]) == ("paper", "correct")
    assert (tmp_path / "run/published/results/table2.csv").read_bytes() == (
        PAPER / "results/table2.csv"
    ).read_bytes()


def test_a_number_changed_by_hand_is_exactly_the_difference_reported(tmp_path: Path) -> None:
    capsule = _copy(PAPER, tmp_path)
    table = capsule / "results/table2.csv"
    table.write_text(table.read_text().replace("beta,2.0200,0.0428", "beta,2.0200,0.0431"))
    code, output = _cli(str(capsule), "--out", str(tmp_path / "run"))
    assert code == 1, output
    comparison = _comparison(tmp_path / "run")
    assert comparison["differences"] == [
        {
            "file": "results/table2.csv",
            "location": "row term=beta, column se",
            "published": 0.0431,
            "reproduced": 0.0428,
            "relative_error": pytest.approx(0.0003 / 0.0431),
        }
    ]
    assert (comparison["numbers_exact"], comparison["numbers_different"]) == (8, 1)
    assert (
        "8 of 9 numbers reproduced exactly, 1 different: "
        "results/table2.csv row term=beta, column se: 0.0431 -> 0.0428" in output
    )


def test_an_unseeded_script_reproduces_within_the_tolerance_given(tmp_path: Path, cache_root: Path) -> None:
    status, strict = _compare(UNSEEDED, tmp_path / "strict", cache_root)
    assert status == "incorrect" and strict["numbers_different"] >= 1
    status, loose = _compare(UNSEEDED, tmp_path / "loose", cache_root, loose=0.05)
    assert status == "correct", loose["differences"]
    assert loose["numbers_different"] == 0 and loose["numbers_within_tolerance"] >= 1
    assert loose["loose_tolerance"] == 0.05
    verdicts = {number["location"]: number["verdict"] for number in loose["numbers"]}
    assert verdicts["line 1, draws"] == "exact"
    assert verdicts["row statistic=mean, column value"] in ("within_loose", "exact")


def test_a_changed_figure_is_reported(tmp_path: Path, cache_root: Path) -> None:
    capsule = _copy(PAPER, tmp_path)
    Image.new("L", (120, 80), 255).save(capsule / "results/figure1.png")  # the bars were erased by hand
    status, comparison = _compare(capsule, tmp_path, cache_root)
    assert status == "incorrect"
    assert comparison["numbers_different"] == 0
    [figure] = comparison["figures"]
    assert (figure["file"], figure["verdict"]) == ("results/figure1.png", "different") and figure[
        "difference"
    ] > 0.05


def test_an_output_the_code_no_longer_writes_and_a_new_one_are_listed(
    tmp_path: Path, cache_root: Path
) -> None:
    capsule = _copy(PAPER, tmp_path)
    (capsule / "results/table3.csv").write_text("term,estimate\ngamma,0.5\n")
    (capsule / "results/metrics.json").unlink()
    status, comparison = _compare(capsule, tmp_path, cache_root)
    assert comparison["files_not_regenerated"] == ["results/table3.csv"]
    assert comparison["files_new"] == ["results/metrics.json"]
    assert "data/measurements.csv" not in comparison["files_not_regenerated"]
    assert status == "correct", "every number compared reproduced"


def test_a_code_ocean_capsule_keeps_its_results_for_the_comparison(tmp_path: Path, cache_root: Path) -> None:
    """At the Hard level staging empties results/; the committed ones were recorded before."""
    capsule = tmp_path / "capsule-77"
    (capsule / "code").mkdir(parents=True)
    shutil.copytree(PAPER / "data", capsule / "data")
    shutil.copytree(PAPER / "results", capsule / "results")
    script = (PAPER / "main.py").read_text().replace('"data/', '"../data/').replace('"results', '"../results')
    (capsule / "code/main.py").write_text(script)
    status, comparison = _compare(capsule, tmp_path, cache_root)
    assert status == "correct", comparison
    assert comparison["numbers_exact"] == comparison["numbers_compared"] == 9
    assert comparison["files_compared"] == PAPER_FILES


def test_a_zip_and_an_archive_link_served_locally(tmp_path: Path, cache_root: Path) -> None:
    archive = tmp_path / "paper-v1.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for path in sorted(PAPER.rglob("*")):
            out.write(path, f"paper-v1/{path.relative_to(PAPER).as_posix()}")
    status, comparison = _compare(archive, tmp_path / "zip", cache_root)
    assert status == "correct" and comparison["numbers_exact"] == 9
    body = archive.read_bytes()
    with CapsuleServer() as server:
        server.files["/records/1/files/paper-v1.zip?download=1"] = body
        port = server.httpd.server_address[1]
        url = f"http://127.0.0.1:{port}/records/1/files/paper-v1.zip?download=1"
        link = f"{url}#sha256={hashlib.sha256(body).hexdigest()}"
        assert adhoc_task(link).capsule_id == "paper-v1"
        status, comparison = _compare(link, tmp_path / "url", cache_root)
    assert status == "correct" and comparison["files_compared"] == PAPER_FILES


def test_the_task_is_named_after_the_repository() -> None:
    assert adhoc_task(str(PAPER)).capsule_id == "paper"
    assert (
        adhoc_task(str(FIXTURES.parents[2] / "tasks/diabetes-logreg/capsule")).capsule_id == "diabetes-logreg"
    )
    assert adhoc_task("https://github.com/lab/paper-code.git#v1").capsule_id == "paper-code"
    assert adhoc_task("git@github.com:lab/paper_code.v2.git").capsule_id == "paper_code.v2"


def test_without_a_capsule_or_at_the_easy_level_the_command_says_why(tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "reproducer", "run", *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)

    done = run()
    assert done.returncode == 2 and "give a capsule" in done.stderr
    done = run(str(PAPER), "--level", "easy", "--out", str(tmp_path / "run"))
    assert done.returncode == 2 and "nothing to compare" in done.stderr
    assert not (tmp_path / "run").exists()


def test_the_report_shows_each_difference_beside_its_published_value(
    tmp_path: Path, cache_root: Path
) -> None:
    capsule = _copy(PAPER, tmp_path)
    table = capsule / "results/table2.csv"
    table.write_text(table.read_text().replace("beta,2.0200,0.0428", "beta,2.0200,0.0431"))
    Image.new("L", (120, 80), 255).save(capsule / "results/figure1.png")
    _compare(capsule, tmp_path, cache_root)
    page = BeautifulSoup(write_report_html(tmp_path / "run").read_text(), "html.parser")
    section = next(d for d in page.find_all("details") if "Comparison with the committed" in d.summary.text)
    assert "not reproduced" in section.summary.text
    first = [cell.get_text(strip=True) for cell in section.find("table").tbody.find("tr").find_all("td")]
    assert first == [
        "results/table2.csv",
        "row term=beta, column se",
        "0.0431",
        "0.0428",
        "0.00696",
        "different",
    ]
    captions = [caption.get_text(strip=True) for caption in section.find_all("figcaption")]
    assert captions == ["published", "regenerated"]
    assert all(image["src"].startswith("data:image/") for image in section.find_all("img"))


def test_a_comparison_becomes_the_questions_of_a_benchmark_task(tmp_path: Path) -> None:
    """`reproducer truth --questions comparison.json`: the numbers that reproduced, answered in every run."""
    code, output = _cli(str(PAPER), "--out", str(tmp_path / "compare"))
    assert code == 0, output
    task_file = tmp_path / "paper-task.yaml"
    comparison = str(tmp_path / "compare/comparison.json")
    done = subprocess.run(
        [sys.executable, "-m", "reproducer", "truth", str(PAPER), "--questions", comparison,
         "--runs", "2", "--run-dir", str(tmp_path / "truth"), "--out", str(task_file)],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    task = load_task(task_file)
    assert len(task.questions) == 9 and len(task.results) == 2
    assert task.results[0]["From results/table2.csv, report the value of term=beta, se."] == 0.0428
    assert task.results[0]["From results/summary.txt, report the value of observations."] == 6
    code, output = _cli("--task", str(task_file), "--out", str(tmp_path / "graded"))
    assert code == 0, output
    assert json.loads((tmp_path / "graded/summary.json").read_text())["status"] == "correct"


def test_numbers_that_did_not_reproduce_or_share_a_label_make_no_question(tmp_path: Path) -> None:
    published, capsule = tmp_path / "published", tmp_path / "capsule"
    for root, text in (
        (published, "loss: 1.5\nloss: 1.2\nacc: 0.91\nf1: 0.80\n"),
        (capsule, "loss: 1.5\nloss: 1.2\nacc: 0.91\nf1: 0.85\n"),
    ):
        (root / "results").mkdir(parents=True)
        (root / "results/log.txt").write_text(text)
    comparison = compare_outputs(published, capsule, ["results/log.txt"], CompareOptions())
    path = tmp_path / "comparison.json"
    path.write_text(comparison.model_dump_json())
    assert read_questions(path).questions == ["From results/log.txt, report the value of acc."]
