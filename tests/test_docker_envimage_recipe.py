"""Without an engine: the image key, the recipe taken from a plan, our Dockerfile and build context, the
host's index settings as build arguments, and reading a failed build's log."""

from collections.abc import Sequence
from pathlib import Path

import docker.constants

from reproducer.docker.build import NO_BASE_IMAGE, BuildLimits, diagnose_build
from reproducer.docker.dockerfile import (
    CA_BUNDLE,
    HOST_CA_BUNDLE,
    VENV,
    build_arguments,
    render_dockerfile,
    write_context,
)
from reproducer.docker.recipe import environment_key, recipe_from_plan, wants_r
from reproducer.plan.model import Decision, EntryPoint, Evidence, Plan, Requirement

BASE_ID = "sha256:" + "a" * 64


def _plan(python: Sequence[str] = (), *, file: str = "code/requirements.txt", **lists: list[str]) -> Plan:
    evidence = Evidence(file=file, line=1)
    fields = {
        name: [Requirement(spec=spec, evidence=evidence) for spec in specs] for name, specs in lists.items()
    }
    return Plan(
        capsule="c", python_requirements=[Requirement(spec=s, evidence=evidence) for s in python], **fields
    )


def _key(plan: Plan, base_id: str = BASE_ID, python: str | None = "3.11") -> str:
    return environment_key(recipe_from_plan(plan), base_id, python, None)


def test_the_key_ignores_order_and_evidence() -> None:
    one = _plan(["six==1.16.0", "numpy==2.0.2"])
    other = _plan(["numpy==2.0.2", "six==1.16.0"], file="environment/Dockerfile")
    assert _key(one) == _key(other)
    assert len(_key(one)) == 64


def test_the_key_changes_with_the_requirements_the_base_and_the_python() -> None:
    plan = _plan(["six==1.16.0"])
    keys = {
        _key(plan),
        _key(_plan(["six==1.15.0"])),
        _key(_plan(["six==1.16.0"], system_packages=["libxml2-dev"])),
        _key(_plan(["six==1.16.0"], r_packages=["jsonlite"])),
        _key(plan, base_id="sha256:" + "b" * 64),
        _key(plan, python="3.9"),
    }
    assert len(keys) == 6


def test_local_requirements_and_pins_of_system_packages_are_dropped_with_a_note() -> None:
    recipe = recipe_from_plan(
        _plan([".", "-e .", "six==1.16.0"], system_packages=["libgl1=1.3.1-1", "$PKGS"])
    )
    assert recipe.python_requirements == ("six==1.16.0",)
    assert recipe.system_packages == ("libgl1",)
    notes = "\n".join(recipe.notes)
    assert "dropped Python requirement `.`" in notes
    assert "dropped Python requirement `-e .`" in notes
    assert "the pin 1.3.1-1 is dropped" in notes
    assert "dropped system package `$PKGS`" in notes


def test_conda_packages_are_accounted_for_one_by_one() -> None:
    plan = _plan(
        ["numpy==1.19.2"], conda_packages=["numpy==1.19.2", "mkl==2020.2", "python=3.9", "r-ggplot2"]
    )
    notes = "\n".join(recipe_from_plan(plan).notes)
    assert "`numpy==1.19.2` (code/requirements.txt:1): replayed with pip as `numpy==1.19.2`" in notes
    assert "`mkl==2020.2` (code/requirements.txt:1): dropped, no PyPI distribution" in notes
    assert "`python=3.9` (code/requirements.txt:1): the interpreter" in notes
    assert "installed as the R package ggplot2" in notes


def test_r_is_wanted_for_r_packages_an_r_version_or_r_code() -> None:
    evidence = Evidence(file="code/main.R")
    assert wants_r(_plan(r_packages=["jsonlite"]))
    assert wants_r(Plan(capsule="c", r_version=Decision(value="4.2", evidence=evidence)))
    assert wants_r(Plan(capsule="c", languages=[Decision(value="r", evidence=evidence)]))
    assert not wants_r(_plan(["six"]))
    # The .R twins of a Python analysis: R code is there, but only Python runs.
    twins = Plan(
        capsule="c",
        languages=[Decision(value="python", evidence=evidence), Decision(value="r", evidence=evidence)],
    )
    twins.entry_points = [EntryPoint(command="python fit.py", kind="python", evidence=evidence)]
    assert not wants_r(twins)
    twins.entry_points.append(EntryPoint(command="Rscript fit.R", kind="rscript", evidence=evidence))
    assert wants_r(twins)


def test_the_dockerfile_installs_system_then_r_then_python_then_runs_the_setup() -> None:
    plan = _plan(["six==1.16.0"], system_packages=["libxml2-dev"], r_packages=["jsonlite", "notarealpackage"])
    plan.setup_commands = [
        Decision(
            value="export DATA_DIR='/data/x y'", evidence=Evidence(file="environment/Dockerfile", line=3)
        ),
        Decision(
            value="mkdir -p /opt/thing\necho ok", evidence=Evidence(file="environment/postInstall", line=2)
        ),
    ]
    text = render_dockerfile(
        recipe_from_plan(plan), "reproducer/r:4.2", title="c", ca_bundle=True, user="someone"
    )
    lines = text.splitlines()
    assert lines[3] == "FROM reproducer/r:4.2"
    order = [
        "apt-install.sh apt",
        "apt-install.sh r",
        "r-install.R",
        f"python3 -m venv {VENV}",
        "python-install.sh",
        'ENV DATA_DIR="/data/x y"',
        "#   mkdir -p /opt/thing",
        "setup-02.sh",
        "USER someone",
    ]
    positions = [text.index(piece) for piece in order]
    assert positions == sorted(positions)
    assert "# R packages: jsonlite (r-cran-jsonlite), notarealpackage (fallback)" in lines
    assert f"SSL_CERT_FILE=/opt/reproducer/{CA_BUNDLE} bash /opt/reproducer/python-install.sh" in text
    assert f"ENV VIRTUAL_ENV={VENV} PATH={VENV}/bin:$PATH" in lines


def test_a_plan_without_packages_still_gets_the_virtual_environment() -> None:
    text = render_dockerfile(recipe_from_plan(_plan()), "reproducer/python:3.11", title="c", ca_bundle=False)
    assert f"RUN python3 -m venv {VENV}" in text
    assert "apt-install" not in text and "python-install" not in text and "SSL_CERT_FILE" not in text
    assert "\nUSER " not in text.replace("USER root", "")


def test_the_context_holds_what_the_dockerfile_copies(tmp_path: Path) -> None:
    plan = _plan(["six==1.16.0"], system_packages=["libxml2-dev"], r_packages=["jsonlite", "user/repo"])
    plan.setup_commands = [Decision(value="echo hi", evidence=Evidence(file="environment/postInstall"))]
    dockerfile = write_context(recipe_from_plan(plan), tmp_path / "context", "reproducer/r:4.2", title="c")
    context = dockerfile.parent
    assert (context / "requirements.txt").read_text() == "six==1.16.0\n"
    assert (context / "system-packages.tsv").read_text() == "libxml2-dev\tlibxml2-dev\n"
    assert (context / "r-debian.tsv").read_text() == "jsonlite\tr-cran-jsonlite\n"
    assert (context / "r-packages.tsv").read_text() == "jsonlite\tcran\tjsonlite\nrepo\tgithub\tuser/repo\n"
    assert (context / "setup-01.sh").read_text() == "set -e\necho hi\n"
    for tool in ("apt-install.sh", "r-install.R", "python-install.sh"):
        assert (context / "tools" / tool).is_file()
    assert (context / "tools" / CA_BUNDLE).is_file() == HOST_CA_BUNDLE.is_file()


def test_build_arguments_keep_reachable_indexes_and_proxies_only() -> None:
    arguments = build_arguments(
        {
            "PIP_INDEX_URL": "https://mirror.example/simple",
            "UV_EXTRA_INDEX_URL": "file:///opt/pypi/simple https://extra.example/simple",
            "PIP_FIND_LINKS": "/opt/wheels",
            "HTTPS_PROXY": "http://proxy.example:3128",
            "HOME": "/root",
        }
    )
    assert arguments.values == {
        "UV_INDEX_URL": "https://mirror.example/simple",
        "UV_EXTRA_INDEX_URL": "https://extra.example/simple",
        "HTTPS_PROXY": "http://proxy.example:3128",
    }
    notes = "\n".join(arguments.notes)
    assert "file:///opt/pypi/simple" in notes and "/opt/wheels" in notes


def test_build_limits_are_ones_the_engine_accepts() -> None:
    limits = BuildLimits(memory_bytes=2**30, memswap_bytes=2**30, cpuset_cpus="0")
    assert set(limits.container_limits()) <= set(docker.constants.CONTAINER_LIMITS_KEYS)
    assert limits.container_limits()["memory"] == 2**30
    assert "swap 0 GiB" in limits.describe()


STEP_RUN = "Step 7/12 : RUN bash /opt/reproducer/apt-install.sh apt /opt/reproducer/system-packages.tsv"


def test_a_failure_marker_names_the_package() -> None:
    lines = [
        "Step 6/12 : COPY x y",
        STEP_RUN,
        "reproducer: apt has no package nope",
        "##reproducer:failed install_failed(apt:nope)",
    ]
    label, detail = diagnose_build(lines, "The command returned a non-zero code: 1")
    assert label == "install_failed(apt:nope)"
    assert detail[0] == STEP_RUN and detail[-1] == "The command returned a non-zero code: 1"


def test_a_failed_uv_step_is_read_like_the_local_builder_reads_uv() -> None:
    lines = [
        "Step 9/12 : RUN bash /opt/reproducer/python-install.sh /opt/reproducer/requirements.txt",
        "Using Python 3.11.2 environment at: /opt/venv",
        "  × No solution found when resolving dependencies:",
        "  ╰─▶ Because nosuchpkg was not found in the package registry and you require nosuchpkg==1.0,",
        "      we can conclude that your requirements are unsatisfiable.",
    ]
    label, _ = diagnose_build(lines, "non-zero code: 1")
    assert label == "install_failed(nosuchpkg)"


def test_a_failed_from_means_no_base_image_and_anything_else_a_build_failure() -> None:
    assert diagnose_build(["Step 1/3 : FROM nowhere/image:1"], "pull access denied")[0] == NO_BASE_IMAGE
    label, detail = diagnose_build(["Step 2/3 : RUN false", "ERROR: boom"], "non-zero code: 1")
    assert label == "build_failed"
    assert "ERROR: boom" not in detail


def test_a_capsule_package_is_copied_into_the_context_and_keyed_by_its_content(tmp_path: Path) -> None:
    capsule = tmp_path / "capsule"
    (capsule / "code" / "toolkit").mkdir(parents=True)
    (capsule / "code" / "setup.py").write_text("from setuptools import setup\nsetup(name='toolkit')\n")
    (capsule / "code" / "toolkit" / "__init__.py").write_text("STEP = 1\n")
    plan = _plan(["six==1.16.0"])
    plan.setup_commands = [Decision[str](value="pip install ./code", evidence=Evidence(file="README.md"))]
    recipe = recipe_from_plan(plan, capsule)
    # The install is no longer a setup command (pip would look the folder up on PyPI in the build).
    assert recipe.setup_commands == () and [p.folder for p in recipe.local_packages] == ["code"]
    context = tmp_path / "context"
    dockerfile = write_context(recipe, context, "reproducer/python:3.11", title="t").read_text()
    assert "COPY local/ /opt/reproducer/local/" in dockerfile
    assert (context / "local" / "01" / "toolkit" / "__init__.py").read_text() == "STEP = 1\n"
    assert (context / "requirements.txt").read_text().splitlines() == [
        "six==1.16.0",
        "/opt/reproducer/local/01",
    ]
    before = environment_key(recipe, BASE_ID, "3.11", None)
    (capsule / "code" / "toolkit" / "__init__.py").write_text("STEP = 2\n")
    assert environment_key(recipe_from_plan(plan, capsule), BASE_ID, "3.11", None) != before
    # A folder out of the capsule is not the capsule's package: the command stays as written.
    plan.setup_commands = [
        Decision[str](value="pip install ../elsewhere", evidence=Evidence(file="README.md"))
    ]
    (tmp_path / "elsewhere").mkdir()
    assert recipe_from_plan(plan, capsule).setup_commands == ("pip install ../elsewhere",)
