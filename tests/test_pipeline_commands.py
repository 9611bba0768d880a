"""The command line each kind of entry point gets, the tools and R packages the pipeline adds for them,
the time each entry is given, and the status a run ends with."""

import shlex
import subprocess
import time
from pathlib import Path

from reproducer.grading import grade
from reproducer.pipeline.entry_runs import MIN_ENTRY_S, Budget, allows_errors
from reproducer.pipeline.entrypoints import MAKE_PIPEFAIL, RUNNER_DELIMITER, command_line, document
from reproducer.pipeline.execute import pipeline_tools
from reproducer.pipeline.run import _status
from reproducer.plan.make import _add_renderer
from reproducer.plan.model import PIPELINE_EVIDENCE_FILE, EntryKind, EntryPoint, Evidence, Plan, Requirement
from reproducer.rundir.summary import RunSummary, TimeBudget
from reproducer.tasks.model import Task


def entry(
    command: str, kind: EntryKind, output_format: str | None = None, output_dir: str | None = None
) -> EntryPoint:
    evidence = Evidence(file="task prompt")
    return EntryPoint(
        command=command, kind=kind, evidence=evidence, output_format=output_format, output_dir=output_dir
    )


def r_expression(line: str) -> str:
    words = shlex.split(line)
    assert words[:2] == ["Rscript", "-e"] and len(words) == 3
    return words[2]


def test_rmarkdown_renders_to_html_unless_the_task_asks_for_another_format() -> None:
    assert r_expression(command_line(entry("manuscript.Rmd", "rmarkdown"))) == (
        'rmarkdown::render("manuscript.Rmd", output_format = "html_document", clean = TRUE)'
    )
    asked = command_line(entry("paper/report.Rmd", "rmarkdown", "pdf", "../results"))
    assert r_expression(asked) == (
        'rmarkdown::render("paper/report.Rmd", output_format = "pdf_document", '
        'output_dir = "../results", clean = TRUE)'
    )
    odd = command_line(entry("""it's "x".Rmd""", "rmarkdown", "word"))
    assert r_expression(odd).startswith(
        'rmarkdown::render("it\'s \\"x\\".Rmd", output_format = "word_document"'
    )


def test_a_render_command_line_from_a_readme_runs_as_written() -> None:
    line = "Rscript -e \"rmarkdown::render('a.Rmd')\""
    assert command_line(entry(line, "rmarkdown")) == line
    line = "jupyter nbconvert --execute --to html my analysis.ipynb"
    assert document(entry(line, "notebook")) is None
    assert document(entry("my analysis.ipynb", "notebook")) == "my analysis.ipynb"
    assert document(entry("'my analysis.ipynb'", "notebook")) == "my analysis.ipynb"
    assert document(entry("python main.py", "python")) is None


def test_quarto_says_what_is_missing_before_it_renders() -> None:
    line = command_line(entry("paper.qmd", "quarto", output_dir="out"))
    check, render = line.split("\n")
    assert "command -v quarto" in check and "exit 127" in check and "quarto command is not installed" in check
    assert shlex.split(render) == ["quarto", "render", "paper.qmd", "--to", "html", "--output-dir", "out"]


def test_a_notebook_runs_through_our_runner_with_the_options_asked() -> None:
    line = command_line(entry("run.ipynb", "notebook", "html", "../results"), allow_errors=True)
    first = line.split("\n")[0]
    assert (
        first == f"python - run.ipynb --allow-errors --to html --output-dir ../results <<'{RUNNER_DELIMITER}'"
    )
    assert (
        command_line(entry("run.ipynb", "notebook")).split("\n")[0]
        == f"python - run.ipynb <<'{RUNNER_DELIMITER}'"
    )


def test_errors_are_allowed_only_when_the_prompt_says_so() -> None:
    assert allows_errors("Run run.ipynb with errors allowed and convert the results to html.")
    assert allows_errors("Execute the notebook (use --allow-errors).")
    assert not allows_errors("Run run.ipynb and convert the results to html.")
    assert not allows_errors(None)


def test_the_pipeline_adds_nbconvert_only_where_a_notebook_is_converted() -> None:
    assert pipeline_tools([entry("python main.py", "python")]) == ()
    assert pipeline_tools([entry("a.ipynb", "notebook")]) == ("nbclient", "nbformat", "ipykernel")
    assert pipeline_tools([entry("a.ipynb", "notebook", "html")])[-1] == "nbconvert"
    assert pipeline_tools([entry("jupyter nbconvert --execute a.ipynb", "notebook")])[-1] == "nbconvert"


def test_an_rmarkdown_entry_requires_rmarkdown_once() -> None:
    plan = Plan(capsule="c", entry_points=[entry("report.Rmd", "rmarkdown")])
    _add_renderer(plan)
    assert [(r.spec, r.evidence.file) for r in plan.r_packages] == [("rmarkdown", PIPELINE_EVIDENCE_FILE)]
    declared = Requirement(spec="rmarkdown@2.20", evidence=Evidence(file="code/install.R", line=2))
    plan = Plan(capsule="c", r_packages=[declared], entry_points=[entry("report.Rmd", "rmarkdown")])
    _add_renderer(plan)
    assert plan.r_packages == [declared]
    plan = Plan(capsule="c", entry_points=[entry("python main.py", "python")])
    _add_renderer(plan)
    assert plan.r_packages == []


def test_the_first_entries_get_the_most_time_and_later_ones_keep_a_reserve() -> None:
    budget = Budget(TimeBudget(total_s=7200, per_command_s=3600))
    assert budget.for_entry(1) == 3600, "never more than the per-command limit"
    budget = Budget(TimeBudget(total_s=1000, per_command_s=3600))
    assert 699 < budget.for_entry(2) <= 700, "one later entry keeps 300 s"
    assert 499 < budget.for_entry(4) <= 500, "later entries together keep at most half"
    budget = Budget(TimeBudget(total_s=MIN_ENTRY_S - 1, per_command_s=3600))
    assert budget.for_entry(1) == 0.0, "too little left: the entry is skipped"
    budget = Budget(TimeBudget(total_s=6, per_command_s=3600))
    assert budget.for_entry(3) == MIN_ENTRY_S, "an entry that starts gets at least the minimum"
    started = time.monotonic()
    budget.close()
    assert budget.record.spent_s <= time.monotonic() - started + 1


def _graded(summary: RunSummary, value: float) -> RunSummary:
    task = Task(capsule_id="c", task_prompt="p", results=[{"Report the mean.": 2.0}] * 3)
    summary.official = grade(task, {"Report the mean.": value}, "official")
    return summary


def test_a_problem_names_the_status_unless_the_graded_answers_are_correct() -> None:
    def summary(**fields: object) -> RunSummary:
        return RunSummary(run_dir="x", capsule_id="c", level="medium", backend="local", **fields)  # type: ignore[arg-type]

    env_failed = summary(problem="env_failed", environment_label="build_failed(numpy)")
    assert _status(_graded(env_failed, 2.0)) == "correct" and env_failed.problem == "env_failed"
    assert _status(_graded(summary(problem="env_failed"), 3.0)) == "env_failed"
    assert _status(_graded(summary(problem="no_entry_point"), 3.0)) == "no_entry_point"
    assert _status(summary(problem="no_entry_point", unanswered=1)) == "no_entry_point"
    assert _status(_graded(summary(), 3.0)) == "incorrect"


def test_make_recipes_fail_when_a_command_before_a_pipe_fails(tmp_path: Path) -> None:
    # `python stats.py | tee out.tex`: tee succeeds whatever python did; the run must not count as ok.
    (tmp_path / "Makefile").write_text("out.tex:\n\tpython3 -c 'raise SystemExit(3)' | tee out.tex\n")
    line = command_line(entry("rm -f -- out.tex && make out.tex", "make"))
    assert line == f"rm -f -- out.tex && make {MAKE_PIPEFAIL} out.tex"
    as_written = subprocess.run(["bash", "-c", "make out.tex"], cwd=tmp_path, capture_output=True)
    assert as_written.returncode == 0
    ours = subprocess.run(["bash", "-c", line], cwd=tmp_path, capture_output=True, text=True)
    assert ours.returncode == 2 and "Error 3" in ours.stderr
