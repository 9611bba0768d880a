"""`make_plan`: a capsule directory in, a Plan out; reads files only, runs nothing, fetches nothing."""

from collections.abc import Sequence
from pathlib import Path

from reproducer.plan.capsule import Capsule
from reproducer.plan.combine import combine
from reproducer.plan.cutoff import cutoff_date
from reproducer.plan.detectors import DETECTORS, LAST_RESORT
from reproducer.plan.entries import find_entry_points
from reproducer.plan.entries.makefile import regenerate_committed
from reproducer.plan.entries.run_folder import run_from_own_folder
from reproducer.plan.findings import Detector, Findings
from reproducer.plan.fixes import author_path_fixes
from reproducer.plan.gpu import detect_gpu
from reproducer.plan.languages import detect_languages, drop_unloaded_r_packages, drop_unrun_r
from reproducer.plan.model import PIPELINE_EVIDENCE_FILE, EntryPoint, Evidence, Plan, Requirement

# The R package that renders R Markdown entry points (it brings knitr along).
RENDERER = "rmarkdown"


def make_plan(capsule_dir: Path, prompt: str | None = None, questions: Sequence[str] = ()) -> Plan:
    """What it takes to run the capsule at `capsule_dir`, every decision cited (file and line).

    `prompt` and `questions` are the task's (CORE-Bench's `task_prompt` says what to run), if any.

    Raises BadInput if `capsule_dir` is not a directory. Unreadable or odd files become warnings.
    """
    capsule = Capsule(capsule_dir)
    findings: list[Findings] = []
    for detect in DETECTORS:
        if not _already_declared(LAST_RESORT.get(detect), findings):
            found = _run(detect, capsule)
            findings += [found] if found is not None else []
    plan = combine(capsule.name, findings)
    plan.languages = detect_languages(capsule)
    plan.entry_candidates = find_entry_points(capsule, prompt, questions)
    plan.entry_points = [candidate.entry for candidate in plan.entry_candidates if candidate.kept]
    _adjust_entries(capsule, plan)
    drop_unrun_r(capsule, plan)
    drop_unloaded_r_packages(capsule, plan)
    _add_renderer(plan)
    plan.fixes = author_path_fixes(capsule, plan.entry_points)
    plan.gpu = detect_gpu(capsule)
    plan.cutoff_date = cutoff_date(capsule)
    if not (findings or plan.languages or plan.entry_points):
        plan.warnings.append("no code, environment file or entry point found: is this a capsule?")
    plan.warnings = list(dict.fromkeys(plan.warnings + capsule.warnings))
    return plan


def _adjust_entries(capsule: Capsule, plan: Plan) -> None:
    """The kept entries as they must run: from the folder their files are in, committed targets remade."""
    entries: list[EntryPoint] = []
    for entry in plan.entry_points:
        for adjust in (run_from_own_folder, regenerate_committed):
            entry, why = adjust(capsule, entry)
            plan.warnings += [why] if why else []
        entries.append(entry)
    plan.entry_points = entries


def _add_renderer(plan: Plan) -> None:
    """The pipeline renders R Markdown entries with rmarkdown: it is required even if no code loads it."""
    if not any(entry.kind == "rmarkdown" for entry in plan.entry_points):
        return
    if any(r.spec.split("@")[0].split("::")[-1] == RENDERER for r in plan.r_packages):
        return
    evidence = Evidence(file=PIPELINE_EVIDENCE_FILE, text="renders the R Markdown entry points")
    plan.r_packages.append(Requirement(spec=RENDERER, evidence=evidence))


def _already_declared(ecosystem: str | None, findings: list[Findings]) -> bool:
    if ecosystem == "python":
        return any(f.declares_python for f in findings)
    return ecosystem == "r" and any(f.declares_r for f in findings)


def _run(detect: Detector, capsule: Capsule) -> Findings | None:
    try:
        return detect(capsule)
    except Exception as error:  # one odd file must not cost the whole plan; it is reported
        name = getattr(detect, "__module__", "detector").rpartition(".")[2]
        capsule.warnings.append(
            f"{name} detector failed ({type(error).__name__}: {error}); its source skipped"
        )
        return None
