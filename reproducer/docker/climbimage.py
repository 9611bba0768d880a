"""A plan's environment image by the resolution ladder: climbed rung by rung, or the image a climb for the
same plan reached before, reused without building its failed rungs again (see imageindex.py)."""

from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from reproducer.docker.dockerfile import VENV_PYTHON
from reproducer.docker.imageindex import Reached, image_tag
from reproducer.docker.imagepython import image_python, image_target, lookup_uv
from reproducer.docker.ladder import ImageRungs, ImageSite, rung_recipe
from reproducer.docker.recipe import Recipe
from reproducer.envs.explain import failure_message
from reproducer.envs.failure import EnvironmentFailed
from reproducer.envs.ladder import Climb, LadderInput, RunTimeRung, climb
from reproducer.envs.lookups import nearest_wheel_version, target_closure, version_at_date
from reproducer.envs.model import Interpreter, Rung
from reproducer.envs.pins import pinned_version, requirement_name
from reproducer.envs.uv import Uv
from reproducer.jsonio import write_json_atomic
from reproducer.plan.model import PIPELINE_EVIDENCE_FILE, Plan
from reproducer.rundir.layout import LADDER_FILE

# Tool packages the pipeline adds are not the paper's: their pins are never relaxed, no cutoff applies.
TOOL_EVIDENCE = PIPELINE_EVIDENCE_FILE
NOT_RETRIED = "not retried: recorded when the image was built"


@dataclass(frozen=True)
class ImageClimbed:
    """The image a ladder ended on, and its rungs as `run_dir/env/ladder.json` records them."""

    key: str
    tag: str
    image_id: str
    reused: bool
    rungs: list[Rung]


def reuse_reached(site: ImageSite, recipe: Recipe, reached: Reached) -> ImageClimbed | None:
    """`reached` as this run's result, or None when its recorded last rung does not give its key."""
    last = reached.rungs[-1]
    if site.key(rung_recipe(recipe, last.requirements, last.uv_flags)) != reached.key:
        return None
    site.write_context(rung_recipe(recipe, last.requirements, last.uv_flags))
    site.note(
        f"# reused the image {reached.tag} ({reached.image_id}) that the resolution ladder reached for this "
        f"plan before (rung {len(reached.rungs)}, {last.name}); no build, the rungs before it not retried"
    )
    earlier = [
        rung
        if rung.outcome == "skipped"
        else rung.model_copy(update={"reason": f"{rung.reason} [{NOT_RETRIED}]"})
        for rung in reached.rungs[:-1]
    ]
    rungs = [
        *(rung.model_copy(update={"seconds": 0.0}) for rung in earlier),
        last.model_copy(update={"reused": True, "seconds": 0.0}),
    ]
    write_json_atomic(site.env_dir / LADDER_FILE, [rung.model_dump(mode="json") for rung in rungs])
    return ImageClimbed(reached.key, reached.tag, reached.image_id, True, rungs)


def climb_image(
    plan: Plan,
    recipe: Recipe,
    site: ImageSite,
    ladder_key: str,
    deadline: float,
    run_time: RunTimeRung | None = None,
) -> ImageClimbed:
    """Climb the ladder for `recipe`'s Python requirements (only the run-time rung with `run_time`);
    raises `EnvironmentFailed` when no rung builds."""
    python = site.base.python_version or image_python(site.client, site.base.image)
    uv = lookup_uv(site.env_dir, deadline, site.buildargs)
    target = image_target(site.client, site.base.image, python)
    rungs = ImageRungs(site, recipe, ladder_key, deadline)
    ladder = replace(ladder_input(plan, recipe, python, uv, target), run_time=run_time)
    nearest = partial(nearest_wheel_version, uv, target)
    climbed = climb(ladder, rungs.attempt, nearest, rungs.record, partial(version_at_date, uv, target))
    write_json_atomic(site.env_dir / LADDER_FILE, [rung.model_dump(mode="json") for rung in climbed.rungs])
    if climbed.installed is None:
        raise _failure(plan, python, climbed, site.log_path)
    key = climbed.installed.key
    tag = image_tag(site.repository, key)
    return ImageClimbed(key, tag, rungs.image_ids[key], climbed.installed.reused, climbed.rungs)


def ladder_input(plan: Plan, recipe: Recipe, python: str, uv: Uv, target: list[str]) -> LadderInput:
    """The ladder for the plan's Python requirements as `recipe` installs them, on the image's `python`."""
    paper = [r.spec for r in plan.python_requirements if r.evidence.file != TOOL_EVIDENCE]
    tools = [r.spec.strip() for r in plan.python_requirements if r.evidence.file == TOOL_EVIDENCE]
    cutoff = plan.cutoff_date
    return LadderInput(
        requirements=list(recipe.python_requirements),
        pins=dict(found for line in paper if (found := pinned_version(line)) is not None),
        cutoff=cutoff.value.isoformat() if cutoff else None,
        cutoff_evidence=str(cutoff.evidence) if cutoff else "",
        exempt_from_cutoff=target_closure(uv, target, tools) if cutoff and tools else [],
        python=python or "3",
    )


def _failure(plan: Plan, python: str, climbed: Climb, log: Path) -> EnvironmentFailed:
    first = climbed.failures[0].diagnosis
    if len(climbed.failures) == 1 or "." not in python:  # the build's own message says it all
        return EnvironmentFailed(first.label, "\n".join(first.lines), climbed.rungs)
    names = ((requirement_name(r.spec), str(r.evidence)) for r in plan.python_requirements)
    declared_at = {name: evidence for name, evidence in names if name is not None}
    interpreter = Interpreter(path=Path(VENV_PYTHON), version=python)
    message = failure_message(plan.capsule, interpreter, climbed.rungs, declared_at, log)
    return EnvironmentFailed(first.label, message, climbed.rungs)
