"""`setup.py`: `install_requires`, `python_requires` (else the classifiers' Pythons), read with `ast`
(the file is never executed)."""

from reproducer.plan.capsule import Capsule
from reproducer.plan.findings import Findings
from reproducer.plan.model import Decision, Requirement
from reproducer.plan.parse.pep508 import as_requirement
from reproducer.plan.parse.python_mentions import classifiers_python
from reproducer.plan.parse.setup_py import read_setup_py
from reproducer.plan.parse.versions import interpreter_request
from reproducer.plan.text import LineIndex


def detect(capsule: Capsule) -> Findings | None:
    path = capsule.find("setup.py")
    text = capsule.read_text(path) if path else None
    if path is None or text is None:
        return None
    index = LineIndex(text)
    findings = Findings(Decision(value="setup.py", evidence=capsule.evidence(path)))
    call = read_setup_py(text)
    for declared, line in call.values.get("install_requires", []):
        spec = as_requirement(declared)
        if spec:
            evidence = capsule.evidence(path, line, index.line_text(line))
            findings.python_requirements.append(Requirement(spec=spec, evidence=evidence))
    for declared, line in call.values.get("python_requires", [])[:1]:
        python = interpreter_request(declared)
        if python:
            findings.python_version = Decision(
                value=python, evidence=capsule.evidence(path, line, index.line_text(line))
            )
    classifiers = call.values.get("classifiers", [])
    python = classifiers_python(value for value, _ in classifiers)
    if python and findings.python_version is None:
        major = "Python :: 2" if python == "2.7" else "Python :: 3."
        line = next(line for value, line in classifiers if major in value)
        findings.python_version = Decision(
            value=python, evidence=capsule.evidence(path, line, index.line_text(line))
        )
    for keyword in call.computed:
        findings.warnings.append(
            f"{path}: `{keyword}` is computed at run time; not read (setup.py is never run)"
        )
    return findings
