"""Environment images: a plan realised as a Docker image on one of our base images, keyed by content.

The key hashes the base image's id and the plan's dependencies, so a second capsule that needs the same
packages gets the image already built. The plan's Python requirements climb the local builder's
resolution ladder (as declared, as of the cutoff date, relaxed pins: see climbimage.py), one image per
rung. A Code Ocean Dockerfile whose base image is available is built as written instead, without a
ladder; one whose base is not (no registry here) is translated (see codeocean.py) and climbs the ladder.
"""

import dataclasses
import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import docker
from pydantic import BaseModel, Field

from reproducer.docker.build import NO_BASE_IMAGE, BuildLimits, BuildRequest, build_image
from reproducer.docker.climbimage import climb_image, reuse_reached
from reproducer.docker.codeocean import (
    BaseAvailability,
    CodeOceanDockerfile,
    find_base,
    read_codeocean_dockerfile,
    replayed_notes,
    translation_notes,
)
from reproducer.docker.dockerfile import CRAN_MIRROR, VENV_PYTHON, build_arguments
from reproducer.docker.egress import IndexEgress, build_egress, index_hosts_for
from reproducer.docker.imageindex import (
    LABEL_BASE,
    LABEL_KEY,
    LABEL_SOURCE,
    TAG_KEY_CHARS,
    existing,
    find_reached,
    image_tag,
)
from reproducer.docker.images import BaseImageChoice, ImageConfig, choose_base_image
from reproducer.docker.ladder import ImageSite, ladder_key
from reproducer.docker.recipe import SCHEMA_VERSION, recipe_from_plan, wants_r
from reproducer.envs.failure import EnvironmentFailed
from reproducer.envs.ladder import RunTimeRung
from reproducer.envs.model import Rung
from reproducer.jsonio import write_json_atomic
from reproducer.plan.detectors.dockerfile import DOCKERFILE
from reproducer.plan.model import Plan
from reproducer.rundir.layout import BUILD_LOG_FILE, LADDER_FILE

ENV_REPOSITORY = "reproducer/env"
__all__ = [
    "LABEL_BASE",
    "LABEL_KEY",
    "LABEL_SOURCE",
    "TAG_KEY_CHARS",
    "EnvironmentImage",
    "build_environment_image",
]
NOT_CLIMBED = "not_climbed"
BASE_IMAGE_HINT = "build the base images with scripts/build-base-images (see environments/images.toml)"

Mode = Literal["plan", "translated", "as_written"]


@dataclass(frozen=True)
class _Engine:
    """Where and how images are built: docker-py's client, the build limits, the repository to tag in,
    and the build arguments that send the steps through the index proxy."""

    client: Any
    limits: BuildLimits
    repository: str
    proxy: dict[str, str]


class EnvironmentImage(BaseModel):
    """A ready image: `tag` to run, how it was made (`mode`), and where a reviewer finds its Dockerfile
    and build log. `python` runs the plan's Python packages inside it."""

    tag: str
    key: str
    base: str
    reused: bool
    seconds: float
    dockerfile_path: Path
    log_path: Path
    image_id: str = ""
    mode: Mode = "plan"
    python: str = VENV_PYTHON
    base_reason: str = ""
    notes: list[str] = Field(default_factory=list)
    # The resolution ladder's rungs (as in run_dir/env/ladder.json; none for a Dockerfile built as written)
    # and the key that finds the image a climb for the same plan reached.
    ladder: list[Rung] = Field(default_factory=list)
    ladder_key: str = ""


def build_environment_image(
    plan: Plan,
    run_dir: Path,
    *,
    client: Any,
    config: ImageConfig,
    capsule_dir: Path | None = None,
    limits: BuildLimits = BuildLimits(),  # noqa: B008 - frozen, so sharing the default is safe
    repository: str = ENV_REPOSITORY,
    run_time: RunTimeRung | None = None,
) -> EnvironmentImage:
    """Build (or reuse) the image `repository:<key[:16]>` that realises `plan`; `client` is docker-py's.

    The plan's Python requirements climb the resolution ladder, one image per rung, within the build
    time limit of `limits`; a second call for the same plan reuses the image its ladder reached. With
    `capsule_dir` holding a Code Ocean `environment/Dockerfile`, that Dockerfile is built as written if
    its base image is present or pullable (no ladder), else translated. `run_dir/env/` receives the
    Dockerfile (the last rung's; each rung's in rungs/), build.log, ladder.json and image.json. Raises
    `EnvironmentFailed` (`no_base_image`, `install_failed(...)`, `build_failed`, `timeout`; its `ladder`
    holds the rungs) with the decisive lines of the build log. With `run_time`, only the run-time rung is
    climbed (see reproducer.envs.ladder); a Dockerfile built as written has none (`not_climbed`).
    """
    start = time.monotonic()
    env_dir = run_dir.resolve() / "env"
    env_dir.mkdir(parents=True, exist_ok=True)
    written = read_codeocean_dockerfile(capsule_dir) if capsule_dir is not None else None
    availability = find_base(client, written.base) if written and written.base else None
    as_written = bool(written and written.base and availability and availability.available)
    if as_written and run_time is not None:
        raise EnvironmentFailed(NOT_CLIMBED, f"{DOCKERFILE} is built as written: no rung changes it")
    # A Code Ocean Dockerfile (built as written, or its lines replayed) may install from Debian and CRAN; a
    # plan only from what it lists (R packages come from Debian's r-cran-* first).
    cran = written is not None or wants_r(plan)
    debian = cran or bool(plan.system_packages)
    hosts = index_hosts_for(os.environ, debian=debian, cran=CRAN_MIRROR if cran else None)
    with build_egress(client, hosts, limits.timeout_s) as egress:
        engine = _Engine(
            client, dataclasses.replace(limits, network=egress.network), repository, egress.environment
        )
        try:
            if written and written.base and availability and as_written:
                write_json_atomic(env_dir / LADDER_FILE, [])  # built as written: no rung to record
                image = _as_written(written, written.base, availability, env_dir, engine)
            else:
                image = _from_plan(
                    plan, capsule_dir, written, availability, env_dir, config, engine, run_time
                )
        finally:
            _note_egress(env_dir / BUILD_LOG_FILE, egress)
    image.seconds = round(time.monotonic() - start, 2)
    write_json_atomic(env_dir / "image.json", image)
    return image


def _from_plan(
    plan: Plan,
    capsule_dir: Path | None,
    written: CodeOceanDockerfile | None,
    availability: BaseAvailability | None,
    env_dir: Path,
    config: ImageConfig,
    engine: _Engine,
    run_time: RunTimeRung | None,
) -> EnvironmentImage:
    start = time.monotonic()
    choice = _choose(plan, config)
    base = _image(engine.client, choice.image, f"the base image {choice.image} ({choice.reason})")
    recipe = recipe_from_plan(plan, capsule_dir)
    notes = [f"base image {choice.image}: {choice.reason}"]
    if written is not None:
        unread = BaseAvailability(False, "not spelled out")
        notes += translation_notes(written, availability or unread, choice.image)
        notes += replayed_notes(plan)
    notes += list(recipe.notes)
    arguments = build_arguments(os.environ)
    notes += arguments.notes
    source = plan.dependency_source.value if plan.dependency_source else "no dependency file"
    mode: Mode = "translated" if written is not None else "plan"
    site = ImageSite(
        client=engine.client,
        limits=engine.limits,
        repository=engine.repository,
        base=choice,
        base_id=str(base.id),
        user=str((base.attrs.get("Config") or {}).get("User") or ""),
        title=f"the capsule {plan.capsule}",
        labels={LABEL_BASE: choice.image, LABEL_SOURCE: f"{source} ({mode})"},
        buildargs=arguments.values | engine.proxy,
        env_dir=env_dir,
    )
    declared = site.key(recipe)
    cutoff = plan.cutoff_date.value.isoformat() if plan.cutoff_date else None
    ladder = ladder_key(declared, cutoff, run_time is not None)
    site.log_path.write_text("".join(f"# {note}\n" for note in notes), encoding="utf-8")
    reached = find_reached(engine.client, engine.repository, ladder)
    climbed = reuse_reached(site, recipe, reached) if reached is not None else None
    if climbed is None:
        climbed = climb_image(plan, recipe, site, ladder, start + engine.limits.timeout_s, run_time)
    return EnvironmentImage(
        tag=climbed.tag,
        key=climbed.key,
        base=choice.image,
        reused=climbed.reused,
        seconds=0.0,
        dockerfile_path=env_dir / "Dockerfile",
        log_path=site.log_path,
        image_id=climbed.image_id,
        mode=mode,
        base_reason=choice.reason,
        notes=notes,
        ladder=climbed.rungs,
        ladder_key=ladder,
    )


def _as_written(
    written: CodeOceanDockerfile,
    base: str,
    availability: BaseAvailability,
    env_dir: Path,
    engine: _Engine,
) -> EnvironmentImage:
    base_id = str(_image(engine.client, base, f"the base image {base}").id)
    context = written.path.parent
    key = _written_key(base_id, context)
    image = EnvironmentImage(
        tag=image_tag(engine.repository, key),
        key=key,
        base=base,
        reused=False,
        seconds=0.0,
        dockerfile_path=env_dir / "Dockerfile",
        log_path=env_dir / BUILD_LOG_FILE,
        mode="as_written",
        python="python3",
        base_reason=f"{DOCKERFILE}:{written.base_line}: FROM {base} is {availability.reason}",
        notes=[f"{DOCKERFILE} built as written: its base image {base} is {availability.reason}"],
    )
    shutil.copyfile(written.path, image.dockerfile_path)
    labels = {LABEL_KEY: key, LABEL_BASE: base, LABEL_SOURCE: f"{DOCKERFILE} (as_written)"}
    request = BuildRequest(context, written.path.name, image.tag, labels, engine.proxy)
    return _build_or_reuse(image, request, engine)


def _build_or_reuse(image: EnvironmentImage, request: BuildRequest, engine: _Engine) -> EnvironmentImage:
    header = [f"# {note}" for note in image.notes]
    found = existing(engine.client, image.tag, image.key)
    if found is not None:
        header.append(f"# reused the image {image.tag} ({found}) built earlier for the same key; no build")
        image.log_path.write_text("\n".join(header) + "\n", encoding="utf-8")
        return image.model_copy(update={"reused": True, "image_id": found})
    header.append(f"# building {image.tag} from {request.context} ({engine.limits.describe()})")
    image.log_path.write_text("\n".join(header) + "\n", encoding="utf-8")
    image_id = build_image(engine.client, request, engine.limits, image.log_path)
    return image.model_copy(update={"image_id": image_id})


def _note_egress(log_path: Path, egress: IndexEgress) -> None:
    """What the build could reach, and what it asked for and was refused, at the end of its log."""
    with log_path.open("a", encoding="utf-8") as log:
        log.write(f"# egress of the build's steps: {egress.describe()}\n")
        if egress.refused:
            log.write(
                f"# egress refused (only the package indexes are reachable): {', '.join(egress.refused)}\n"
            )


def _choose(plan: Plan, config: ImageConfig) -> BaseImageChoice:
    python = plan.python_version.value if plan.python_version else None
    r_version = plan.r_version.value if plan.r_version else ("" if wants_r(plan) else None)
    return choose_base_image(config, python, r_version)


def _image(client: Any, name: str, what: str) -> Any:
    try:
        return client.images.get(name)
    except docker.errors.ImageNotFound:
        raise EnvironmentFailed(NO_BASE_IMAGE, f"{what} is not on this engine; {BASE_IMAGE_HINT}") from None


def _written_key(base_id: str, context: Path) -> str:
    files = sorted(p for p in context.rglob("*") if p.is_file())
    digests = {str(p.relative_to(context)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
    content = {"schema": SCHEMA_VERSION, "mode": "as_written", "base": base_id, "files": digests}
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()
