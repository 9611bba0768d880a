"""Which base image runs a capsule: the version-to-image mapping of environments/images.toml."""

import os
import re
import tomllib
from pathlib import Path
from typing import Any

import docker
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from reproducer.errors import BadInput

DEFAULT_CONFIG = Path(__file__).resolve().parents[2] / "environments" / "images.toml"
CONFIG_ENV = "REPRODUCER_IMAGES"
_MINOR = re.compile(r"(\d+)\.(\d+)")


def _minor(version: str) -> tuple[int, int] | None:
    """(major, minor) of the first `X.Y` in a version or specifier ("3.8.10", ">=3.8", "python-3.8")."""
    match = _MINOR.search(version)
    return (int(match[1]), int(match[2])) if match else None


class Defaults(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    python: str
    r: str | None = None


class ImageConfig(BaseModel):
    """Language version ("3.11") -> image name, per language, and the version used when none fits."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    defaults: Defaults
    python: dict[str, str]
    r: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _defaults_are_listed(self) -> "ImageConfig":
        for language, versions in (("python", self.python), ("r", self.r)):
            for version in versions:
                if _minor(version) is None:
                    raise ValueError(f"[{language}] key {version!r} is not a MAJOR.MINOR version")
        if self.defaults.python not in self.python:
            raise ValueError(f"defaults.python = {self.defaults.python!r} is not listed under [python]")
        if self.r and self.defaults.r not in self.r:
            raise ValueError(f"defaults.r = {self.defaults.r!r} is not listed under [r]")
        return self


class BaseImageChoice(BaseModel):
    """The image chosen, the configured version it stands for, and why (for the run's report)."""

    image: str
    python_version: str | None
    r_version: str | None
    reason: str


def load_image_config(path: Path | None = None) -> ImageConfig:
    """Reads `path`, else the file named by $REPRODUCER_IMAGES, else environments/images.toml."""
    path = path or Path(os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG)
    try:
        return ImageConfig.model_validate(tomllib.loads(path.read_text()))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise BadInput(f"{path}: cannot read the image configuration ({error})") from error
    except ValidationError as error:
        raise BadInput(f"{path}: bad image configuration: {_describe(error)}") from error


def _describe(error: ValidationError) -> str:
    problems = []
    for problem in error.errors():
        where = ".".join(map(str, problem["loc"]))
        message = problem["msg"].removeprefix("Value error, ")
        problems.append(f"{where}: {message}" if where else message)
    return "; ".join(problems)


def _pick(versions: dict[str, str], default: str, wanted: str | None, language: str) -> tuple[str, str]:
    """(configured version, reason): the exact minor, else the nearest newer, else the default."""
    if wanted is None:
        return default, f"no {language} version requested; the default {default}"
    minor = _minor(wanted)
    if minor is None:
        return default, f"{language} version {wanted!r} is unreadable; the default {default}"
    by_minor = {_minor(version): version for version in versions}
    if minor in by_minor:
        return by_minor[minor], f"{language} {wanted} requested; {by_minor[minor]} is configured"
    newer = sorted(key for key in by_minor if key is not None and key > minor)
    if newer:
        chosen = by_minor[newer[0]]
        return chosen, f"{language} {wanted} requested but not configured; {chosen} is the nearest newer"
    return (
        default,
        f"{language} {wanted} requested, newer than every configured version; the default {default}",
    )


def choose_base_image(
    config: ImageConfig, python_version: str | None, r_version: str | None
) -> BaseImageChoice:
    """An R capsule (`r_version` not None; "" when it names no version) gets an R image, others a Python one.

    R images carry their Debian suite's python3 too, but no configured Python version: `python_version`
    is None for them.
    """
    if r_version is not None and config.r and config.defaults.r is not None:
        version, reason = _pick(config.r, config.defaults.r, r_version or None, "R")
        return BaseImageChoice(image=config.r[version], python_version=None, r_version=version, reason=reason)
    version, reason = _pick(config.python, config.defaults.python, python_version, "Python")
    if r_version is not None:
        reason += "; no R image is configured"
    return BaseImageChoice(
        image=config.python[version], python_version=version, r_version=None, reason=reason
    )


def configured_minors(config: ImageConfig) -> list[tuple[int, int]]:
    """The Python versions that have a base image."""
    return sorted(minor for version in config.python if (minor := _minor(version)) is not None)


def image_exists(client: Any, name: str) -> bool:
    """Whether the engine behind `client` (a docker.DockerClient) has the image `name` locally."""
    try:
        client.images.get(name)
    except docker.errors.ImageNotFound:
        return False
    return True
