"""Entry points in the shapes real capsules come in: prose, indented blocks, usage lines, R, reports."""

from collections.abc import Sequence
from pathlib import Path

from reproducer.plan import make_plan
from reproducer.plan.render import render_plan

FIXTURES = Path(__file__).parent / "fixtures" / "plan"


def kept(name: str, questions: Sequence[str] = ()) -> list[tuple[str, str, str, str]]:
    plan = make_plan(FIXTURES / name, None, questions)
    return [(e.kind, e.command, e.cwd, str(e.evidence)) for e in plan.entry_points]


def dropped(name: str) -> list[tuple[str, str]]:
    plan = make_plan(FIXTURES / name)
    return [(str(c.entry.evidence), c.reason) for c in plan.entry_candidates if not c.kept]


def reasons(name: str, questions: Sequence[str] = ()) -> list[str]:
    return [c.reason for c in make_plan(FIXTURES / name, None, questions).entry_candidates if c.kept]


def test_a_lone_script_is_the_entry_point() -> None:
    # The README describes the paper but runs nothing; compare_models.py has no __main__ guard.
    assert kept("entries_lone_script") == [
        ("python", "python compare_models.py", "code", "code/compare_models.py:4")
    ]
    assert reasons("entries_lone_script") == ["from the code itself: the only script"]


def test_inline_code_in_prose_is_a_command() -> None:
    assert kept("entries_prose_inline") == [("python", "python wage_regression.py", ".", "README.md:4")]
    plan = make_plan(FIXTURES / "entries_prose_inline")
    assert plan.entry_points[0].evidence.text.startswith("then run `python wage_regression.py`")
    # The script found in the code is the same analysis, not a second run.
    assert dropped("entries_prose_inline") == [("wage_regression.py:4", "the same command as README.md:4")]


def test_an_indented_block_at_the_root_follows_its_cd() -> None:
    assert kept("entries_indented") == [("python", "python fit.py --seed 1", "code", "README.md:7")]
    assert dropped("entries_indented") == [
        ("code/fit.py:3", "runs code/fit.py, which README.md:7 runs already")
    ]


def test_a_package_with_setup_py_runs_its_script_not_its_modules() -> None:
    # mypkg/model.py has a __main__ guard, but it is inside a package: imported, never a candidate.
    assert kept("entries_package") == [("python", "python run_experiments.py", ".", "run_experiments.py:8")]
    assert dropped("entries_package") == [
        ("setup.py:3", "a helper by its name (setup, tests, configuration, downloads), not the analysis")
    ]


def test_a_usage_placeholder_runs_once_per_data_folder_the_questions_first() -> None:
    assert kept("entries_usage") == [
        ("python", "python train.py adult", ".", "README.md:3"),
        ("python", "python train.py compas", ".", "README.md:3"),
    ]
    assert (
        "one run per value of <dataset> (the folders of data/: adult, compas)" in reasons("entries_usage")[0]
    )
    asked = kept("entries_usage", ["What accuracy does the model reach on COMPAS?"])
    assert [command for _, command, _, _ in asked] == ["python train.py compas", "python train.py adult"]


def test_a_usage_placeholder_takes_the_values_the_readme_lists(tmp_path: Path) -> None:
    (tmp_path / "run.py").write_text("import sys\nprint(sys.argv)\n")
    (tmp_path / "README.md").write_text(
        "Usage: `python run.py <model>`\n\nwhere `<model>` is one of `lstm`, `gru` or `cnn`.\n"
    )
    plan = make_plan(tmp_path)
    assert [e.command for e in plan.entry_points] == [
        "python run.py lstm",
        "python run.py gru",
        "python run.py cnn",
    ]
    assert "named in the README" in plan.entry_candidates[0].reason


def test_numbered_steps_in_prose_run_in_the_written_order() -> None:
    assert kept("entries_numbered_steps") == [
        ("rscript", "Rscript clean.R", ".", "README.md:5"),
        ("rmarkdown", "report.Rmd", ".", "README.md:6"),
    ]


def test_r_scripts_run_in_numbered_order_and_sourced_files_are_not_entries() -> None:
    assert kept("entries_r_scripts") == [
        ("rscript", "Rscript 01_clean.R", "code", "code/01_clean.R:3"),
        ("rscript", "Rscript 02_model.R", "code", "code/02_model.R:2"),
    ]
    assert dropped("entries_r_scripts") == [
        ("code/helpers.R", "sourced by code/02_model.R: part of it, not an entry point of its own")
    ]


def test_a_script_that_writes_what_another_reads_runs_first() -> None:
    # figures.py sorts first by name, but reads estimates.csv, which model.py writes.
    assert kept("entries_data_flow") == [
        ("python", "python model.py", "code", "code/model.py:12"),
        ("python", "python figures.py", "code", "code/figures.py:9"),
    ]
    assert dropped("entries_data_flow") == [
        ("code/utils.py:5", "imported by code/figures.py: part of it, not an entry point of its own")
    ]


def test_an_r_markdown_report_renders_and_the_script_it_sources_does_not_run_alone() -> None:
    assert kept("entries_rmd") == [("rmarkdown", "report.Rmd", "code", "code/report.Rmd")]
    assert dropped("entries_rmd") == [
        ("code/analysis.R:1", "sourced by code/report.Rmd: part of it, not an entry point of its own")
    ]


def test_a_quarto_document_is_an_entry_point(tmp_path: Path) -> None:
    (tmp_path / "paper.qmd").write_text("---\ntitle: x\n---\n\n```{python}\nprint(1)\n```\n")
    assert [(e.kind, e.command, e.cwd) for e in make_plan(tmp_path).entry_points] == [
        ("quarto", "paper.qmd", ".")
    ]


def test_the_r_twin_of_a_python_analysis_is_not_planned() -> None:
    assert kept("entries_r_twin") == [("python", "python analysis.py", "code", "code/analysis.py:3")]
    assert dropped("entries_r_twin") == [
        ("code/analysis.R:1", "the R twin of a Python analysis that runs (analysis)")
    ]


def test_what_the_questions_name_runs_first() -> None:
    assert [c for _, c, _, _ in kept("entries_questions")] == [
        "python make_figure2.py",
        "python make_table1.py",
    ]
    asked = ["What is the mean of n in Table 1?"]
    assert [c for _, c, _, _ in kept("entries_questions", asked)] == [
        "python make_table1.py",
        "python make_figure2.py",
    ]
    assert reasons("entries_questions", asked)[0].endswith("runs early: the questions ask about Table 1")


def test_a_notebook_named_in_prose_runs_as_a_notebook(tmp_path: Path) -> None:
    (tmp_path / "analysis").mkdir()
    (tmp_path / "analysis" / "sir.ipynb").write_text('{"cells": [], "metadata": {}}')
    (tmp_path / "analysis" / "draft.ipynb").write_text('{"cells": [], "metadata": {}}')
    (tmp_path / "README.md").write_text("Open and run `analysis/sir.ipynb` to see the epidemic curve.\n")
    plan = make_plan(tmp_path)
    assert [(e.kind, e.command, e.cwd, str(e.evidence)) for e in plan.entry_points] == [
        ("notebook", "sir.ipynb", "analysis", "analysis/sir.ipynb")
    ]
    assert "named in prose at README.md:1" in plan.entry_candidates[0].reason


def test_prose_commands_whose_file_is_missing_are_not_entry_points(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text(
        "Like `python train.py` in the original repository, we run everything from a notebook.\n"
    )
    (tmp_path / "main.ipynb").write_text('{"cells": [], "metadata": {}}')
    assert [e.command for e in make_plan(tmp_path).entry_points] == ["main.ipynb"]


def test_every_candidate_is_listed_by_env_plan() -> None:
    text = render_plan(make_plan(FIXTURES / "entries_data_flow"))
    assert "1. [python] python model.py  (cwd code)  (code/model.py:12)" in text
    assert "why: from the code itself: has a __main__ guard (line 12)" in text
    assert "entry point candidates not run:" in text
    assert "why not: imported by code/figures.py: part of it, not an entry point of its own" in text


def test_the_task_prompt_says_what_runs_and_every_other_candidate_is_dropped() -> None:
    prompt = "Run 'figures.py' using python3 from the code directory. Report the slope."
    plan = make_plan(FIXTURES / "entries_data_flow", prompt)
    assert [(e.kind, e.command, e.cwd, e.evidence.file) for e in plan.entry_points] == [
        ("python", "python3 figures.py", "code", "task prompt")
    ]
    assert [(c.entry.command, c.reason) for c in plan.entry_candidates if not c.kept] == [
        ("python figures.py", "runs code/figures.py, which the task prompt runs already"),
        ("python model.py", "the task prompt says what to run (this one: has a __main__ guard (line 12))"),
        ("python utils.py", "imported by code/figures.py: part of it, not an entry point of its own"),
    ]


def test_a_prompt_naming_a_missing_file_falls_back_to_the_capsule_and_warns() -> None:
    plan = make_plan(FIXTURES / "entries_lone_script", "Run 'missing.py' using python3.")
    assert [e.command for e in plan.entry_points] == ["python compare_models.py"]
    assert any(w.startswith("task prompt:") and "missing.py" in w for w in plan.warnings)


def test_a_readme_listing_scripts_runs_the_analysis_not_the_file_it_sources() -> None:
    # Tab-indented lines that are only a file's name: a list of what to run, in order.
    assert kept("entries_listed") == [("rscript", "Rscript analysis.R", ".", "README.md:9")]
    assert dropped("entries_listed")[0] == ("README.md:5", "part of analysis.R, which README.md also runs")


def test_a_file_name_with_spaces_is_quoted(tmp_path: Path) -> None:
    (tmp_path / "main analyses.R").write_text('d <- read.csv("data/a.txt")\nprint(summary(d))\n')
    assert [e.command for e in make_plan(tmp_path).entry_points] == ["Rscript 'main analyses.R'"]


def test_a_makefile_whose_first_target_is_the_readme_is_not_the_analysis(tmp_path: Path) -> None:
    (tmp_path / "Makefile").write_text("README.md : README.Rmd\n\tR -e \"rmarkdown::render('README.Rmd')\"\n")
    (tmp_path / "fit.R").write_text('write.csv(data.frame(a = 1), "results/fit.csv")\n')
    plan = make_plan(tmp_path)
    assert [e.command for e in plan.entry_points] == ["Rscript fit.R"]
    assert [c.reason for c in plan.entry_candidates if not c.kept] == [
        "the Makefile's first target (README.md) is not the analysis"
    ]
