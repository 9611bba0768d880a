"""Settles the environment part of a plan from the detectors' findings (given in precedence order).

Dependencies: for Python (pip and conda packages) and for R separately, the first source that declares
any supplies them all; `dependency_source` names the first of those. The Python version: the first source
that states it, unless that is a range and a later source states an exact version inside it. The R
version, system packages: the first source that states them. Setup commands: the Dockerfile's, then the
winners', then the installs of the capsule's own packages.
"""

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from reproducer.plan.debian import debian_names
from reproducer.plan.detectors.dockerfile import DOCKERFILE
from reproducer.plan.detectors.local_packages import SOURCE as LOCAL_PACKAGES
from reproducer.plan.findings import Findings
from reproducer.plan.model import Decision, Plan, Requirement
from reproducer.plan.parse.distributions import current_name, excluded_everywhere
from reproducer.plan.parse.pep508 import requirement_name


def combine(capsule: str, findings: list[Findings]) -> Plan:
    python = next((f for f in findings if f.declares_python), None)
    r = next((f for f in findings if f.declares_r), None)
    winners = [f for f in findings if f is python or f is r]
    python_version = _python_version([f for f in findings if f.python_version])
    r_version = next((f for f in findings if f.r_version), None)
    system = next((f for f in findings if f.system_packages), None)
    dockerfile = next((f for f in findings if f.source.value == DOCKERFILE), None)
    local = next((f for f in findings if f.source.value == LOCAL_PACKAGES), None)
    setup = [f for f in findings if f is dockerfile or f in winners or f is local]
    used = {id(f) for f in [*winners, python_version, r_version, system, dockerfile, local] if f is not None}
    warnings = [w for f in findings if id(f) in used for w in f.warnings]
    if python and r and python.source.value != r.source.value:
        later = r if findings.index(r) > findings.index(python) else python
        declares = "R" if later is r else "Python"
        warnings.append(
            f"{declares} packages come from {later.source.value} ({later.source.evidence}): "
            f"{winners[0].source.value} declares none"
        )
    python_requirements = _unique(
        _installable(python.python_requirements if python else [], warnings), warnings
    )
    return Plan(
        capsule=capsule,
        python_version=python_version.python_version if python_version else None,
        r_version=r_version.r_version if r_version else None,
        dependency_source=winners[0].source if winners else None,
        python_requirements=python_requirements,
        conda_packages=python.conda_packages if python else [],
        r_packages=_unique(r.r_packages if r else [], warnings, r_names=True),
        system_packages=_in_debian(
            _unique(system.system_packages if system else [], warnings, apt_names=True), warnings
        ),
        setup_commands=_unique_commands([c for f in setup for c in f.setup_commands]),
        warnings=warnings,
    )


def _python_version(stated: list[Findings]) -> Findings | None:
    """The first statement, unless it is a range and a later exact version lies inside it: "Tested with
    Python 3.7" says more than `python_requires=">=3.5"`, but never overrides a range it contradicts."""
    if not stated or _exact(stated[0]):
        return stated[0] if stated else None
    first = stated[0].python_version
    assert first is not None
    try:
        allowed = SpecifierSet(first.value)
    except InvalidSpecifier:
        return stated[0]
    inside = (
        f for f in stated[1:] if _exact(f) and f.python_version and allowed.contains(f.python_version.value)
    )
    return next(inside, stated[0])


def _exact(found: Findings) -> bool:
    return found.python_version is not None and found.python_version.value[:1].isdigit()


def _installable(requirements: list[Requirement], warnings: list[str]) -> list[Requirement]:
    """Retired names mapped to the distribution that installs; those no interpreter of ours gets dropped."""
    kept: list[Requirement] = []
    for requirement in requirements:
        marker = excluded_everywhere(requirement.spec)
        if marker is not None:
            warnings.append(
                f"{requirement.spec} ({requirement.evidence}) not installed: `{marker}` is false here"
            )
            continue
        spec = current_name(requirement.spec)
        if spec != requirement.spec:
            warnings.append(
                f"{requirement.spec} ({requirement.evidence}) is a retired name; installing {spec}"
            )
            requirement = requirement.model_copy(update={"spec": spec})
        kept.append(requirement)
    return kept


def _in_debian(requirements: list[Requirement], warnings: list[str]) -> list[Requirement]:
    """The system packages Debian's index knows; the others dropped with a warning."""
    known = debian_names() if requirements else None
    if known is None:
        if requirements:
            warnings.append("system package names not checked: no apt index on this machine")
        return requirements
    kept = [r for r in requirements if r.spec.split("=")[0].strip() in known]
    warnings += [
        f"system package `{r.spec}` ({r.evidence}) dropped: Debian has no package of that name"
        for r in requirements
        if r not in kept
    ]
    return kept


def _name(requirement: Requirement, r_names: bool, apt_names: bool) -> str | None:
    if r_names:
        return requirement.spec.split("@")[0].rstrip("/").split("/")[-1].split("::")[-1]
    if apt_names:
        return requirement.spec.split("=")[0]
    return requirement_name(requirement.spec)


def _unique(
    requirements: list[Requirement], warnings: list[str], r_names: bool = False, apt_names: bool = False
) -> list[Requirement]:
    """First declaration of each package wins; a differing later one is reported."""
    kept: dict[str, Requirement] = {}
    unique: list[Requirement] = []
    for requirement in requirements:
        name = _name(requirement, r_names, apt_names)
        first = kept.get(name) if name else None
        if first is None:
            if name:
                kept[name] = requirement
            unique.append(requirement)
        elif first.spec != requirement.spec:
            warnings.append(
                f"{name} declared twice: `{first.spec}` ({first.evidence}) kept, "
                f"`{requirement.spec}` ({requirement.evidence}) dropped"
            )
    return unique


def _unique_commands(commands: list[Decision[str]]) -> list[Decision[str]]:
    unique: dict[str, Decision[str]] = {}
    for command in commands:
        unique.setdefault(command.value, command)
    return list(unique.values())
