"""Run directories for the report tests (an agent run, a hostile capsule, a bench around them) and a
headless Chromium that loads a page, screenshots it and collects its console messages."""

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from reproducer.agent.limits import AgentLimits
from reproducer.agent.model import Usage
from reproducer.agent.scripted import ScriptedModel, tool_turn
from reproducer.agent.settings import AgentSettings
from reproducer.pipeline.run import run_capsule
from reproducer.rundir.bench_result import TaskResult
from reproducer.tasks.load import load_task
from reproducer.tasks.model import Task

FIGURE_BARS = Path(__file__).parent / "fixtures" / "agent" / "figure-bars"
HEIGHT = "Report the height of the blue bar in pixels."
COLOUR = "From the figure, report the colour of the taller bar."

# Markup a capsule may print: it must reach the page as text, never as elements.
HOSTILE = (
    '<script>alert("pwned")</script></details></pre>'
    '<img src="http://example.invalid/x.png" onerror="alert(1)">'
)
HOSTILE_QUESTION = 'Report the <i>odd</i> value & "quotes" of the <script>run</script>.'
ACCURACY = "Report the accuracy of the model."
BEST = "Report the name of the best model."
HUGE_LOG_BYTES = 3_000_000
STDERR_LAST_LINE = "FATAL: the end of stderr <b>is here</b>"
HOSTILE_MAIN = f"""\
import json, os, sys
os.makedirs("../results", exist_ok=True)
HOSTILE = {HOSTILE!r}
with open("../results/metrics.json", "w") as handle:
    json.dump({{"accuracy": 0.5, "best_model": HOSTILE}}, handle)
with open("../results/figure.svg", "w") as handle:
    handle.write('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80"><script>alert(2)</script>'
                 '<rect width="120" height="80" fill="#2a7"/></svg>')
print(HOSTILE)
sys.stdout.write("x" * {HUGE_LOG_BYTES} + "\\n")
sys.stderr.write("warning <!-- not a comment\\n" * 2000 + {STDERR_LAST_LINE!r} + "\\n")
sys.exit(3)
"""

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
]
CHROMIUM_TIMEOUT_S = 120


def agent_run(root: Path) -> Path:
    """The figure capsule run by the pipeline, then finished by a scripted agent that views the figure."""
    task = load_task(FIGURE_BARS / "task.yaml", None)
    usage = Usage(input_tokens=1200, output_tokens=80, cache_read_tokens=900)
    model = ScriptedModel(
        [
            tool_turn("view_image", {"path": "results/bars.png"}, text="Opening <the> figure.", usage=usage),
            tool_turn("bash", {"command": "cat results/heights.txt"}, usage=usage, cost_usd=0.0021),
            tool_turn(
                "submit",
                {"answers": {HEIGHT: 60, COLOUR: "red"}},
                text="The red bar is taller.",
                cost_usd=0.01,
            ),
        ]
    )
    settings = AgentSettings(model=model, limits=AgentLimits(steps=10))
    out = root / "agent-run"
    run_capsule(FIGURE_BARS / "capsule", task, out, cache_root=root / "cache", agent=settings)
    return out


def hostile_run(root: Path) -> Path:
    """A capsule that prints markup, a 3 MB log and an SVG with a script, then exits 3."""
    capsule = root / "hostile-capsule"
    (capsule / "code").mkdir(parents=True)
    (capsule / "data").mkdir()
    (capsule / "results").mkdir()
    (capsule / "code" / "main.py").write_text(HOSTILE_MAIN)
    run = capsule / "code" / "run"
    run.write_text("#!/usr/bin/env bash\nset -e\npython main.py\n")
    run.chmod(0o755)
    truth = {ACCURACY: 0.5, BEST: "ridge", HOSTILE_QUESTION: 7}
    task = Task(capsule_id="capsule-hostile", task_prompt="Run <it>.", results=[truth] * 3)
    out = root / "hostile-run"
    run_capsule(capsule, task, out, cache_root=root / "cache")
    return out


def bench_dir(root: Path, runs: dict[str, Path]) -> Path:
    """A bench run directory (`reproducer.rundir.bench_layout`) around finished single-task runs, plus one
    unfinished task folder and one interrupted attempt."""
    bench = root / "bench"
    (bench / "results").mkdir(parents=True)
    (bench / "tasks").mkdir()
    fields = {
        "capsule-agent-figure-bars": ("Computer Science", "Python"),
        "capsule-hostile": ("Physics", "R"),
    }
    for key, run_dir in runs.items():
        shutil.copytree(run_dir, bench / "tasks" / key, symlinks=True)
        summary = json.loads((run_dir / "summary.json").read_text())
        field, language = fields.get(summary["capsule_id"], ("", ""))
        result = TaskResult(
            key=key,
            capsule_id=summary["capsule_id"],
            status=summary["status"],
            level=summary["level"],
            field=field,
            language=language,
            official=summary["official"],
            robust=summary["robust"],
            cost_usd=(summary.get("agent") or {}).get("cost_usd", 0.0),
            started_at="2026-01-01T00:00:00+00:00",
            finished_at="2026-01-01T00:01:00+00:00",
            seconds=sum(step["seconds"] for step in summary["steps"]),
            run_dir=f"tasks/{key}",
        )
        (bench / "results" / f"{key}.json").write_text(result.model_dump_json(indent=2))
    unfinished = next(iter(runs.values()))
    shutil.copytree(unfinished, bench / "tasks" / "capsule-still-running", symlinks=True)
    shutil.copytree(unfinished, bench / "tasks" / "capsule-hostile.interrupted-1", symlinks=True)
    config = {
        "run_id": "20260101000000-abcdef12",
        "created": "2026-01-01T00:00:00+00:00",
        "config_hash": "0" * 64,
        "config": {"level": "hard", "agent": "scripted <b>"},
        "command_line": [],
    }
    (bench / "config.json").write_text(json.dumps(config))
    (bench / "scores.json").write_text(json.dumps({"accuracy": 0.5, "by_level": {"hard": 0.5}}))
    return bench


@dataclass(frozen=True)
class Page:
    dom: str
    console: list[str]
    screenshot: Path


def chromium() -> str:
    """The Chromium binary; skipped where it is missing, except in CI (which installs it)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        message = "headless Chromium is not installed (apt-get install -y chromium)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def load_page(html: Path, screenshot: Path, height: int = 2000) -> Page:
    """Load `html` in headless Chromium: its DOM after parsing, its console messages, and a screenshot.

    Console messages come from Chromium's own log (`--enable-logging=stderr`), where every message a
    page logs (script errors, Content-Security-Policy violations, failed loads) is a `:CONSOLE` line.
    The report has no scripts, so any such line is a fault. This is simpler than a DevTools-protocol
    client and needs no websocket library.
    """
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="reproducer-chromium-") as profile:
        command = [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--screenshot={screenshot}",
                   f"--window-size=1280,{height}", "--dump-dom", html.resolve().as_uri()]  # fmt: skip
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=CHROMIUM_TIMEOUT_S, check=False
        )
    assert done.returncode == 0, done.stderr[-2000:]
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    return Page(done.stdout, console, screenshot)
