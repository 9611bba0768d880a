"""Plans of real repositories' shapes: Windows-encoded files, retired names, markers, R twins."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reproducer.capsules.stage import stage_capsule
from reproducer.plan import make_plan
from reproducer.plan.capsule import Capsule
from reproducer.plan.debian import debian_names
from reproducer.plan.fixes import apply_fixes
from reproducer.plan.parse.distributions import current_name, excluded_everywhere

FIXTURES = Path(__file__).parent / "fixtures" / "plan"


def specs(plan_dir: str) -> list[str]:
    return [r.spec for r in make_plan(FIXTURES / plan_dir).python_requirements]


def test_a_utf16_requirements_file_is_read_with_markers_and_retired_names_settled() -> None:
    plan = make_plan(FIXTURES / "requirements_utf16")
    assert [r.spec for r in plan.python_requirements] == [
        "numpy==1.16.4",
        "scikit-learn",
        'dataclasses==0.8; python_version < "3.7"',  # true on 3.6: uv decides
    ]
    assert [str(r.evidence) for r in plan.python_requirements] == [
        "requirements.txt:1",
        "requirements.txt:2",
        "requirements.txt:5",
    ]
    warnings = "\n".join(plan.warnings)
    assert "sklearn (requirements.txt:2) is a retired name; installing scikit-learn" in warnings
    assert 'pywin32==228; sys_platform == "win32" (requirements.txt:3) not installed' in warnings
    assert 'futures==3.1.1; python_version < "3" (requirements.txt:4) not installed' in warnings


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"\xef\xbb\xbfpandas==1.0\n", "pandas==1.0\n"),
        ("pandas==1.0\n".encode("utf-16-le"), "pandas==1.0\n"),
        ("pandas==1.0\n".encode("utf-16-be"), "pandas==1.0\n"),
        (b"\x00\x01\x02binary\x00\x00\x07", None),
    ],
    ids=["utf-8 mark", "utf-16-le without mark", "utf-16-be without mark", "binary"],
)
def test_read_text_decodes_windows_encodings(tmp_path: Path, data: bytes, text: str | None) -> None:
    (tmp_path / "requirements.txt").write_bytes(data)
    assert Capsule(tmp_path).read_text("requirements.txt") == text


@pytest.mark.parametrize(
    ("declared", "installed"),
    [
        ("sklearn", "scikit-learn"),
        ("sklearn==0.0", "scikit-learn"),  # the pin was the stub's
        ("skimage>=0.1", "scikit-image"),
        ("PIL", "Pillow"),
        ("pytorch", "torch"),
        ('pycrypto==2.6.1; python_version >= "3"', 'pycryptodome; python_version >= "3"'),
        ("tensorflow-gpu", "tensorflow"),
        ("tensorflow-gpu==1.15.0", "tensorflow-gpu==1.15.0"),  # still installs, on its Python
        ("scikit-learn==0.22", "scikit-learn==0.22"),
    ],
)
def test_retired_names_are_mapped(declared: str, installed: str) -> None:
    assert current_name(declared) == installed


@pytest.mark.parametrize(
    ("spec", "excluded"),
    [
        ('pywin32==228; sys_platform == "win32"', True),
        ("appnope; platform_system == 'Darwin'", True),
        ('enum34; python_version < "3.4"', True),
        ('dataclasses; python_version < "3.7"', False),
        ('uvloop; sys_platform != "win32"', False),
        ("numpy==1.16.4", False),
        ("odd; not a marker", False),
    ],
)
def test_markers_false_for_every_python_of_ours_exclude_the_package(spec: str, excluded: bool) -> None:
    assert (excluded_everywhere(spec) is not None) is excluded


def test_a_python_analysis_with_r_twins_needs_no_r() -> None:
    plan = make_plan(FIXTURES / "r_twins")
    assert [entry.command for entry in plan.entry_points] == ["python analysis.py"]
    assert {language.value for language in plan.languages} == {"python", "r"}
    assert plan.r_packages == []
    assert any("R package(s) declared (code/analysis.R:1) not installed" in w for w in plan.warnings)
    assert [r.spec for r in plan.python_requirements] == ["pandas"]


def test_r_twins_keep_their_packages_when_r_runs(tmp_path: Path) -> None:
    (tmp_path / "code").mkdir()
    for name in ("analysis.py", "analysis.R"):
        (tmp_path / "code" / name).write_text((FIXTURES / "r_twins" / "code" / name).read_text())
    (tmp_path / "code" / "README.md").write_text("Run it:\n\n```bash\nRscript analysis.R\n```\n")
    plan = make_plan(tmp_path)
    assert [entry.kind for entry in plan.entry_points] == ["rscript"]
    assert [r.spec for r in plan.r_packages] == ["dplyr"]


def test_the_readme_s_tested_version_beats_a_range_it_lies_in() -> None:
    plan = make_plan(FIXTURES / "readme_python")
    assert plan.python_version is not None
    assert (plan.python_version.value, str(plan.python_version.evidence)) == ("3.7", "README.md:3")


@pytest.mark.parametrize(
    ("files", "version", "cited"),
    [
        ({"README.md": "Requires Python 3.6+ and R.\n"}, ">=3.6", "README.md:1"),
        ({"README.md": "See lib/python3.7/site-packages.\n"}, None, None),
        (
            {
                "setup.py": 'setup(classifiers=["Programming Language :: Python :: 3.6",\n'
                '"Programming Language :: Python :: 3.8"])\n'
            },
            ">=3.6,<3.9",
            "setup.py:1",
        ),
        (
            {"pyproject.toml": '[tool.black]\nline-length = 88\ntarget-version = ["py37"]\n'},
            ">=3.7",
            "pyproject.toml:3",
        ),
        (
            {
                "pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.8"\n',
                "README.md": "Python 3.6\n",
            },
            ">=3.8",  # 3.6 contradicts the range: the range stands
            "pyproject.toml:3",
        ),
    ],
    ids=["readme plus", "a path", "classifiers", "black target", "contradiction"],
)
def test_python_version_from_prose_classifiers_and_targets(
    tmp_path: Path, files: dict[str, str], version: str | None, cited: str | None
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    (tmp_path / "main.py").write_text("print(1)\n")
    stated = make_plan(tmp_path).python_version
    found = (stated.value, str(stated.evidence)) if stated else (None, None)
    assert found == (version, cited)


def test_a_subfolder_package_is_installed_as_the_readme_says() -> None:
    plan = make_plan(FIXTURES / "local_package_readme")
    assert [(c.value, str(c.evidence)) for c in plan.setup_commands] == [
        ("pip install -e ./toolkit", "README.md:5")
    ]


def test_a_subfolder_package_the_code_imports_is_installed_and_not_taken_from_pypi() -> None:
    plan = make_plan(FIXTURES / "local_package_import")
    assert [(c.value, str(c.evidence)) for c in plan.setup_commands] == [
        ("pip install -e ./lib", "experiments/run.py:2")
    ]
    assert [r.spec for r in plan.python_requirements] == ["numpy"]


def test_the_code_root_s_own_package_needs_no_install(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("X = 1\n")
    (tmp_path / "setup.py").write_text("from setuptools import setup\nsetup(name='pkg')\n")
    (tmp_path / "main.py").write_text("import pkg\nprint(pkg.X)\n")
    assert make_plan(tmp_path).setup_commands == []
    (tmp_path / "README.md").write_text("Install with `pip install .` first.\n")
    assert [c.value for c in make_plan(tmp_path).setup_commands] == ["pip install ."]


def test_author_paths_are_fixed_in_the_staged_copy_and_cited(tmp_path: Path) -> None:
    plan = make_plan(FIXTURES / "author_paths")
    assert [(str(f.evidence), f.old, f.new) for f in plan.fixes] == [
        ("code/analysis.R:1", "/Users/jane/Dropbox/wage-paper/code", "."),
        ("code/analysis.R:2", "C:/Users/jane/wage-paper/data/wages.csv", "../data/wages.csv"),
    ]
    staged = stage_capsule(FIXTURES / "author_paths", "hard", tmp_path / "ws")
    done = apply_fixes(plan.fixes, staged.capsule_dir)
    assert done[0] == "code/analysis.R:1: `/Users/jane/Dropbox/wage-paper/code` -> `.`"
    lines = (staged.capsule_dir / "code" / "analysis.R").read_text().splitlines()
    assert lines[:2] == ['setwd(".")', 'wages <- read.csv("../data/wages.csv")']
    assert "/Users/jane" in (FIXTURES / "author_paths" / "code" / "analysis.R").read_text()  # source kept
    assert make_plan(staged.capsule_dir).fixes == []


def test_a_chdir_to_an_unknown_author_folder_means_the_script_s_folder(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "src" / "fit.py").write_text(
        'import os\nos.chdir("/home/li/projects/thesis/scripts")\n'
        'open("/home/li/projects/thesis/out/a.txt", "w")\nopen("/etc/hosts")\nos.chdir("/data")\n'
    )
    fixes = make_plan(tmp_path).fixes
    # After the chdir the run is in src/, so out/ is one folder up (a.txt is to be written there);
    # /etc and /data are not author paths.
    assert [(f.evidence.line, f.old, f.new) for f in fixes] == [
        (2, "/home/li/projects/thesis/scripts", "."),
        (3, "/home/li/projects/thesis/out/a.txt", "../out/a.txt"),
    ]


@pytest.mark.skipif(debian_names() is None, reason="needs apt-cache and an apt index")
def test_system_packages_debian_does_not_know_are_dropped(tmp_path: Path) -> None:
    (tmp_path / "apt.txt").write_text("libgeos-dev\npython-dev\nlibgl1-mesa-glx\nno-such-package-xyz\n")
    (tmp_path / "main.py").write_text("print(1)\n")
    plan = make_plan(tmp_path)
    assert [r.spec for r in plan.system_packages] == ["libgeos-dev", "libgl1-mesa-glx"]
    warnings = "\n".join(plan.warnings)
    assert "system package `python-dev` (apt.txt:2) dropped: Debian has no package" in warnings
    assert "`no-such-package-xyz` (apt.txt:4) dropped" in warnings


def test_the_analysis_requirements_are_chosen_over_the_developers() -> None:
    plan = make_plan(FIXTURES / "requirements_dev_and_research")
    assert [r.spec for r in plan.python_requirements] == ["pandas==1.1.5", "scikit-learn==0.24.1"]
    assert any("also found (not used): requirements_dev.txt" in w for w in plan.warnings)


def test_r_packages_come_from_the_files_that_run_and_what_they_source() -> None:
    plan = make_plan(FIXTURES / "r_side_script", prompt="Run 'analysis.R' using Rscript.")
    assert [entry.command for entry in plan.entry_points] == ["Rscript analysis.R"]
    # magrittr is loaded by helpers/load.R, which analysis.R sources; r2excel only by the side script.
    assert [r.spec for r in plan.r_packages] == ["data.table", "magrittr"]
    assert any(
        "r2excel not required: loaded only by files that do not run (export-excel.R:2)" in w
        for w in plan.warnings
    )


def test_r_packages_of_every_running_script_are_kept() -> None:
    plan = make_plan(FIXTURES / "r_side_script")
    assert len(plan.entry_points) == 2
    assert [r.spec for r in plan.r_packages] == ["data.table", "r2excel", "magrittr"]


def test_a_committed_make_target_is_removed_so_that_make_regenerates_it(tmp_path: Path) -> None:
    capsule = tmp_path / "repo"
    shutil.copytree(FIXTURES / "make_committed", capsule)
    plan = make_plan(capsule, prompt="Run 'make out/stats.txt' to recompute the statistics.")
    [entry] = plan.entry_points
    assert entry.command == "rm -f -- out/stats.txt && make out/stats.txt"
    assert any("out/stats.txt: committed, so make would find it up to date" in w for w in plan.warnings)
    # Run as the sandbox runs it (a shell in the staged copy): the statistics are made again.
    done = subprocess.run(
        ["sh", "-c", entry.command], cwd=capsule, capture_output=True, text=True, check=True
    )
    assert "python3 code/stats.py" in done.stdout
    assert (capsule / "out" / "stats.txt").read_text() == "mean 5.0\n"


@pytest.mark.parametrize("target", ["findings", "all"])
def test_committed_outputs_a_phony_target_builds_are_removed_but_not_downloads(target: str) -> None:
    plan = make_plan(FIXTURES / "make_committed", prompt=f"Run 'make {target}' to regenerate out/stats.txt.")
    assert [e.command for e in plan.entry_points] == [f"rm -f -- out/stats.txt && make {target}"]


@pytest.mark.parametrize(
    "prompt", ["Run 'make clean'.", "Run 'make data.csv'.", "Run 'make -B out/stats.txt'."]
)
def test_targets_that_build_no_committed_derived_file_run_as_asked(prompt: str) -> None:
    [entry] = make_plan(FIXTURES / "make_committed", prompt=prompt).entry_points
    assert entry.command == prompt.removeprefix("Run '").removesuffix("'.")


def test_a_script_whose_data_sit_beside_it_runs_from_its_folder(tmp_path: Path) -> None:
    capsule = tmp_path / "repo"
    shutil.copytree(FIXTURES / "script_data_beside", capsule)
    prompt = "Run 'python3 sim/bootstrap.py data/table.csv'."
    plan = make_plan(capsule, prompt=prompt)
    [entry] = plan.entry_points
    # The argument names a file from the root: rewritten to stay that file.
    assert (entry.command, entry.cwd) == ("python3 bootstrap.py ../data/table.csv", "sim")
    assert any("the files it opens by relative path (samples.dat) are there" in w for w in plan.warnings)
    done = subprocess.run(
        [sys.executable, "bootstrap.py", "../data/table.csv"],
        cwd=capsule / "sim",
        capture_output=True,
        text=True,
    )
    assert done.stdout.startswith("mean 3.0")


def test_a_script_whose_data_resolve_from_the_root_stays_there() -> None:
    plan = make_plan(FIXTURES / "script_data_beside", prompt="Run 'sim/from_root.py' using python3.")
    assert [(e.command, e.cwd) for e in plan.entry_points] == [("python3 sim/from_root.py", ".")]
