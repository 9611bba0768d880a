"""Every cited line of every fixture plan is the line the fact was read from."""

from pathlib import Path

import pytest

from reproducer.plan import Evidence, make_plan
from reproducer.plan.capsule import Capsule
from reproducer.plan.model import PIPELINE_EVIDENCE_FILE
from reproducer.plan.parse.distributions import current_name

FIXTURES = Path(__file__).parent / "fixtures" / "plan"
CAPSULES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


def evidences(capsule: str) -> list[Evidence]:
    plan = make_plan(FIXTURES / capsule)
    decisions = [plan.python_version, plan.r_version, plan.dependency_source, plan.gpu, *plan.languages]
    found = [d.evidence for d in decisions if d is not None]
    found += [d.evidence for d in plan.setup_commands]
    requirements = [*plan.python_requirements, *plan.conda_packages, *plan.r_packages, *plan.system_packages]
    found += [r.evidence for r in requirements] + [e.evidence for e in plan.entry_points]
    return found


@pytest.mark.parametrize("capsule", CAPSULES)
def test_cited_files_exist_and_lines_hold_the_cited_text(capsule: str) -> None:
    # What the pipeline itself adds (rmarkdown to render an .Rmd) cites the pipeline, not a file.
    for evidence in [e for e in evidences(capsule) if e.file != PIPELINE_EVIDENCE_FILE]:
        path = FIXTURES / capsule / evidence.file
        assert path.exists(), evidence
        if evidence.line is None or path.suffix == ".ipynb":
            continue
        text = Capsule(FIXTURES / capsule).read_text(evidence.file) or ""  # UTF-16 fixtures too
        line = text.split("\n")[evidence.line - 1].strip()
        # Evidence text starts as the line itself; some add a reason in parentheses after it.
        assert evidence.text.startswith(line[:40]), (evidence, line)


@pytest.mark.parametrize("capsule", CAPSULES)
def test_pinned_requirements_are_cited_on_the_line_that_names_them(capsule: str) -> None:
    plan = make_plan(FIXTURES / capsule)
    for requirement in plan.python_requirements + plan.system_packages:
        name = requirement.spec.split("==")[0].split(">=")[0].split("=")[0].split("[")[0]
        # Names mapped from conda or imports (pytorch -> torch, sklearn -> scikit-learn) differ by design.
        mapped = requirement.evidence.file.endswith((".yml", ".py", ".ipynb", "Dockerfile"))
        mapped |= current_name(requirement.evidence.text) != requirement.evidence.text  # a retired name
        if requirement.evidence.line is not None and not mapped and "://" not in name:
            assert name.lower() in requirement.evidence.text.lower(), requirement
