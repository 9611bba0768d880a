"""Direct references (`pkg @ ./vendor/pkg.whl`, `pkg @ git+https://...`): local ones must be files of the
capsule, and an environment holding any of them is the run's own, never shared.

A local wheel, source tree or sdist is capsule code that runs while building and importing; another
capsule with the same pins must not get it from the shared cache. Remote ones are recorded.
"""

import posixpath
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from reproducer.envs.failure import EnvironmentFailed
from reproducer.plan.model import Requirement
from reproducer.plan.parse.pep508 import direct_reference, is_below, local_reference

OUTSIDE = "direct_reference_outside_capsule"


class DirectReference(BaseModel):
    spec: str
    evidence: str
    local_path: str | None = None  # resolved, inside the capsule


@dataclass(frozen=True)
class Resolved:
    specs: list[str]  # the requirement lines to install, local paths made absolute
    references: list[DirectReference]


def resolve_direct_references(requirements: list[Requirement], capsule_dir: Path | None) -> Resolved:
    """Each requirement's line for uv, with local references checked against the capsule and made
    absolute (uv reads relative ones from its own working directory); raises `EnvironmentFailed` when
    one names anything but a file or folder of the capsule."""
    specs: list[str] = []
    references: list[DirectReference] = []
    for requirement in requirements:
        spec = requirement.spec.strip()
        if not spec:
            continue
        if direct_reference(spec) is None:
            specs.append(spec)
            continue
        path = local_reference(spec)
        if path is None:
            specs.append(spec)
            references.append(DirectReference(spec=spec, evidence=str(requirement.evidence)))
            continue
        target = _inside_capsule(path, requirement, capsule_dir)
        name, _, rest = spec.partition("@")
        marker = rest.partition(";")[2]
        specs.append(f"{name.strip()} @ {target.as_uri()}" + (f" ; {marker.strip()}" if marker else ""))
        references.append(
            DirectReference(spec=spec, evidence=str(requirement.evidence), local_path=str(target))
        )
    return Resolved(specs, references)


def _inside_capsule(path: str, requirement: Requirement, capsule_dir: Path | None) -> Path:
    where = f"{requirement.evidence}: `{requirement.spec.strip()}`"
    if capsule_dir is None or path.lower().startswith("file:") or not is_below(path):
        raise EnvironmentFailed(OUTSIDE, f"{where} installs a path from outside the capsule; refused")
    root = capsule_dir.resolve()
    base = posixpath.dirname(requirement.evidence.file)
    target = (root / base / path).resolve()
    if not target.is_relative_to(root) or not target.exists():
        raise EnvironmentFailed(
            OUTSIDE, f"{where} names {target}, which is not a file or folder of the capsule; refused"
        )
    return target
