"""`reproducer report` on real run directories: an agent run, a hostile capsule's run, and a bench
around them; the page is checked as text and in headless Chromium."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from report_helpers import (
    ACCURACY,
    COLOUR,
    HEIGHT,
    HOSTILE,
    HOSTILE_QUESTION,
    STDERR_LAST_LINE,
    agent_run,
    bench_dir,
    hostile_run,
    load_page,
)

from reproducer.report import write_report_html

ARTIFACTS = Path(__file__).parent / "artifacts"
# A page for a few tasks with figures stays far below this, whatever the capsules printed.
MAX_PAGE_BYTES = 1_500_000


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("report")
    made = {"agent": agent_run(root), "hostile": hostile_run(root)}
    made["bench"] = bench_dir(
        root, {"capsule-agent-figure-bars": made["agent"], "capsule-hostile": made["hostile"]}
    )
    return made


@pytest.fixture(scope="module")
def pages(runs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("pages")
    return {name: write_report_html(path, out / f"{name}.html") for name, path in runs.items()}


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.mark.slow
def test_an_agent_run_shows_every_part(pages: dict[str, Path]) -> None:
    page = soup(pages["agent"])
    text = page.get_text(" ")
    task = page.select_one("section.task")
    assert task is not None and "capsule-agent-figure-bars" in task.h2.get_text()
    summaries = [node.get_text(" ", strip=True) for node in task.select("details > summary")]
    for part in ("Answers", "Steps", "Plan", "Environment", "Commands", "Figures", "Agent trajectory"):
        assert any(s.startswith(part) for s in summaries), (part, summaries)
    # The answers beside the truth, with the reason and the offline answer's provenance.
    rows = {row.td.get_text(strip=True): row for row in task.select("table.answers tbody tr")}
    assert set(rows) == {HEIGHT, COLOUR}
    assert "by agent" in rows[COLOUR].get_text(" ") and '"red"' in rows[COLOUR].get_text(" ")
    assert "results/heights.txt" in rows[HEIGHT].get_text(" "), "where the offline answer was read"
    assert "line 2" in rows[HEIGHT].get_text(" ")
    assert "is inside [60.0, 60.0]" in rows[HEIGHT].get_text(" "), "the official grader's reason"
    # The figure the agent viewed is embedded, not linked.
    images = task.select(".figures img")
    assert len(images) == 1 and images[0]["src"].startswith("data:image/png;base64,")
    assert "viewed by the agent at step 1" in text
    # The trajectory: steps, tool calls with their input, output excerpts, cost.
    assert "cat results/heights.txt" in text and "blue bar height: 60" in text
    assert "Opening <the> figure." in text, "the model's text, escaped"
    assert "$0.0121" in text and "submitted" in text
    assert "python main.py" in text and "as_declared" in text


@pytest.mark.slow
def test_hostile_output_is_text_and_huge_logs_are_cut(pages: dict[str, Path]) -> None:
    raw = pages["hostile"].read_text(encoding="utf-8")
    assert len(raw.encode()) < MAX_PAGE_BYTES
    page = soup(pages["hostile"])
    assert page.find("script") is None
    assert [img["src"][:5] for img in page.find_all("img")] == ["data:"], "only the SVG figure, as a PNG"
    assert page.find(attrs={"onerror": True}) is None
    text = page.get_text()
    assert HOSTILE in text, "the capsule's markup is shown as text"
    assert HOSTILE_QUESTION in text
    assert "&lt;script&gt;alert(" in raw and "<script>alert(" not in raw
    assert STDERR_LAST_LINE in text, "the end of stderr is shown on failure"
    assert re.search(r"\[… \d+ bytes left out …\]", text), "the 3 MB stdout is cut"
    failed = [
        node for node in page.select("section.task details[open] > summary") if "exit 3" in node.get_text()
    ]
    assert failed, "a failed command's details are open"
    assert ACCURACY in text
    rows = page.select("table.answers tbody tr")
    unanswered = next(row for row in rows if HOSTILE_QUESTION in row.get_text())
    cells = unanswered.find_all("td")
    assert "the official grader raised TypeError" in cells[3].get_text(), "the official reason"
    assert cells[4].get_text(strip=True) != "✗", "the robust reason too, as it differs"
    official_only = "the official grader raised TypeError"
    assert official_only in text, "the official grader's own reason for the unanswered question"


@pytest.mark.slow
def test_a_bench_directory_gets_a_summary_and_a_section_per_task(pages: dict[str, Path]) -> None:
    page = soup(pages["bench"])
    rows = page.select("#summary-table tbody tr")
    names = [row.a.get_text() for row in rows]
    assert names == ["capsule-agent-figure-bars", "capsule-hostile", "capsule-still-running"]
    statuses = [row.select_one(".badge").get_text() for row in rows]
    assert statuses[2] == "unfinished"
    languages = [row.find_all("td")[4].get_text() for row in rows]
    assert languages[:2] == ["Python", "R"]
    captions = [node.get_text() for node in page.select(".charts figcaption")]
    assert captions == [
        "accuracy by level",
        "accuracy by field",
        "accuracy by language",
        "cost per task (USD)",
        "time per task",
    ]
    charts = page.select(".charts svg")
    assert all(svg.find("rect") for svg in charts)
    assert "Computer Science" in charts[1].get_text() and "Physics" in charts[1].get_text()
    assert page.select("section.task") == [], "each task has a page of its own"
    task_pages = [pages["bench"].parent / row.a["href"] for row in rows]
    assert [soup(path).select_one("section.task h2").get_text(" ") for path in task_pages][2].startswith(
        "capsule-still-running"
    )
    assert "1 interrupted attempt" in page.get_text()
    assert "scripted <b>" in page.get_text(), "the configuration, escaped"


@pytest.mark.slow
def test_the_cli_writes_report_html_in_the_run_directory(runs: dict[str, Path]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "reproducer", "report", str(runs["agent"])],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()) == runs["agent"] / "report.html"
    assert soup(runs["agent"] / "report.html").find("section", class_="task") is not None


@pytest.mark.slow
@pytest.mark.parametrize("name", ["bench", "hostile"])
def test_chromium_loads_the_page_without_console_messages(pages: dict[str, Path], name: str) -> None:
    """Offline, no scripts, nothing blocked by the page's Content-Security-Policy; the screenshot of the
    bench page is kept in tests/artifacts/ (ignored by git) for a person to look at."""
    loaded = load_page(pages[name], ARTIFACTS / f"report-{name}.png")
    assert loaded.console == []
    dom = BeautifulSoup(loaded.dom, "html.parser")
    assert dom.find("script") is None
    assert len(dom.select("section.task" if name != "bench" else "#summary-table tbody tr")) >= 1
    assert loaded.screenshot.stat().st_size > 10_000, "a page was drawn"


@pytest.mark.slow
def test_a_real_bench_run_is_reported(tmp_path: Path, project_root: Path) -> None:
    """`reproducer bench` itself writes the directory: the report reads its results and task folders."""
    task_file = project_root / "tasks" / "diabetes-logreg" / "task.yaml"
    bench = tmp_path / "bench"
    command = [sys.executable, "-m", "reproducer", "bench", "tasks", str(task_file), "--level", "easy"]
    command += ["--agent", "offline", "--out", str(bench)]
    ran = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert ran.returncode == 0, ran.stderr
    index = write_report_html(bench)
    page = soup(index)
    rows = page.select("#summary-table tbody tr")
    assert len(rows) == 1
    cells = [cell.get_text(strip=True) for cell in rows[0].find_all("td")]
    assert cells[1:6] == ["capsule-diabetes-logreg", "easy", "Medical Sciences", "Python", "correct"]
    assert "Scores (scores.json)" in page.get_text()
    task_page = soup(index.parent / rows[0].a["href"])
    assert "results/metrics.csv" in task_page.select_one("table.answers").get_text()
