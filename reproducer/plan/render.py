"""A plan as readable text: each decision followed by the file and line it was read from."""

from reproducer.plan.model import EntryCandidate, EntryPoint, Evidence, Plan, Requirement

INDENT = "  "


def _cited(value: object, evidence: Evidence) -> str:
    # Multi-line values (compound setup commands) stay readable under their bullet.
    shown = str(value).replace("\n", "\n" + INDENT * 2)
    return f"{shown}  ({evidence})"


def render_plan(plan: Plan) -> str:
    """The summary `reproducer env plan` prints."""
    lines = [f"Environment plan for {plan.capsule}"]
    languages = ", ".join(f"{d.value} ({d.evidence})" for d in plan.languages)
    lines.append(f"languages: {languages or 'none found'}")
    for label, version in (("python", plan.python_version), ("R", plan.r_version)):
        stated = _cited(version.value, version.evidence) if version else "not stated (builder default)"
        lines.append(f"{label}: {stated}")
    source = plan.dependency_source
    lines.append(
        "dependencies from: " + (_cited(source.value, source.evidence) if source else "nothing found")
    )
    sections: list[tuple[str, list[Requirement]]] = [
        ("python packages", plan.python_requirements),
        ("conda packages", plan.conda_packages),
        ("R packages", plan.r_packages),
        ("system packages", plan.system_packages),
    ]
    for label, requirements in sections:
        if requirements:
            lines.append(f"{label}:")
            lines += [INDENT + _cited(r.spec, r.evidence) for r in requirements]
    if plan.setup_commands:
        lines.append("setup commands (in order, one shell, from the capsule root):")
        lines += [INDENT + _cited(c.value, c.evidence) for c in plan.setup_commands]
    lines += _entry_lines(plan)
    gpu = plan.gpu
    lines.append(
        "gpu: "
        + (_cited("needed" if gpu.value else "not needed", gpu.evidence) if gpu else "no sign of need")
    )
    cutoff = plan.cutoff_date
    dated = f"{cutoff.value}  ({cutoff.evidence}: {cutoff.evidence.text})" if cutoff else "unknown"
    lines.append(f"cut-off date: {dated}")
    if plan.fixes:
        lines.append("fixes to the staged copy:")
        lines += [f"{INDENT}`{f.old}` -> `{f.new}`  ({f.evidence})" for f in plan.fixes]
    if plan.warnings:
        lines.append("warnings:")
        lines += [f"{INDENT}- {w}" for w in plan.warnings]
    return "\n".join(lines)


def _entry_lines(plan: Plan) -> list[str]:
    """The entry points that run, in order, then every candidate dropped; each with its reason."""
    lines = ["entry points (in running order):" if plan.entry_points else "entry points: none found"]
    kept = [c for c in plan.entry_candidates if c.kept]
    if not kept:  # a plan made before candidates were recorded
        kept = [EntryCandidate(entry=e, kept=True, reason="") for e in plan.entry_points]
    for number, candidate in enumerate(kept, start=1):
        lines.append(f"{INDENT}{number}. {_entry(candidate.entry)}")
        lines += [INDENT * 2 + f"why: {candidate.reason}"] if candidate.reason else []
    dropped = [c for c in plan.entry_candidates if not c.kept]
    if dropped:
        lines.append("entry point candidates not run:")
        for candidate in dropped:
            lines.append(f"{INDENT}- {_entry(candidate.entry)}")
            lines.append(INDENT * 2 + f"why not: {candidate.reason}")
    return lines


def _entry(entry: EntryPoint) -> str:
    shown = f"[{entry.kind}] {entry.command}  (cwd {entry.cwd})  ({entry.evidence})"
    return shown + (f"  -> {entry.output_format}" if entry.output_format else "")
