"""`requirements.txt` (else the first `requirements*.txt` that is not for development), at the capsule root
or in code/."""

import fnmatch
import re

from reproducer.plan.capsule import SEARCH_DIRS, Capsule, join
from reproducer.plan.findings import Findings
from reproducer.plan.model import Decision
from reproducer.plan.readers.requirements import read_requirements_file

PREFERRED = "requirements.txt"
PATTERN = "requirements*.txt"
# Files for the developers' tools (`requirements_dev.txt`, `requirements-test.txt`), not the analysis.
_TOOLING = re.compile(r"dev|test|doc|lint|ci\b|build", re.IGNORECASE)


def detect(capsule: Capsule) -> Findings | None:
    candidates = [
        join(directory, name)
        for directory in SEARCH_DIRS
        for name in capsule.list_files(directory)
        if fnmatch.fnmatch(name.lower(), PATTERN)
    ]
    if not candidates:
        return None
    preferred = [c for c in candidates if c.rpartition("/")[2] == PREFERRED]
    analysis = [c for c in candidates if not _for_tools(c)]
    chosen = (preferred or analysis or candidates)[0]
    findings = Findings(Decision(value="requirements.txt", evidence=capsule.evidence(chosen)))
    read_requirements_file(capsule, chosen, findings)
    read = {r.evidence.file for r in findings.python_requirements} | {chosen}
    unused = [c for c in candidates if c not in read]
    if unused:
        findings.warnings.append(f"{chosen} used; also found (not used): {', '.join(unused)}")
    return findings


def _for_tools(path: str) -> bool:
    return bool(_TOOLING.search(path.rpartition("/")[2].removeprefix("requirements")))
