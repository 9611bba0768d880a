"""The real-world corpus manifest: which repositories, at which commit, with which task."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, Field, model_validator

Value = float | int | str


class Question(BaseModel):
    """A question and its value as printed: `answer` for deterministic code (the same in every run),
    `answers` with one value per recorded run for stochastic code."""

    text: str
    answer: Value | None = None
    answers: list[Value] | None = None

    @model_validator(mode="after")
    def _one_of_answer_or_answers(self) -> Question:
        if (self.answer is None) == (self.answers is None):
            raise ValueError(f"question {self.text!r}: give either `answer` or `answers`")
        return self

    def value(self, run: int) -> Value:
        if self.answers is not None:
            return self.answers[run]
        assert self.answer is not None
        return self.answer


class Repository(BaseModel):
    repo: str = Field(pattern=r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
    commit: str = Field(pattern=r"^[0-9a-f]{40}$")
    licence: str
    shapes: list[str]
    field: str
    language: str
    title: str
    task_prompt: str
    questions: list[Question] = Field(min_length=3, max_length=5)
    runs: int = 3
    notes: str = ""

    @model_validator(mode="after")
    def _runs_match_answers(self) -> Repository:
        for question in self.questions:
            if question.answers is not None and len(question.answers) != self.runs:
                raise ValueError(
                    f"{self.repo}: {question.text!r} has {len(question.answers)} answers, runs is {self.runs}"
                )
        return self

    @property
    def slug(self) -> str:
        """The snapshot folder name: owner+name, as the mirrors are named."""
        return self.repo.replace("/", "+")

    def task_path(self, manifest: Path) -> Path:
        return tasks_dir(manifest) / f"{self.slug}.yaml"


class Manifest(BaseModel):
    repositories: list[Repository]


def tasks_dir(manifest: Path) -> Path:
    """Where a manifest's task files go: tasks/ beside manifest.yaml, <stem>-tasks/ beside any other
    (heldout.yaml writes heldout-tasks/), so two corpora never share a task folder."""
    return manifest.parent / ("tasks" if manifest.name == "manifest.yaml" else f"{manifest.stem}-tasks")


def load_manifest(path: Path) -> list[Repository]:
    """Read and validate the manifest; a bad file raises SystemExit naming it."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Manifest.model_validate(data).repositories
    except (OSError, yaml.YAMLError, ValueError) as exc:
        raise SystemExit(f"{path}: {exc}") from exc
