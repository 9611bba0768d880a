"""One fixture capsule per detector: what each source yields, and the line it is cited from."""

from pathlib import Path

import pytest

from reproducer.plan import Plan, Requirement, make_plan
from reproducer.plan.capsule import Capsule
from reproducer.plan.detectors import imports_r

FIXTURES = Path(__file__).parent / "fixtures" / "plan"


def plan_of(name: str) -> Plan:
    return make_plan(FIXTURES / name)


def specs(requirements: list[Requirement]) -> list[str]:
    return [r.spec for r in requirements]


def cited(requirements: list[Requirement], spec: str) -> str:
    return next(str(r.evidence) for r in requirements if r.spec == spec)


def test_code_ocean_dockerfile_base_image_installs_and_post_install() -> None:
    plan = plan_of("dockerfile")
    assert plan.dependency_source is not None
    assert plan.dependency_source.value == "environment/Dockerfile"
    assert plan.python_version is not None and plan.python_version.value == "3.7"
    assert str(plan.python_version.evidence) == "environment/Dockerfile:2"
    assert "Miniconda 4.7.10" in plan.python_version.evidence.text
    assert specs(plan.python_requirements) == [
        "scipy==1.3.1",
        "torch==1.4.0",
        "matplotlib==3.1.1",
        "numpy==1.17.2",
        "pandas==0.25.1",
        "seaborn==0.9.0",
        "tqdm==4.36.1",
    ]
    assert specs(plan.conda_packages) == ["conda-forge::scipy=1.3.1", "conda-forge::pytorch==1.4.0"]
    assert specs(plan.r_packages) == ["ggplot2@3.3.0", "dplyr", "tidyr", "user/somepkg"]
    assert specs(plan.system_packages) == ["libgl1=1.0.0-2ubuntu2.3", "libsm6"]
    assert cited(plan.system_packages, "libsm6") == "environment/Dockerfile:9"
    assert cited(plan.python_requirements, "pandas==0.25.1") == "environment/Dockerfile:19"
    assert cited(plan.python_requirements, "tqdm==4.36.1") == "environment/postInstall:4"
    assert cited(plan.r_packages, "tidyr") == "environment/Dockerfile:22"
    assert cited(plan.r_packages, "user/somepkg") == "environment/Dockerfile:23"


def test_dockerfile_setup_commands_keep_only_what_is_not_an_install() -> None:
    commands = [(c.value, str(c.evidence)) for c in plan_of("dockerfile").setup_commands]
    assert commands[:3] == [
        ("export PROJ_LIB=/opt/conda/share/proj", "environment/Dockerfile:24"),
        ("git clone https://github.com/example/tool.git /opt/tool", "environment/postInstall:5"),
        ("cd /opt/tool && make", "environment/postInstall:6"),
    ]
    compound, where = commands[3]
    assert compound.startswith("if [ -d /data ]; then") and compound.endswith("fi")
    assert where == "environment/postInstall:7"
    everything = " ".join(value for value, _ in commands)
    for installed_or_noise in ("apt-get", "pip install", "postInstall", "conda clean", "set -e"):
        assert installed_or_noise not in everything


def test_dockerfile_index_option_is_reported_not_carried() -> None:
    assert any("environment/Dockerfile:20" in w and "-f" in w for w in plan_of("dockerfile").warnings)


def test_uv_lock_pins_everything_but_the_project_itself() -> None:
    plan = plan_of("uv_lock")
    assert specs(plan.python_requirements) == ["numpy==1.26.4", "requests==2.31.0"]
    assert cited(plan.python_requirements, "requests==2.31.0") == "uv.lock:15"
    assert plan.python_version is not None and plan.python_version.value == ">=3.9"


def test_poetry_lock_skips_dev_packages_and_reads_the_caret_python() -> None:
    plan = plan_of("poetry_lock")
    assert specs(plan.python_requirements) == ["numpy==1.21.0", "scipy==1.7.3"]
    assert cited(plan.python_requirements, "scipy==1.7.3") == "poetry.lock:18"
    assert plan.python_version is not None and plan.python_version.value == ">=3.8,<4.0"


def test_pipfile_lock_default_section_with_markers() -> None:
    plan = plan_of("pipfile_lock")
    assert specs(plan.python_requirements) == ["pandas==1.1.5", "six==1.15.0; python_version >= '2.7'"]
    assert cited(plan.python_requirements, "pandas==1.1.5") == "Pipfile.lock:13"
    assert plan.python_version is not None and plan.python_version.value == "3.7"


def test_renv_lock_gives_r_version_and_pak_refs() -> None:
    plan = plan_of("renv_lock")
    assert plan.r_version is not None and plan.r_version.value == "4.0.2"
    assert specs(plan.r_packages) == ["ggplot2@3.3.2", "bioc::limma", "someone/mypkg@abc123"]
    assert cited(plan.r_packages, "bioc::limma") == "renv.lock:18"


def test_environment_yml_maps_conda_to_pip_and_r_and_follows_pip_includes() -> None:
    plan = plan_of("environment_yml")
    assert plan.python_version is not None and str(plan.python_version.evidence) == "environment.yml:6"
    assert plan.python_version.value == "3.8"
    assert plan.r_version is not None and plan.r_version.value == "4.0"
    assert specs(plan.python_requirements) == [
        "numpy==1.19.*",
        "scikit-learn==0.23.2",
        "requests==2.25.1",
        "tqdm==4.50.0",
    ]
    assert cited(plan.python_requirements, "requests==2.25.1") == "environment.yml:14"
    assert cited(plan.python_requirements, "tqdm==4.50.0") == "extra-requirements.txt:2"
    assert "cudatoolkit=10.1" in specs(plan.conda_packages)
    assert specs(plan.r_packages) == ["ggplot2@3.3.0"]


def test_requirements_txt_includes_comments_options_and_editable_installs() -> None:
    plan = plan_of("requirements_txt")
    assert specs(plan.python_requirements) == [
        "six==1.15.0",
        "numpy==1.18.5",
        "scipy>=1.4,<1.6",
        "pandas==1.0.5",
        "git+https://github.com/example/tool.git@v1.0#egg=tool",
    ]
    assert cited(plan.python_requirements, "six==1.15.0") == "code/base-requirements.txt:1"
    assert cited(plan.python_requirements, "scipy>=1.4,<1.6") == "code/requirements.txt:5"
    assert [(c.value, str(c.evidence)) for c in plan.setup_commands] == [
        ("pip install -e code", "code/requirements.txt:8")
    ]
    assert any("code/requirements.txt:3" in w and "--index-url" in w for w in plan.warnings)
    assert any("requirements-dev.txt" in w and "not used" in w for w in plan.warnings)


def test_pyproject_pep621() -> None:
    plan = plan_of("pyproject")
    assert specs(plan.python_requirements) == ["numpy>=1.20", "pandas==1.3.0", "matplotlib"]
    assert cited(plan.python_requirements, "matplotlib") == "pyproject.toml:12"
    assert plan.python_version is not None and plan.python_version.value == ">=3.8"


def test_pyproject_poetry_dependencies_become_pep440() -> None:
    plan = plan_of("pyproject_poetry")
    assert specs(plan.python_requirements) == [
        "numpy>=1.21,<2.0",
        "torch[cuda]==1.10.0",
        "mytool @ git+https://github.com/example/mytool.git@v2",
    ]
    assert plan.python_version is not None and plan.python_version.value == ">=3.8,<4.0"
    assert str(plan.python_version.evidence) == "pyproject.toml:6"


def test_setup_py_is_read_statically_through_a_module_level_name() -> None:
    plan = plan_of("setup_py")
    assert specs(plan.python_requirements) == ["numpy>=1.16", "scipy==1.2.1"]
    assert cited(plan.python_requirements, "scipy==1.2.1") == "setup.py:5"
    assert plan.python_version is not None and plan.python_version.value == ">=3.6"
    assert str(plan.python_version.evidence) == "setup.py:12"


def test_python2_setup_py_falls_back_to_the_literal_text() -> None:
    plan = plan_of("setup_py2")
    assert specs(plan.python_requirements) == ["numpy==1.11.0", "networkx==1.11"]
    assert cited(plan.python_requirements, "networkx==1.11") == "setup.py:6"


def test_setup_cfg_options() -> None:
    plan = plan_of("setup_cfg")
    assert specs(plan.python_requirements) == ["numpy>=1.17", "pyyaml==5.3"]
    assert cited(plan.python_requirements, "pyyaml==5.3") == "setup.cfg:8"
    assert plan.python_version is not None and plan.python_version.value == ">=3.7"


def test_pipfile_packages_and_python() -> None:
    plan = plan_of("pipfile")
    assert specs(plan.python_requirements) == ["requests", "numpy==1.19.0", "scikit-learn[alldeps]>=0.22"]
    assert cited(plan.python_requirements, "numpy==1.19.0") == "Pipfile:8"
    assert plan.python_version is not None and str(plan.python_version.evidence) == "Pipfile:15"


def test_install_r_calls_ignoring_comments() -> None:
    plan = plan_of("install_r")
    assert specs(plan.r_packages) == ["dplyr", "readr", "lme4@1.1-23", "bioc::DESeq2"]
    assert cited(plan.r_packages, "bioc::DESeq2") == "install.R:5"


def test_description_imports_remotes_and_r_version() -> None:
    plan = plan_of("description")
    assert specs(plan.r_packages) == ["dplyr", "ggplot2", "someone/mypkg"]
    assert plan.r_version is not None and plan.r_version.value == ">=3.5.0"
    assert str(plan.r_version.evidence) == "DESCRIPTION:4"


@pytest.mark.parametrize(
    ("fixture", "python", "r"),
    [("runtime_txt", "3.8", None), ("runtime_r_date", None, "3.6"), ("python_version_file", "3.9.7", None)],
)
def test_runtime_files_state_versions(fixture: str, python: str | None, r: str | None) -> None:
    plan = plan_of(fixture)
    assert (plan.python_version.value if plan.python_version else None) == python
    assert (plan.r_version.value if plan.r_version else None) == r


def test_apt_txt_system_packages() -> None:
    plan = plan_of("apt_txt")
    assert specs(plan.system_packages) == ["libgdal-dev", "ffmpeg"]
    assert cited(plan.system_packages, "ffmpeg") == "apt.txt:3"


def test_readme_code_blocks_with_prompts() -> None:
    plan = plan_of("readme")
    assert plan.dependency_source is not None and plan.dependency_source.value == "README"
    assert specs(plan.python_requirements) == ["numpy==1.19.2", "scikit-learn>=0.23", "cartopy==0.18.*"]
    assert specs(plan.conda_packages) == ["conda-forge::cartopy=0.18"]
    assert specs(plan.system_packages) == ["libgeos-dev"]
    # The R block is read (README.md:14), but only `python main.py` runs, so R is not installed.
    assert specs(plan.r_packages) == []
    assert "1 R package(s) declared (README.md:14) not installed" in "\n".join(plan.warnings)
    assert plan.setup_commands == []


def test_imports_are_mapped_skipping_stdlib_own_modules_and_python2_names() -> None:
    plan = plan_of("imports")
    assert plan.dependency_source is not None and plan.dependency_source.value == "imports"
    assert specs(plan.python_requirements) == [
        "lifelines==0.25.0",
        "seaborn",
        "biopython",
        "beautifulsoup4",
        "pandas",
        "python-dateutil",
        "numpy",
        "scikit-learn",
        "pillow",
        "opencv-python",
        "pyyaml",
        "torch",
    ]
    assert cited(plan.python_requirements, "seaborn") == "code/explore.ipynb:19"
    assert cited(plan.python_requirements, "beautifulsoup4") == "code/legacy.py:4"
    assert cited(plan.python_requirements, "torch") == "code/main.py:16"
    # plots.R runs at its top level, so it is an entry point and its packages are planned.
    found = imports_r.detect(Capsule(FIXTURES / "imports"))
    assert found is not None and specs(found.r_packages) == ["ggplot2", "data.table", "stringr"]
    assert "Rscript plots.R" in [entry.command for entry in plan.entry_points]
    assert specs(plan.r_packages) == ["ggplot2", "data.table", "stringr"]
    assert any("guessed from the code's imports" in w for w in plan.warnings)


def test_code_ocean_r_dockerfile() -> None:
    plan = plan_of("dockerfile_r")
    assert plan.r_version is not None and plan.r_version.value == "3.6.3"
    assert plan.python_version is None
    assert specs(plan.r_packages) == ["data.table", "lme4", "BiocManager", "bioc::limma", "bioc::edgeR"]
    assert cited(plan.r_packages, "lme4") == "environment/Dockerfile:8"
    # A local source package cannot be fetched: its command is kept to run at setup.
    local_install = "R -e \"install.packages('pkg.tar.gz', repos = NULL, type = 'source')\""
    assert [(c.value, str(c.evidence)) for c in plan.setup_commands] == [
        (local_install, "environment/Dockerfile:11")
    ]
    assert [lang.value for lang in plan.languages] == ["r"]


def test_requirement_includes_that_loop_are_read_once(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("-r other.txt\nsix==1.0\n")
    (tmp_path / "other.txt").write_text("-r requirements.txt\nattrs==20.1\n-r missing.txt\n")
    plan = make_plan(tmp_path)
    assert specs(plan.python_requirements) == ["attrs==20.1", "six==1.0"]
    assert any("other.txt:1" in w and "includes itself" in w for w in plan.warnings)
    assert any("other.txt:3" in w and "missing.txt" in w and "not found" in w for w in plan.warnings)


def test_environment_yml_including_its_sibling_requirements_is_not_merged_twice(tmp_path: Path) -> None:
    (tmp_path / "environment.yml").write_text("dependencies:\n  - pip:\n    - -r requirements.txt\n")
    (tmp_path / "requirements.txt").write_text("six==1.0\n")
    plan = make_plan(tmp_path)
    assert specs(plan.python_requirements) == ["six==1.0"]
    assert not any("merged" in w for w in plan.warnings)
