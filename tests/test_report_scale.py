"""A bench report for 270 tasks (CORE-Bench's size): an index under 1 MB with the summary, charts and
the table, and one page per task that links back; no scripts anywhere."""

import json
import random
from pathlib import Path

from bs4 import BeautifulSoup

from reproducer.report import write_report_html
from reproducer.rundir.bench_result import TaskResult
from reproducer.rundir.verdict import TaskGrade

TASKS = 270
INDEX_LIMIT_BYTES = 1_000_000
FIELDS = ["Computer Science", "Medical Sciences", "Social Sciences", "Physics", "Economics"]
STATUSES = ["correct", "incorrect", "unanswered", "timeout", "env_failed", "no_entry_point", "infra_error"]
QUESTION = "Report the test accuracy of the model trained with the default settings on the held-out split."


def _bench(root: Path) -> Path:
    """results/<key>.json and tasks/<key>/ (summary, report, a log) as `reproducer bench` writes them."""
    pick = random.Random(270)
    (root / "results").mkdir(parents=True)
    (root / "config.json").write_text(
        json.dumps({"run_id": "20261203-000000-scale", "config": {"level": "hard"}})
    )
    for n in range(TASKS):
        key = f"capsule-{1000000 + n}"
        status = pick.choice(STATUSES)
        correct = status == "correct"
        grade = TaskGrade(capsule_id=key, mode="official", verdicts=[], correct_written=int(correct),
                          total_written=1, correct_vision=0, total_vision=0, correct=correct)  # fmt: skip
        result = TaskResult(
            key=key, capsule_id=key, status=status, level="hard", field=pick.choice(FIELDS),
            language=pick.choice(["Python", "R"]), capsule_title=f"Capsule number {n}", total_written=1,
            official=grade, robust=grade, report={QUESTION: pick.random()}, cost_usd=pick.random(),
            started_at="2026-12-03T00:00:00+00:00", finished_at="2026-12-03T00:10:00+00:00",
            seconds=pick.uniform(30, 3600), run_dir=f"tasks/{key}",
        )  # fmt: skip
        (root / "results" / f"{key}.json").write_text(result.model_dump_json())
        task = root / "tasks" / key
        (task / "logs").mkdir(parents=True)
        steps = [
            {"name": name, "status": "ok", "seconds": 10.0, "detail": "done"} for name in ("stage", "run")
        ]
        summary = {"capsule_id": key, "level": "hard", "status": status, "steps": steps, "answered": 1}
        (task / "summary.json").write_text(json.dumps(summary))
        (task / "report.json").write_text(json.dumps({QUESTION: 0.5}))
        (task / "logs" / "01-run.stdout").write_text("epoch 1 loss 0.5\n" * 500)
    return root


def test_the_index_of_270_tasks_is_under_a_megabyte_and_every_task_has_its_page(tmp_path: Path) -> None:
    index = write_report_html(_bench(tmp_path / "bench"))
    size = index.stat().st_size
    print(f"index of {TASKS} tasks: {size} bytes")
    assert size < INDEX_LIMIT_BYTES, size
    page = BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser")
    links = [row.a["href"] for row in page.select("#summary-table tbody tr")]
    assert len(links) == TASKS and page.select("section.task") == []
    assert len(page.select(".charts svg")) >= 3 and page.find("script") is None
    captions = [caption.get_text() for caption in page.select(".charts figcaption")]
    assert "cost per task (USD): the 30 largest of 270" in captions
    pages = sorted((tmp_path / "bench" / "report-tasks").glob("*.html"))
    assert len(pages) == TASKS
    for link in (links[0], links[-1]):
        task_page = index.parent / link
        task = BeautifulSoup(task_page.read_text(encoding="utf-8"), "html.parser")
        assert task.find("script") is None and len(task.select("section.task")) == 1
        back = task.select_one("header a")
        assert back is not None and (task_page.parent / back["href"]).resolve() == index.resolve()
        assert QUESTION in task.get_text()
