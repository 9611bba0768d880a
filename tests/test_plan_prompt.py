"""The task prompt's English as steps (all 45 CORE-Bench train prompts), and those steps as entry points."""

import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reproducer.plan.capsule import Capsule
from reproducer.plan.prompt import PROMPT_EVIDENCE_FILE, PromptEntries, parse_prompt, prompt_entry_points
from reproducer.plan.prompt.text import normalize

TRAIN = Path(__file__).parent.parent / "benchmarks" / "corebench" / "core_train.json"
PROMPTS = {task["capsule_id"]: task["task_prompt"] for task in json.loads(TRAIN.read_text(encoding="utf-8"))}
RSCRIPT = "Rscript"
HTML_TO_RESULTS = {"output_format": "html", "output_dir": "../results"}
NOTEBOOK_OPTIONS = {"no_cell_timeout": True, "allow_errors": True}


def run(name: str | None = None, /, **fields: Any) -> dict[str, Any]:
    return {"action": "run", **({"files": [name]} if name else {}), **fields}


def argument(value: str, name: str | None = None) -> dict[str, str]:
    return {"value": value, **({"name": name} if name else {})}


def rscript(*names: str, **fields: Any) -> list[dict[str, Any]]:
    return [run(name, interpreter=RSCRIPT, **fields) for name in names]


CONFIG = argument("config/uci.json")
# Written from reading each prompt: what it names, in order. Fields left out are empty or None.
EXPECTED: dict[str, list[dict[str, Any]]] = {
    "capsule-7038571": [
        run("main.py", arguments=[CONFIG, argument("preprocessing", "task"), argument("CTGCN-C", "method")]),
        run("main.py", arguments=[CONFIG, argument("embedding", "task"), argument("CTGCN-C", "method")]),
        run("main.py", interpreter="python3", arguments=[CONFIG, argument("link-pred", "task")]),
    ],
    "capsule-3137115": rscript("manuscript.Rmd", **HTML_TO_RESULTS),
    "capsule-5367566": [run("run.ipynb", output_format="html")],
    "capsule-9168639": rscript("analysis.Rmd", output_dir="results"),
    "capsule-9166182": [run("Synthetic Electrocardiogram Attack Method.ipynb", output_format="html")],
    "capsule-0325493": rscript("main.R"),
    "capsule-1854976": [run("evaluation.py")],
    "capsule-9022937": rscript("IAQ-PostCollection-Analysis.R"),
    "capsule-8197429": [run("plot.sh")],
    "capsule-2916503": rscript("code.R"),
    "capsule-0201225": [run("main.py")],
    "capsule-9070543": [
        {
            "action": "make_dirs",
            "files": [
                "Dose_Response_Script_Output",
                "RNA_Seq_Script_Output",
                "Resistance_and_Sensitivity_Genes_Script_Output",
                "Fig6c_Script_Output",
            ],
            "target": "results",
        },
        # "in the respective results folders": each document to the folder made for it.
        run("Dose_Response_Script.Rmd", output_dir="../results/Dose_Response_Script_Output"),
        run("RNA_Seq_Script.Rmd", output_dir="../results/RNA_Seq_Script_Output"),
        run("Figure_6c_Script.Rmd", output_dir="../results/Fig6c_Script_Output"),
    ],
    "capsule-1108125": rscript("analysis.R"),
    "capsule-6746514": [run("NewData_ML_Kfold.py"), run(selection={"extension": ".py", "prefix": "fig_"})],
    "capsule-1683542": [
        {
            "action": "set_env",
            "environment": {"R_DEFAULT_PACKAGES": "datasets,utils,grDevices,graphics,stats,methods"},
        },
        run("main.R"),
    ],
    "capsule-5286757": [run("train_2D3D.py", remarks=["train on the 2D traffic prediction"])],
    "capsule-4884085": [run("fed_dual_att.py")],
    "capsule-6460826": [run("iris_sample.py"), run("zoo_sample.py"), run("wine_sample.py")],
    "capsule-4098236": [run("mainMLCA.py")],
    "capsule-5975162": [run("ExPSOWithClassicalBenchmark02.py")],
    "capsule-0220918": [
        run("evaluate.py"),
        {"action": "unzip", "files": ["../data/shapenetcore_partanno_v0.zip"], "target": "../data"},
        run("part_seg/test.py"),
    ],
    "capsule-4645832": [run("main_hyper.py")],
    "capsule-2011424": [run("algorithms/border_tgraank.py")],
    "capsule-3249574": [run("sybilflyover_model.py")],
    "capsule-5777882": rscript("paper.Rmd", **HTML_TO_RESULTS, render_options={"clean": "TRUE"}),
    "capsule-9370340": [run("CHL_clamped.py")],
    "capsule-4807644": [run("data-analysis-viz.py"), run("appendix.py")],
    "capsule-1906954": rscript("./vegan-meta-pap.Rmd", "./vegan-meta.Rmd", **HTML_TO_RESULTS),
    "capsule-9348218": [
        *rscript("manuscript.Rmd", output_format="pdf", output_dir="../results"),
        {"action": "note"},  # Record package information as sessionInfo_manuscript.txt
        {"action": "note"},  # Clear all newly created files in /code between runs
        *rscript("electronic_supplemental_material.Rmd", output_format="pdf", output_dir="../results"),
        {"action": "note"},
        {"action": "note"},
    ],
    "capsule-0238624": [run("ensemble.py")],
    "capsule-3272782": [run("VisGIN.py")],
    "capsule-4600160": rscript("Gazer_walkthrough.R"),
    "capsule-1324693": rscript("main.Rmd", **HTML_TO_RESULTS),
    "capsule-6133093": rscript(
        "mediabiasreplication.Rmd", **HTML_TO_RESULTS, render_options={"clean": "TRUE"}
    ),
    "capsule-0396930": [
        {"action": "pip_install", "files": ["./de_GERNERMED-1.0.0.tar.gz"], "interpreter": "python3"},
        run(
            module="spacy",
            subcommand="evaluate",
            interpreter="python3",
            arguments=[
                argument("/data/gernermed_pipeline", "model"),
                argument("/data/ner_medical.test.spacy", "data path"),
                argument("results/eval_scores.json", "output directory"),
            ],
        ),
        run("/code/example_simple.py", stdout_file="/results/annotation_example.txt"),
    ],
    "capsule-7981862": rscript("master.R"),
    "capsule-2061060": rscript(
        "manuscript.Rmd", output_format="pdf", output_dir="../results", render_options={"clean": "TRUE"}
    ),
    "capsule-0940461": [run("FGBR_OC.ipynb", **HTML_TO_RESULTS, **NOTEBOOK_OPTIONS)],
    "capsule-3894632": [
        *rscript("dp_survival.Rmd", **HTML_TO_RESULTS, render_options={"clean": "TRUE"}),
        run("correlation.py"),
    ],
    "capsule-5496369": [
        run("GC-diagnosis-model/run.ipynb", **HTML_TO_RESULTS, **NOTEBOOK_OPTIONS),
        run("GC-prognosis-model/run.ipynb", **HTML_TO_RESULTS, **NOTEBOOK_OPTIONS),
    ],
    "capsule-8912293": rscript(
        "01_data_processing.R",
        "02_info_exps.R",
        "03_colorado_sim.R",
        "04_pap_analysis.R",
        "05_existing_applications.R",
    ),
    "capsule-3497606": [
        {"action": "set_env", "environment": {"PYTHONWARNINGS": "ignore"}},
        run("Super-Iterative.py"),
    ],
    "capsule-7156696": [
        run(selection={"extension": ".ipynb", "directory": "../code"}, **HTML_TO_RESULTS, **NOTEBOOK_OPTIONS)
    ],
    "capsule-7935517": [
        {"action": "load_library", "target": "knitr"},
        {"action": "set_workdir", "target": "Documents/Paper_main/"},
        run("Paper_main.Rnw", interpreter="knitr", output_format="pdf"),
        {"action": "copy", "files": ["Paper_main.tex"], "target": "../results"},
        {"action": "make_dirs", "files": ["../results/figure", "../results/screens"]},
        {
            "action": "copy",
            "selection": {"extension": ".pdf", "directory": "Documents/Paper_main/figure/"},
            "target": "../results/figure",
        },
        {
            "action": "copy",
            "selection": {"directory": "Documents/Paper_main/screens/"},
            "target": "../results/screens/",
        },
        {"action": "copy", "files": ["Paper_main.bib", "Paper_main.bbl"], "target": "../results"},
    ],
    "capsule-3269870": [run("nn.py"), run("predict.py")],
}


def test_every_train_prompt_has_an_expectation() -> None:
    assert sorted(EXPECTED) == sorted(PROMPTS)


@pytest.mark.parametrize("capsule_id", sorted(PROMPTS))
def test_train_prompt_parse(capsule_id: str) -> None:
    steps = parse_prompt(PROMPTS[capsule_id])
    assert [step.model_dump(exclude_defaults=True, exclude={"evidence"}) for step in steps] == EXPECTED[
        capsule_id
    ]
    # Each step cites the prompt's own sentences (spaces collapsed, curly quotes straightened).
    prompt = normalize(PROMPTS[capsule_id])
    for step in steps:
        for sentence in step.evidence.split(". "):
            assert sentence in prompt


def test_other_english() -> None:
    steps = parse_prompt(
        "First, run 'prep.py'. Next run the scripts a.R and b.R with bash. "
        'Execute all R Markdown files ending with "_report" in "analysis" '
        "and render them as a Word document. "
        "Extract data.tar.gz to ../data. Create the folders out and figs in the results directory. "
        "Run main.py twice with the sgd optimizer. Second, with the adam optimizer."
    )
    compact = [step.model_dump(exclude_defaults=True, exclude={"evidence"}) for step in steps]
    assert compact == [
        run("prep.py"),
        run("a.R", interpreter="bash"),
        run("b.R", interpreter="bash"),
        run(
            selection={"extension": ".Rmd", "suffix": "_report", "directory": "analysis"},
            output_format="docx",
        ),
        {"action": "unzip", "files": ["data.tar.gz"], "target": "../data"},
        {"action": "make_dirs", "files": ["out", "figs"], "target": "results"},
        run("main.py", arguments=[argument("sgd", "optimizer")]),
        run("main.py", arguments=[argument("adam", "optimizer")]),
    ]


def test_unknown_sentence_is_kept_as_a_note() -> None:
    steps = parse_prompt("Think about the meaning of life. Run 'x.py'.")
    assert [step.action for step in steps] == ["note", "run"]
    assert steps[0].evidence == "Think about the meaning of life"


# Resolution against small capsules ---------------------------------------------------------------


def make_capsule(root: Path, files: dict[str, str]) -> Capsule:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return Capsule(root)


def commands(result: PromptEntries) -> list[tuple[str, str, str]]:
    return [(entry.kind, entry.command, entry.cwd) for entry in result.entries]


def test_file_in_code_root_or_subfolder(tmp_path: Path) -> None:
    capsule = make_capsule(
        tmp_path,
        {
            "code/a.py": "",
            "code/src/deep/b.py": "",
            "code/part_seg/test.py": "",
            "code/src/part_seg/test.py": "",
        },
    )
    result = prompt_entry_points(capsule, "Run 'a.py', 'b.py ', and 'part_seg/test.py'. Run '/code/a.py'.")
    assert commands(result) == [
        ("python", "python a.py", "code"),
        ("python", "python b.py", "code/src/deep"),  # found by name at any depth, run from its folder
        ("python", "python part_seg/test.py", "code"),  # the shallowest fit
        ("python", "python a.py", "code"),
    ]
    assert result.unresolved == []
    assert {entry.evidence.file for entry in result.entries} == {PROMPT_EVIDENCE_FILE}
    assert result.entries[0].evidence.text == "Run 'a.py', 'b.py ', and 'part_seg/test.py'"


def test_plain_repository_runs_from_its_root(tmp_path: Path) -> None:
    capsule = make_capsule(tmp_path, {"main.R": "x <- 1\n", "analysis.Rmd": "---\n---\n"})
    result = prompt_entry_points(
        capsule,
        "Run 'main.R' using Rscript. Run analysis.Rmd and render it as html. Put the results in ../results.",
    )
    assert commands(result) == [("rscript", "Rscript main.R", "."), ("rmarkdown", "analysis.Rmd", ".")]
    assert (result.entries[1].output_format, result.entries[1].output_dir) == ("html", "results")


def test_documents_render_to_the_results_folder_from_their_own_folder(tmp_path: Path) -> None:
    capsule = make_capsule(
        tmp_path,
        {"code/paper/paper.Rmd": "", "code/nb/run.ipynb": "{}", "code/site.qmd": "", "code/tex/Main.Rnw": ""},
    )
    result = prompt_entry_points(
        capsule,
        'Run the paper.Rmd file using Rscript and as an HTML in the "../results" folder. '
        "Set clean to 'TRUE'. "
        "Execute nb/run.ipynb. Save the results in html format in ../results. Run site.qmd. "
        "Load the knitr library. Compile the pdf using knit with 'Main.Rnw' as the input. "
        "For all the runs, disable the cell execution timeout and allow errors.",
    )
    shown = [(e.kind, e.command, e.cwd, e.output_format, e.output_dir) for e in result.entries]
    assert shown == [
        ("rmarkdown", "paper.Rmd", "code/paper", "html", "../../results"),
        ("notebook", "run.ipynb", "code/nb", "html", "../../results"),
        ("quarto", "site.qmd", "code", None, None),
        ("rscript", "Rscript -e \"library(knitr); knitr::knit2pdf('Main.Rnw')\"", "code/tex", "pdf", None),
    ]
    # clean=TRUE is rmarkdown's default; the notebook options are on the result, not the entry.
    assert result.warnings == [
        "run.ipynb: notebook options asked (no cell timeout, allow errors); "
        "an entry point has no field for them"
    ]
    assert result.notebook_no_cell_timeout and result.notebook_allow_errors


def test_results_said_bare_means_the_capsule_results(tmp_path: Path) -> None:
    capsule = make_capsule(tmp_path, {"code/analysis.Rmd": ""})
    result = prompt_entry_points(
        capsule, "Run the analysis.Rmd file using Rscript and output the results in the 'results' directory."
    )
    assert result.entries[0].output_dir == "../results"


def test_selections(tmp_path: Path) -> None:
    capsule = make_capsule(
        tmp_path,
        {
            "code/NewData.py": "",
            "code/fig_10.py": "",
            "code/fig_2.py": "",
            "code/fig_c.R": "",
            "code/other.py": "",
            "code/one/a.ipynb": "{}",
            "code/two/b.ipynb": "{}",
        },
    )
    result = prompt_entry_points(
        capsule,
        "Run 'NewData.py'. Then, run all python files starting with \"fig_\" in the folder. "
        "Execute all the .ipynb files in the ../code directory.",
    )
    assert commands(result) == [
        ("python", "python NewData.py", "code"),
        ("python", "python fig_2.py", "code"),  # in natural order
        ("python", "python fig_10.py", "code"),
        ("notebook", "a.ipynb", "code/one"),  # none directly in code/: the subfolders' ones
        ("notebook", "b.ipynb", "code/two"),
    ]


def test_unresolved_names_are_reported_and_give_no_entry(tmp_path: Path) -> None:
    capsule = make_capsule(tmp_path, {"code/there.py": ""})
    result = prompt_entry_points(
        capsule, "Run 'missing.py' and 'there.py'. Run all python files starting with zz_ in the folder."
    )
    assert commands(result) == [("python", "python there.py", "code")]
    assert result.unresolved == [
        "missing.py: named by the task prompt, not found in the capsule",
        "zz_*.py in code: no such files",
    ]


MAIN_PY = """\
import argparse
import sys

parser = argparse.ArgumentParser()
parser.add_argument('--config', nargs=1, type=str, help='configuration file path', required=True)
parser.add_argument('-t', '--task', type=str, default='embedding')
parser.add_argument('--method', type=str, default=None)
parser.add_argument('--verbose', action='store_true')
args = parser.parse_args(sys.argv[1:])
if args.task == 'preprocessing':
    pass
elif args.task == 'link_pred':
    pass
print(args.config[0], args.task, args.method)
"""


def test_stated_values_go_to_the_declared_options(tmp_path: Path) -> None:
    capsule = make_capsule(tmp_path, {"code/main.py": MAIN_PY, "code/config/uci.json": "{}"})
    result = prompt_entry_points(capsule, PROMPTS["capsule-7038571"])
    assert commands(result) == [
        ("python", "python main.py --config config/uci.json --task preprocessing --method CTGCN-C", "code"),
        ("python", "python main.py --config config/uci.json --task embedding --method CTGCN-C", "code"),
        # "the link-pred task": the code compares the task with 'link_pred', so that is the value passed.
        ("python", "python3 main.py --config config/uci.json --task link_pred", "code"),
    ]
    assert result.warnings == []
    # The command lines are real: the script accepts them.
    argv = result.entries[0].command.split()[1:]
    done = subprocess.run([sys.executable, *argv], cwd=tmp_path / "code", capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["config/uci.json", "preprocessing", "CTGCN-C"]


def test_choices_positionals_and_python2_syntax(tmp_path: Path) -> None:
    script = """\
import argparse
print "python 2"
p = argparse.ArgumentParser()
p.add_argument("dataset", choices=["iris", "wine"])
p.add_argument("--mode", choices=("Fast", "slow"))
"""
    capsule = make_capsule(tmp_path, {"code/train.py": script})
    result = prompt_entry_points(
        capsule, "Run train.py with the fast mode and the wine dataset, and a colour."
    )
    assert commands(result) == [("python", "python train.py --mode Fast wine", "code")]
    assert result.warnings == [
        "code/train.py: the prompt's 'colour' has no place on its command line; left out"
    ]


def test_sys_argv_and_r_command_args_take_values_in_order(tmp_path: Path) -> None:
    capsule = make_capsule(
        tmp_path,
        {
            "code/run.py": "import sys\nsrc, dst = sys.argv[1], sys.argv[2]\n",
            "code/fit.R": "args <- commandArgs(trailingOnly = TRUE)\ninput <- args[1]\n",
        },
    )
    result = prompt_entry_points(
        capsule,
        "Run run.py with in.csv and out.csv. Run fit.R using Rscript with /data/x.csv and the fast mode.",
    )
    assert commands(result) == [
        ("python", "python run.py in.csv out.csv", "code"),
        ("rscript", "Rscript fit.R ../data/x.csv", "code"),
    ]
    assert result.warnings == [
        "code/fit.R: the prompt's 'mode fast' has no place on its command line; left out"
    ]


def test_setup_actions_become_shell_entries_in_order(tmp_path: Path) -> None:
    capsule = make_capsule(
        tmp_path, {"code/evaluate.py": "", "code/pkg-1.0.tar.gz": "", "code/Docs/Main/x.Rnw": ""}
    )
    (tmp_path / "data").mkdir()
    with zipfile.ZipFile(tmp_path / "data" / "set.zip", "w") as archive:
        archive.writestr("set/points.txt", "1 2 3\n")
    result = prompt_entry_points(
        capsule,
        "Run 'evaluate.py'. Unzip ../data/set.zip into the ../data directory. "
        "Make the A, B folders in the results folder. "
        "Set up the package using pip install and the python3 -m flag with the file './pkg-1.0.tar.gz'. "
        "Export the following R default packages: stats,utils. "
        "Set the working directory to 'Docs/Main/'. Compile the pdf using knit with 'x.Rnw' as the input. "
        "Copy 'x.tex' to the ../results directory.",
    )
    assert commands(result) == [
        ("python", "python evaluate.py", "code"),
        ("shell", "mkdir -p ../data && unzip -o -q ../data/set.zip -d ../data", "code"),
        ("shell", "mkdir -p ../results/A ../results/B", "code"),
        ("shell", "python3 -m pip install ./pkg-1.0.tar.gz", "code"),
        (
            "rscript",
            "R_DEFAULT_PACKAGES=stats,utils Rscript -e \"knitr::knit2pdf('x.Rnw')\"",
            "code/Docs/Main",
        ),
        ("shell", "mkdir -p ../results && cp -r Docs/Main/x.tex ../results/", "code"),
    ]
    # The shell entries really do what the prompt asked.
    (tmp_path / "results").mkdir()
    for entry in result.entries[1:3]:
        subprocess.run(entry.command, shell=True, cwd=tmp_path / entry.cwd, check=True)
    assert (tmp_path / "data" / "set" / "points.txt").read_text() == "1 2 3\n"
    assert (tmp_path / "results" / "A").is_dir() and (tmp_path / "results" / "B").is_dir()


def test_module_run_and_output_redirection(tmp_path: Path) -> None:
    capsule = make_capsule(tmp_path, {"code/example_simple.py": "print('hi')\n"})
    result = prompt_entry_points(capsule, PROMPTS["capsule-0396930"])
    assert commands(result) == [
        (
            "python",
            "python3 -m spacy evaluate ../data/gernermed_pipeline ../data/ner_medical.test.spacy "
            "--output ../results/eval_scores.json",
            "code",
        ),
        ("python", "python example_simple.py > ../results/annotation_example.txt", "code"),
    ]
    assert result.unresolved == [
        "./de_GERNERMED-1.0.0.tar.gz: the package the task prompt installs is not in the capsule"
    ]
    assert any("spacy: not in the capsule" in warning for warning in result.warnings)


def test_a_missing_working_directory_is_reported(tmp_path: Path) -> None:
    capsule = make_capsule(tmp_path, {"code/a.py": ""})
    result = prompt_entry_points(capsule, "Set the working directory to 'nowhere/'. Run a.py. Ponder it.")
    assert commands(result) == [("python", "python a.py", "code")]
    assert result.unresolved == ["nowhere/: the task prompt's working directory is not in the capsule"]
    assert result.warnings == ["task prompt sentence not acted on: Ponder it"]


def test_command_lines_flags_locations_and_bare_names() -> None:
    steps = parse_prompt(
        "Run 'python main.py --epochs 10 --lr 0.1'. Run train.py with the arguments --seed 1 --fast. "
        "Run x.py in the src folder. Run 'run'. Run analysis.py using Python 3.8. "
        "Run all the R scripts in order. Run all Jupyter notebooks in the notebooks folder."
    )
    compact = [step.model_dump(exclude_defaults=True, exclude={"evidence"}) for step in steps]
    assert compact == [
        run("main.py", interpreter="python", verbatim_arguments=["--epochs", "10", "--lr", "0.1"]),
        run("train.py", verbatim_arguments=["--seed", "1", "--fast"]),
        run("x.py", location="src"),
        run("run"),
        run("analysis.py", interpreter="python3"),
        run(selection={"extension": ".R"}),
        run(selection={"extension": ".ipynb", "directory": "notebooks"}),
    ]


def test_location_shebang_and_verbatim_arguments_resolve(tmp_path: Path) -> None:
    capsule = make_capsule(
        tmp_path,
        {
            "code/x.py": "",
            "code/src/x.py": "",
            "code/run": "#!/usr/bin/env bash\npython x.py\n",
            "code/notes": "no shebang\n",
            "code/main.py": "",
        },
    )
    result = prompt_entry_points(
        capsule,
        "Run x.py in the src folder. Run 'run'. Run 'notes'. Run 'main.py --data /data/in.csv'. "
        "Run y.py in the 'lost' folder.",
    )
    assert commands(result) == [
        ("python", "python x.py", "code/src"),
        ("shell", "bash run", "code"),
        ("python", "python main.py --data ../data/in.csv", "code"),
    ]
    assert result.unresolved == [
        "code/notes: the task prompt asks to run it, but no runner is known for a file with neither "
        "extension nor #! line",
        "lost: the task prompt's folder is not in the capsule",
        "y.py: named by the task prompt, not found in the capsule",
    ]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.sampled_from(
            [
                "Run",
                "run",
                "'",
                '"',
                "‘",
                "a.py",
                "all",
                "files",
                "in",
                "the",
                "with",
                "-m",
                "python3",
                "../results",
                "folder",
                ",",
                ".",
                " and ",
                "times",
                "First,",
                "Set",
                "to",
                "Unzip",
                "x.zip",
                "Make",
                "folders",
                ":",
                "Copy",
                "into",
                "--x",
                "1",
                "html",
                "/data/a",
                "pip install",
                "./p.tar.gz",
                "working directory",
            ]
        )
        | st.text(max_size=8),
        max_size=40,
    ).map(" ".join)
)
def test_any_text_parses_and_resolves_without_error(tmp_path: Path, text: str) -> None:
    capsule = make_capsule(tmp_path, {"code/a.py": "import argparse\n", "code/x.zip": ""})
    result = prompt_entry_points(capsule, text)
    assert len(result.steps) <= len(text) + 1
    for entry in result.entries:
        assert entry.evidence.file == PROMPT_EVIDENCE_FILE


def test_a_huge_prompt_is_read_only_so_far(tmp_path: Path) -> None:
    capsule = make_capsule(tmp_path, {"code/a.py": ""})
    result = prompt_entry_points(capsule, "Run 'a.py'. " + "Run it in the a/b folder. " * 2000)
    assert commands(result)[0] == ("python", "python a.py", "code")
    assert result.warnings[-1] == "the task prompt was read up to its first 10000 characters"


# Files the prompts name by a rule or a folder rather than by name, for the capsules made below.
RULE_FILES = {
    "capsule-6746514": ["code/fig_1.py"],
    "capsule-7156696": ["code/a.ipynb"],
    "capsule-7935517": ["code/Documents/Paper_main/Paper_main.Rnw"],
}


@pytest.mark.parametrize("capsule_id", sorted(PROMPTS))
def test_train_prompt_resolves_on_a_capsule_with_its_files(tmp_path: Path, capsule_id: str) -> None:
    """A Code Ocean capsule holding every file a train prompt names gets one entry per file and action."""
    steps = parse_prompt(PROMPTS[capsule_id])
    names = [name for step in steps if step.action in ("run", "pip_install") for name in step.files]
    files = [f"code/{name.removeprefix('/code/').removeprefix('./')}" for name in names]
    archives = [
        f"{name.removeprefix('../')}" for step in steps if step.action == "unzip" for name in step.files
    ]
    capsule = make_capsule(tmp_path, dict.fromkeys([*files, *archives, *RULE_FILES.get(capsule_id, [])], ""))
    result = prompt_entry_points(capsule, PROMPTS[capsule_id])
    assert result.unresolved == []
    # One entry per file run, archive unpacked or package installed; one per mkdir or copy sentence.
    per_file = {"run", "unzip", "pip_install"}
    expected = [
        max(len(step.files), 1) if step.action in per_file else int(step.action in ("make_dirs", "copy"))
        for step in steps
    ]
    assert len(result.entries) == sum(expected)


def test_opening_phrases_politeness_and_make() -> None:
    steps = parse_prompt(
        "Using Rscript, run main.R. In the src folder, run x.py. Please run 'make all'. "
        "You should run the Makefile. Run make. Run main.py with the '--dataset cora' argument. "
        "Run main.py with the config file 'configs/x.yaml'. Run main.py and save the output to 'out.txt'."
    )
    compact = [step.model_dump(exclude_defaults=True, exclude={"evidence"}) for step in steps]
    assert compact == [
        run("main.R", interpreter=RSCRIPT),
        run("x.py", location="src"),
        run("Makefile", verbatim_arguments=["all"]),
        run("Makefile"),
        run("Makefile"),
        run("main.py", verbatim_arguments=["--dataset", "cora"]),
        run("main.py", arguments=[argument("configs/x.yaml", "config file")]),
        run("main.py", stdout_file="out.txt"),
    ]


def test_make_runs_in_the_makefile_folder(tmp_path: Path) -> None:
    capsule = make_capsule(tmp_path, {"code/paper/Makefile": "all:\n\ttrue\n", "code/cfg.py": CFG_PY})
    result = prompt_entry_points(
        capsule, "Run 'make all'. Run cfg.py with the config file 'configs/x.yaml' and the 3 seeds."
    )
    assert commands(result) == [
        ("make", "make all", "code/paper"),
        ("python", "python cfg.py --config_path configs/x.yaml --seeds 3", "code"),
    ]


CFG_PY = """\
import argparse
parser = argparse.ArgumentParser()
parser.add_argument("--config_path", default="configs/default.yaml")
parser.add_argument("--seeds", type=int, default=1)
"""


def test_a_set_option_after_a_script_is_one_of_its_options(tmp_path: Path) -> None:
    capsule = make_capsule(tmp_path, {"code/cfg.py": CFG_PY})
    result = prompt_entry_points(capsule, "Run 'cfg.py'. Set seeds to 5. Set colour to 'red'.")
    assert commands(result) == [("python", "python cfg.py --seeds 5", "code")]
    assert result.warnings == [
        "code/cfg.py: the prompt's 'colour red' has no place on its command line; left out"
    ]


@pytest.mark.parametrize(
    "said",
    [
        "from its folder",
        "in its own directory",
        "from the script's folder",
        "from the script's own directory",
    ],
)
def test_from_its_folder_runs_the_script_from_its_own_folder(tmp_path: Path, said: str) -> None:
    capsule = make_capsule(
        tmp_path, {"project4/CODE/q3.py": "open('data.txt')\n", "project4/CODE/data.txt": ""}
    )
    result = prompt_entry_points(capsule, f"Run 'project4/CODE/q3.py' using python3 {said}.")
    assert commands(result) == [("python", "python3 q3.py", "project4/CODE")]


def test_a_path_said_without_its_folder_runs_from_where_it_was_said(tmp_path: Path) -> None:
    capsule = make_capsule(tmp_path, {"project4/CODE/q3.py": ""})
    result = prompt_entry_points(capsule, "Run 'project4/CODE/q3.py' using python3.")
    assert commands(result) == [("python", "python3 project4/CODE/q3.py", ".")]
