"""The plan's data model. Every decision carries the evidence (file and line) it was read from."""

import datetime as dt
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, Field

# The evidence file of requirements the pipeline itself adds (e.g. nbclient for notebooks), not the
# capsule: builders exempt them from the cutoff date and never relax their pins.
PIPELINE_EVIDENCE_FILE = "reproducer"


class Evidence(BaseModel):
    """Where a fact of the plan comes from: a path relative to the capsule root, and a 1-based line."""

    file: str
    line: int | None = None
    text: str = ""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else self.file


class Requirement(BaseModel):
    """One dependency as declared, e.g. `numpy==1.21.0`.

    Python: PEP 508, or a VCS/HTTP URL pip accepts. Conda: a match spec, channel-qualified when the
    install named a channel (`conda-forge::numpy=1.17`). R: a pak ref (`ggplot2`, `ggplot2@3.3.0`,
    `user/repo@ref` on GitHub, `bioc::limma`). apt: `name` or `name=version`.
    """

    spec: str
    evidence: Evidence


EntryKind = Literal["shell", "python", "rscript", "notebook", "make", "rmarkdown", "quarto"]


class EntryPoint(BaseModel):
    """A command that runs the capsule's analysis, as a shell command line run from `cwd`.

    `cwd` is relative to the capsule root (usually `code`). For notebooks, R Markdown and Quarto
    documents, `command` names the document; the pipeline renders it. `output_format` (`html`, `pdf`,
    ...) and `output_dir` (relative to `cwd`) are what the task asked for, when it said.
    """

    command: str
    cwd: str = "code"
    kind: EntryKind
    evidence: Evidence
    output_format: str | None = None
    output_dir: str | None = None


class EntryCandidate(BaseModel):
    """An entry point the planner considered, whether it will run (`kept`), and why."""

    entry: EntryPoint
    kept: bool
    reason: str


class SourceFix(BaseModel):
    """A path in the capsule's code rewritten in the staged copy: `old` (as written, on the cited line)
    becomes `new`. Made for hard-coded author paths (`setwd("/Users/me/paper/code")`)."""

    evidence: Evidence
    old: str
    new: str
    reason: str


T = TypeVar("T")


class Decision(BaseModel, Generic[T]):
    """A value the plan settled on, with its evidence."""

    value: T
    evidence: Evidence


class Plan(BaseModel):
    """What it takes to run a capsule; made by `reproducer.plan.make_plan`, a pure function of the files."""

    capsule: str
    languages: list[Decision[str]] = Field(default_factory=list)
    # An exact version (`3.8`, `3.8.10`) or a PEP 440 range (`>=3.8`, `>=3.8,<4.0`); None: not stated.
    python_version: Decision[str] | None = None
    r_version: Decision[str] | None = None
    # Which detector supplied the dependencies (first match wins), e.g. "requirements.txt".
    dependency_source: Decision[str] | None = None
    python_requirements: list[Requirement] = Field(default_factory=list)
    conda_packages: list[Requirement] = Field(default_factory=list)
    r_packages: list[Requirement] = Field(default_factory=list)
    system_packages: list[Requirement] = Field(default_factory=list)
    # Commands from `postInstall` or Dockerfile RUN lines that are not package installs (or `pip install -e
    # code` for a local package); run in order, in one shell, from the capsule root.
    setup_commands: list[Decision[str]] = Field(default_factory=list)
    # What runs, in order; every candidate considered, kept or dropped, is in `entry_candidates`.
    entry_points: list[EntryPoint] = Field(default_factory=list)
    entry_candidates: list[EntryCandidate] = Field(default_factory=list)
    gpu: Decision[bool] | None = None
    cutoff_date: Decision[dt.date] | None = None
    # Edits to the staged copy that let the code find its files; `reproducer.plan.fixes.apply_fixes`.
    fixes: list[SourceFix] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
