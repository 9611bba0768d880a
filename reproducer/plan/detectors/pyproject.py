"""`pyproject.toml`: PEP 621 `dependencies` and `requires-python` (else classifiers, `target-version`), or
`[tool.poetry.dependencies]`."""

from typing import Any

from reproducer.plan.capsule import Capsule
from reproducer.plan.findings import Findings
from reproducer.plan.model import Decision, Requirement
from reproducer.plan.parse.pep508 import as_requirement
from reproducer.plan.parse.python_mentions import classifiers_python, target_python
from reproducer.plan.parse.versions import interpreter_request, poetry_constraint
from reproducer.plan.readers.structured import Cursor, load


def detect(capsule: Capsule) -> Findings | None:
    path = capsule.find("pyproject.toml")
    loaded = load(capsule, path, "toml") if path else None
    if path is None or loaded is None:
        return None
    findings, data, index = loaded
    project = data.get("project", {})
    cursor = Cursor(capsule, path, index)
    python = interpreter_request(str(project.get("requires-python", "")))
    if python:
        findings.python_version = Decision(value=python, evidence=cursor.cite("requires-python"))
    if findings.python_version is None:
        _stated_elsewhere(data, Cursor(capsule, path, index), findings)
    cursor.line = 1
    for declared in project.get("dependencies", []):
        evidence = cursor.cite(f'"{declared}"', f"'{declared}'")
        spec = as_requirement(str(declared))
        if spec:
            findings.python_requirements.append(Requirement(spec=spec, evidence=evidence))
    poetry = data.get("tool", {}).get("poetry", {}).get("dependencies", {})
    if poetry and not findings.python_requirements:
        _read_poetry(poetry, Cursor(capsule, path, index), findings)
    return findings


def _stated_elsewhere(data: dict[str, Any], cursor: Cursor, findings: Findings) -> None:
    """The classifiers' Pythons, else black's or ruff's `target-version` (the oldest supported)."""
    classifiers = data.get("project", {}).get("classifiers", [])
    python = classifiers_python(str(c) for c in classifiers) if isinstance(classifiers, list) else None
    if python:
        major = "2" if python == "2.7" else "3."
        findings.python_version = Decision(
            value=python, evidence=cursor.cite(f"Programming Language :: Python :: {major}")
        )
        return
    tools = data.get("tool", {})
    for tool in ("ruff", "black"):
        targets = tools.get(tool, {}).get("target-version") if isinstance(tools.get(tool), dict) else None
        python = target_python(targets) if isinstance(targets, str | list) else None
        if python:
            cursor.cite(f"[tool.{tool}]")
            findings.python_version = Decision(value=python, evidence=cursor.cite("target-version"))
            return


def _read_poetry(dependencies: dict[str, Any], cursor: Cursor, findings: Findings) -> None:
    cursor.cite("[tool.poetry.dependencies]")
    for name, constraint in dependencies.items():
        evidence = cursor.cite(f"{name} =", f'"{name}" =', f"{name}=")
        if isinstance(constraint, list):
            constraint = constraint[0] if constraint else "*"
        if name == "python":
            python = interpreter_request(str(constraint)) if isinstance(constraint, str) else None
            if python and findings.python_version is None:
                findings.python_version = Decision(value=python, evidence=evidence)
            continue
        spec = _poetry_spec(name, constraint)
        if spec:
            findings.python_requirements.append(Requirement(spec=spec, evidence=evidence))


def _poetry_spec(name: str, constraint: Any) -> str | None:
    if isinstance(constraint, str):
        return f"{name}{poetry_constraint(constraint)}"
    if not isinstance(constraint, dict) or "path" in constraint:
        return None
    if "git" in constraint:
        ref = constraint.get("rev") or constraint.get("tag") or constraint.get("branch")
        return f"{name} @ git+{constraint['git']}" + (f"@{ref}" if ref else "")
    if "url" in constraint:
        return f"{name} @ {constraint['url']}"
    extras = f"[{','.join(constraint['extras'])}]" if constraint.get("extras") else ""
    return f"{name}{extras}{poetry_constraint(str(constraint.get('version', '*')))}"
