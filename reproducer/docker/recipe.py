"""The dependency part of a plan, as an environment image installs it; equal dependencies give equal keys.

Evidence, entry points and warnings are left out: two capsules that need the same packages on the same
base image share one image, whatever files declared them.
"""

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from reproducer.docker.rpackages import RPackage, map_r_packages
from reproducer.plan.detectors.local_packages import local_install_folder
from reproducer.plan.languages import LANGUAGE_OF_KIND
from reproducer.plan.model import Plan
from reproducer.plan.parse.conda_spec import pip_spec, r_ref, read_conda_spec
from reproducer.plan.parse.pep508 import as_requirement

# Bump when what an image holds for the same plan changes (the generated Dockerfile, the install scripts).
SCHEMA_VERSION = 1
_DEBIAN_NAME = re.compile(r"^[a-z0-9][a-z0-9+.-]+$")


@dataclass(frozen=True)
class LocalPackage:
    """A package of the capsule's own (a folder with setup.py or pyproject.toml) the image installs.

    Its files are copied into the build context; `digest` covers them, so the image key changes with
    the code and an image built from one capsule's package never serves another's.
    """

    folder: str  # relative to the capsule root
    source: Path
    digest: str


@dataclass(frozen=True)
class Recipe:
    """What the generated Dockerfile installs on its base, and what it left out of the plan and why."""

    python_requirements: tuple[str, ...]
    conda_packages: tuple[str, ...]
    r_packages: tuple[RPackage, ...]
    system_packages: tuple[str, ...]
    setup_commands: tuple[str, ...]
    notes: tuple[str, ...] = ()
    # uv's flags for the Python packages, from the ladder's rung (e.g. `--exclude-newer DATE`).
    uv_flags: tuple[str, ...] = ()
    local_packages: tuple[LocalPackage, ...] = ()


def recipe_from_plan(plan: Plan, capsule_dir: Path | None = None) -> Recipe:
    """The plan's dependencies as an image installs them; with `capsule_dir`, the capsule's own packages
    that setup commands install (`pip install -e ./toolkit`) are copied in and installed with the rest."""
    notes: list[str] = []
    python: list[str] = []
    for requirement in plan.python_requirements:
        spec = requirement.spec.strip()
        if as_requirement(spec) is None:
            notes.append(
                f"dropped Python requirement `{spec}` ({requirement.evidence}): not a package an index "
                "serves (the capsule's own code or a local path is installed when the capsule runs)"
            )
        else:
            python.append(spec)
    system: list[str] = []
    for requirement in plan.system_packages:
        name, _, version = requirement.spec.strip().partition("=")
        if not _DEBIAN_NAME.match(name):
            notes.append(f"dropped system package `{requirement.spec}` ({requirement.evidence}): not a name")
            continue
        if version:
            notes.append(f"system package {name}: the pin {version} is dropped (Debian's version is used)")
        system.append(name)
    r_packages = map_r_packages(r.spec for r in plan.r_packages)
    notes += [f"R package {p.name}: {p.note}" for p in r_packages if p.note]
    notes += conda_notes(plan)
    local = _local_packages(plan, capsule_dir)
    notes += [f"the capsule's own package {p.folder}/ is copied in and installed" for p in local.values()]
    return Recipe(
        python_requirements=tuple(sorted(set(python))),
        conda_packages=tuple(sorted({c.spec.strip() for c in plan.conda_packages})),
        r_packages=tuple(sorted(r_packages, key=lambda p: p.name)),
        system_packages=tuple(sorted(set(system))),
        setup_commands=tuple(c.value for c in plan.setup_commands if c.value not in local),
        notes=tuple(notes),
        local_packages=tuple(local.values()),
    )


def _local_packages(plan: Plan, capsule_dir: Path | None) -> dict[str, LocalPackage]:
    """Setup command -> the capsule package it installs, for the commands that install one."""
    found: dict[str, LocalPackage] = {}
    for command in plan.setup_commands if capsule_dir is not None else []:
        folder = local_install_folder(command.value, capsule_dir) if capsule_dir is not None else None
        if folder is not None and capsule_dir is not None:
            relative = folder.relative_to(capsule_dir.resolve()).as_posix()
            found[command.value] = LocalPackage(relative, folder, _tree_digest(folder))
    return found


def _tree_digest(folder: Path) -> str:
    """sha256 over the folder's regular files (paths and contents), links and VCS folders left out."""
    digest = hashlib.sha256()
    for directory, subdirs, files in os.walk(folder):
        subdirs[:] = sorted(d for d in subdirs if d not in (".git", "__pycache__"))
        for name in sorted(files):
            path = Path(directory) / name
            if path.is_symlink() or not path.is_file():
                continue
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def conda_notes(plan: Plan) -> list[str]:
    """What became of each conda package: a pip requirement, an R package, the interpreter, or nothing."""
    notes = []
    for requirement in plan.conda_packages:
        where = f"conda package `{requirement.spec}` ({requirement.evidence})"
        spec = read_conda_spec(requirement.spec.split("::")[-1])
        if spec is None:
            notes.append(f"{where}: dropped, not a conda spec")
        elif spec.name in ("python", "r-base"):
            notes.append(f"{where}: the interpreter; the base image provides it")
        elif (r_package := r_ref(spec)) is not None:
            notes.append(f"{where}: installed as the R package {r_package}")
        elif (pip := pip_spec(spec)) is not None:
            notes.append(f"{where}: replayed with pip as `{pip}`")
        else:
            notes.append(f"{where}: dropped, no PyPI distribution (a conda-only or system package)")
    return notes


def wants_r(plan: Plan) -> bool:
    """Whether the capsule needs R: it names an R version or R packages, or has R code that may run.

    R code that no chosen entry point can run (the `.R` twins of a Python analysis) needs no R image.
    """
    if plan.r_version or plan.r_packages:
        return True
    if not any(d.value == "r" for d in plan.languages):
        return False
    run = {LANGUAGE_OF_KIND.get(entry.kind) for entry in plan.entry_points}
    return not plan.entry_points or run != {"python"}


def environment_key(recipe: Recipe, base_id: str, python_version: str | None, r_version: str | None) -> str:
    """sha256 of the base image's id, the realised interpreter versions and the recipe's dependencies
    (with the uv flags they are installed with)."""
    content = {
        "schema": SCHEMA_VERSION,
        "base": base_id,
        "python": python_version,
        "r": r_version,
        "python_requirements": recipe.python_requirements,
        "conda_packages": recipe.conda_packages,
        "r_packages": [[p.name, p.repository, p.source, p.debian, p.install_ref] for p in recipe.r_packages],
        "system_packages": recipe.system_packages,
        "setup_commands": recipe.setup_commands,
    }
    # Only when set, so the key of a plan installed as declared stays what it was.
    if recipe.uv_flags:
        content["uv_flags"] = recipe.uv_flags
    if recipe.local_packages:
        content["local_packages"] = [[p.folder, p.digest] for p in recipe.local_packages]
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()
