"""The resolution ladder for an environment image: the rungs of `reproducer.envs.ladder` (as declared, as
of the plan's cutoff date, relaxed pins), each realised as an image build of its own.

Each rung's image is keyed by its requirements and uv flags, so a rung that built once is reused. A build
that fails in its Python step is read as the local builder reads uv (the build log holds uv's output);
one that fails elsewhere (apt, R, a setup command) ends the ladder, since no rung changes those steps.
"""

import dataclasses
import hashlib
import json
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reproducer.docker.build import PYTHON_STEP, BuildLimits, BuildRequest, build_image
from reproducer.docker.dockerfile import VENV, write_context
from reproducer.docker.imageindex import LABEL_KEY, existing, image_tag, ladder_labels
from reproducer.docker.images import BaseImageChoice
from reproducer.docker.recipe import Recipe, environment_key
from reproducer.envs.attempt import Failed, Installed, RungSpec
from reproducer.envs.diagnose import Diagnosis, diagnose
from reproducer.envs.failure import NO_NETWORK, TIMEOUT, EnvironmentFailed
from reproducer.envs.ladder import Climb
from reproducer.envs.model import Rung
from reproducer.rundir.layout import BUILD_LOG_FILE

# Bump when the ladder of an image changes, so a plan's recorded ladder is not reused.
LADDER_SCHEMA = 1
OFFLINE = "--offline"
_STEP = re.compile(r"^Step \d+/\d+ : (.*)$", re.MULTILINE)


def ladder_key(declared_key: str, cutoff: str | None, run_time: bool = False) -> str:
    """The key of a plan's ladder: its image key as declared and what else decides the rungs (the cutoff,
    and whether it is the run-time rung, which skips the others)."""
    content = {"ladder": LADDER_SCHEMA, "declared": declared_key, "cutoff": cutoff}
    if run_time:
        content["run_time"] = "drift"
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def rung_recipe(recipe: Recipe, requirements: list[str], flags: list[str]) -> Recipe:
    """`recipe` with a rung's Python requirements and uv flags."""
    return dataclasses.replace(recipe, python_requirements=tuple(requirements), uv_flags=tuple(flags))


@dataclass(frozen=True)
class ImageSite:
    """What stays the same on every rung: the engine, the base image, the labels, the run's env folder."""

    client: Any
    limits: BuildLimits
    repository: str
    base: BaseImageChoice
    base_id: str
    user: str  # the base image's user, restored at the end of the Dockerfile
    title: str
    labels: dict[str, str]
    buildargs: dict[str, str]
    env_dir: Path

    @property
    def log_path(self) -> Path:
        return self.env_dir / BUILD_LOG_FILE

    def key(self, recipe: Recipe) -> str:
        return environment_key(recipe, self.base_id, self.base.python_version, self.base.r_version)

    def write_context(self, recipe: Recipe, rung_file: str | None = None) -> Path:
        """A fresh build context for `recipe`; its Dockerfile is copied to env/ (and env/rungs/)."""
        context = self.env_dir / "context"
        shutil.rmtree(context, ignore_errors=True)
        dockerfile = write_context(recipe, context, self.base.image, title=self.title, user=self.user)
        shutil.copyfile(dockerfile, self.env_dir / "Dockerfile")
        if rung_file is not None:
            (self.env_dir / "rungs").mkdir(exist_ok=True)
            shutil.copyfile(dockerfile, self.env_dir / "rungs" / f"{rung_file}.Dockerfile")
        return context

    def note(self, line: str) -> None:
        with self.log_path.open("a", encoding="utf-8") as log:
            log.write(line + "\n")


@dataclass
class ImageRungs:
    """The ladder's `attempt` for images: build (or reuse) the image of one rung's requirements."""

    site: ImageSite
    recipe: Recipe  # as declared
    ladder_key: str
    deadline: float  # time.monotonic() by which the whole ladder must be done
    record: Climb = field(default_factory=Climb)  # filled by `climb`: the rungs before this one
    image_ids: dict[str, str] = field(default_factory=dict)  # key -> image id, for the rungs that worked

    def attempt(self, index: int, spec: RungSpec) -> Installed | Failed:
        recipe = rung_recipe(self.recipe, spec.requirements, spec.flags)
        key = self.site.key(recipe)
        if OFFLINE in spec.flags:  # the ladder's retry from uv's cache: an image build has none
            why = "the image build has no uv cache to install from without the index"
            return Failed(Diagnosis(NO_NETWORK, lines=[why], final=True), key)
        tag = image_tag(self.site.repository, key)
        context = self.site.write_context(recipe, f"{index}-{spec.name}")
        found = existing(self.site.client, tag, key)
        if found is not None:
            rung = f"# rung {index} {spec.name}"
            self.site.note(
                f"{rung}: reused the image {tag} ({found}) built earlier for the same key; no build"
            )
            self.image_ids[key] = found
            return Installed(Path(VENV), key, True, {}, [])
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise EnvironmentFailed(TIMEOUT, f"no time left to build rung {index} ({spec.name})")
        limits = dataclasses.replace(self.site.limits, timeout_s=min(self.site.limits.timeout_s, remaining))
        self.site.note(f"# rung {index} {spec.name}: building {tag} from {context} ({limits.describe()})")
        reached = Rung(
            name=spec.name,
            reason=spec.reason,
            outcome="ok",
            requirements=spec.requirements,
            uv_flags=spec.flags,
            relaxed=spec.relaxed,
            key=key,
        )
        labels = (
            self.site.labels
            | {LABEL_KEY: key}
            | ladder_labels(self.ladder_key, [*self.record.rungs, reached])
        )
        request = BuildRequest(context, "Dockerfile", tag, labels, self.site.buildargs)
        start = self.site.log_path.stat().st_size
        try:
            self.image_ids[key] = build_image(self.site.client, request, limits, self.site.log_path)
        except EnvironmentFailed as failure:
            return Failed(rung_diagnosis(failure, _read_from(self.site.log_path, start)), key)
        return Installed(Path(VENV), key, False, {}, [])


def rung_diagnosis(failure: EnvironmentFailed, output: str) -> Diagnosis:
    """The ladder's view of a failed build: `build_image`'s label and lines, uv's unusable pins, and
    whether a later rung could help (only when the Python step failed, and not for want of a network:
    an image build has no uv cache to fall back on)."""
    steps = _STEP.findall(output)
    in_python = bool(steps) and PYTHON_STEP in steps[-1]
    uv = diagnose(output, resolving=False) if in_python else Diagnosis(failure.label)
    final = not in_python or failure.label == NO_NETWORK
    return Diagnosis(failure.label, uv.package, uv.unusable_pins, failure.message.splitlines(), final)


def _read_from(path: Path, offset: int) -> str:
    with path.open("rb") as log:
        log.seek(offset)
        return log.read().decode("utf-8", errors="replace")
