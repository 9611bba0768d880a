"""Documents rendered to what the task asked: R Markdown with rmarkdown::render on both backends, a
notebook executed and converted to html, and Quarto failing honestly where it is not installed. The
entries run through the pipeline's own runner in a real sandbox, and the html is harvested."""

import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest

from reproducer.backends.base import Backend
from reproducer.backends.docker import DockerBackend
from reproducer.backends.local import LocalBackend
from reproducer.harvest import harvest
from reproducer.pipeline.entry_runs import DEFAULT_TOTAL_TIMEOUT_S
from reproducer.pipeline.execute import pipeline_tools, run_entries
from reproducer.pipeline.run import run_capsule
from reproducer.pipeline.steps import Steps
from reproducer.plan.model import PIPELINE_EVIDENCE_FILE, Decision, EntryPoint, Evidence, Plan, Requirement
from reproducer.rundir.layout import RunDir
from reproducer.rundir.summary import RunSummary, TimeBudget
from reproducer.tasks.load import load_task

FIXTURES = Path(__file__).parent / "fixtures" / "pipeline"
EVIDENCE = Evidence(file="task prompt", text="render it as html")
RENDERER = Requirement(spec="rmarkdown", evidence=Evidence(file=PIPELINE_EVIDENCE_FILE))


def _capsule(name: str, tmp_path: Path) -> Path:
    capsule = tmp_path / "capsule"
    shutil.copytree(FIXTURES / name / "capsule", capsule)
    (capsule / "results").mkdir(exist_ok=True)
    return capsule


def _run(backend: Backend, plan: Plan, capsule: Path, tmp_path: Path, prompt: str = "") -> RunSummary:
    """Prepare the backend for `plan`, then run its entry points as the pipeline does."""
    run_dir = RunDir.create(tmp_path / "run")
    summary = RunSummary(run_dir=str(run_dir.root), capsule_id="render", level="hard", backend=backend.name)
    steps = Steps(summary, run_dir, lambda _message: None)
    extra = pipeline_tools(plan.entry_points)
    backend.prepare(plan, capsule, run_dir.root, private=False, extra=extra)
    sandbox = backend.sandbox(capsule, run_dir.root, "render")
    timeouts = TimeBudget(total_s=DEFAULT_TOTAL_TIMEOUT_S, per_command_s=600)
    try:
        run_entries(plan.entry_points, sandbox, capsule, run_dir, steps, timeouts, prompt, [])
    finally:
        sandbox.stop()
    return summary


def _rmd_plan(capsule: Path) -> Plan:
    entry = EntryPoint(
        command="report.Rmd",
        kind="rmarkdown",
        evidence=EVIDENCE,
        output_format="html",
        output_dir="../results",
    )
    r = Decision(value="r", evidence=Evidence(file="code/report.Rmd"))
    return Plan(capsule=capsule.name, languages=[r], r_packages=[RENDERER], entry_points=[entry])


def _values(run_dir: Path, path: Path) -> set[object]:
    return {fact.value for fact in harvest(run_dir, [path]).facts}


def _assert_rendered(summary: RunSummary, capsule: Path, tmp_path: Path) -> None:
    assert [c.status for c in summary.commands] == ["ok"], summary.commands
    expression = 'rmarkdown::render("report.Rmd", output_format = "html_document", output_dir = "../results"'
    assert expression in summary.commands[0].command
    html = capsule / "results" / "report.html"
    assert html.is_file()
    values = _values(tmp_path / "run", html)
    assert 4.525 in values, "the mean printed by the R chunk is harvested from the html"
    assert 7.9 in values, "the inline `r max(...)` value too"


@pytest.mark.slow
def test_rmarkdown_renders_to_html_on_the_local_backend(tmp_path: Path) -> None:
    capsule = _capsule("rmd-report", tmp_path)
    summary = _run(LocalBackend(tmp_path / "cache"), _rmd_plan(capsule), capsule, tmp_path)
    _assert_rendered(summary, capsule, tmp_path)


@pytest.mark.slow
def test_rmarkdown_renders_to_html_in_docker(tmp_path: Path, docker_client: Any) -> None:
    capsule = _capsule("rmd-report", tmp_path)
    backend = DockerBackend(f"test-{uuid.uuid4().hex[:8]}")
    summary = _run(backend, _rmd_plan(capsule), capsule, tmp_path)
    dockerfile = (tmp_path / "run" / "env" / "Dockerfile").read_text()
    assert backend.images.built is not None and "reproducer/r:" in dockerfile, "built on the R image"
    _assert_rendered(summary, capsule, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("backend_name", ["local", "docker"])
def test_a_notebook_runs_and_converts_to_html(
    backend_name: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if backend_name == "docker":
        request.getfixturevalue("docker_client")  # skips (or fails in CI) without an engine
    capsule = _capsule("notebook-html", tmp_path)
    entry = EntryPoint(
        command="analysis.ipynb",
        kind="notebook",
        evidence=EVIDENCE,
        output_format="html",
        output_dir="../results",
    )
    plan = Plan(capsule="notebook-html", entry_points=[entry])
    assert pipeline_tools([entry]) == ("nbclient", "nbformat", "ipykernel", "nbconvert")
    backend: Backend = (
        LocalBackend(tmp_path / "cache")
        if backend_name == "local"
        else DockerBackend(f"test-{uuid.uuid4().hex[:8]}")
    )
    summary = _run(backend, plan, capsule, tmp_path)

    assert [c.status for c in summary.commands] == ["ok"], summary.commands
    html = capsule / "results" / "analysis.html"
    assert html.is_file()
    assert 0.75 in _values(tmp_path / "run", html), "the printed accuracy is read back from the html"
    assert "Accuracy: 0.75" in (capsule / "code" / "analysis.ipynb").read_text(), "executed in place"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "backend_name", "rendered"),
    [
        ("rmd-report", "local", "results/report.html"),
        ("rmd-report", "docker", "results/report.html"),
        # A notebook's answer comes from the notebook executed in place; its html conversion says the same.
        ("notebook-html", "local", "code/analysis.ipynb"),
    ],
)
def test_reproducer_run_renders_what_the_prompt_asks_and_answers_from_it(
    name: str, backend_name: str, rendered: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """End to end: the prompt names the document and the format; the answer is read from the html."""
    if backend_name == "docker":
        request.getfixturevalue("docker_client")
    task = load_task(FIXTURES / name / "task.yaml")
    summary = run_capsule(
        task.capsule or "",
        task,
        tmp_path / "run",
        backend=backend_name,  # type: ignore[arg-type]
        cache_root=tmp_path / "cache",
    )
    assert summary.status == "correct", (summary.steps, summary.official)
    answers = (tmp_path / "run" / "answers.json").read_text()
    assert rendered in answers, "the answer's provenance is the rendered document"


def test_quarto_fails_honestly_where_it_is_not_installed(tmp_path: Path) -> None:
    if shutil.which("quarto"):
        pytest.skip("quarto is installed here")
    capsule = tmp_path / "capsule"
    (capsule / "code").mkdir(parents=True)
    (capsule / "code" / "paper.qmd").write_text("---\ntitle: x\n---\n\n1 + 1\n")
    entry = EntryPoint(command="paper.qmd", kind="quarto", evidence=EVIDENCE)
    run_dir = RunDir.create(tmp_path / "run")
    summary = RunSummary(run_dir=str(run_dir.root), capsule_id="q", level="hard", backend="local")
    steps = Steps(summary, run_dir, lambda _message: None)
    sandbox = LocalBackend(None).sandbox(capsule, run_dir.root, "q")
    timeouts = TimeBudget(total_s=60, per_command_s=60)
    try:
        run_entries([entry], sandbox, capsule, run_dir, steps, timeouts, None, [])
    finally:
        sandbox.stop()

    [command] = summary.commands
    assert command.status == "error" and command.exit_code == 127
    stderr = (run_dir.root / (command.stderr_path or "")).read_text()
    assert "cannot render paper.qmd: the quarto command is not installed" in stderr


@pytest.mark.slow
def test_an_r_notebook_runs_with_the_r_kernel(tmp_path: Path) -> None:
    # An R notebook run by the Python kernel fails on its first `library()`; it needs IRkernel's `ir`.
    if shutil.which("R") is None:
        pytest.skip("R is not installed here")
    capsule = _capsule("notebook-r", tmp_path)
    entry = EntryPoint(
        command="prices.ipynb",
        kind="notebook",
        evidence=EVIDENCE,
        output_format="html",
        output_dir="../results",
    )
    plan = Plan(capsule="notebook-r", entry_points=[entry])
    summary = _run(LocalBackend(tmp_path / "cache"), plan, capsule, tmp_path)

    assert [c.status for c in summary.commands] == ["ok"], summary.commands
    assert "Mean price: 4.5" in (capsule / "code" / "prices.ipynb").read_text(), "executed by R"
    assert 4.5 in _values(tmp_path / "run", capsule / "results" / "prices.html")
