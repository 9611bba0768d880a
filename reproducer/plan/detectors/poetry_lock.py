"""`poetry.lock`: main-category packages pinned; `[metadata] python-versions`."""

from typing import Any

from reproducer.plan.capsule import Capsule
from reproducer.plan.findings import Findings
from reproducer.plan.model import Decision, Requirement
from reproducer.plan.parse.versions import interpreter_request
from reproducer.plan.readers.structured import Cursor, load


def detect(capsule: Capsule) -> Findings | None:
    path = capsule.find("poetry.lock")
    loaded = load(capsule, path, "toml") if path else None
    if path is None or loaded is None:
        return None
    findings, data, index = loaded
    cursor = Cursor(capsule, path, index)
    for package in data.get("package", []):
        evidence = cursor.cite(f'name = "{package.get("name", "")}"')
        spec = _spec(package)
        if spec and package.get("category", "main") == "main":
            findings.python_requirements.append(Requirement(spec=spec, evidence=evidence))
    metadata = data.get("metadata", {})
    python = interpreter_request(str(metadata.get("python-versions", "")))
    if python:
        findings.python_version = Decision(value=python, evidence=cursor.cite("python-versions"))
    return findings


def _spec(package: dict[str, Any]) -> str | None:
    name, version, source = package.get("name"), package.get("version"), package.get("source", {})
    if not name or source.get("type") in ("directory", "file"):
        return None
    if source.get("type") == "git":
        ref = source.get("resolved_reference") or source.get("reference")
        return f"{name} @ git+{source.get('url')}" + (f"@{ref}" if ref else "")
    # Poetry 2 writes when a package applies (`sys_platform == "win32"`); combine drops what never does.
    marker = f"; {package['markers']}" if isinstance(package.get("markers"), str) else ""
    return (f"{name}=={version}" if version else str(name)) + marker
