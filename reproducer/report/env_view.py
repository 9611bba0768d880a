"""The environment for the page: the ladder's rungs and how they ended, the interpreter, the lock."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reproducer.report.limits import CELL_CHARS, FILE_HEAD_CHARS, FILE_TAIL_CHARS
from reproducer.report.records import dig, mapping, read_json
from reproducer.report.text import Excerpt, clip, file_excerpt
from reproducer.rundir.layout import ENV_LOG_FILE, ENVIRONMENT_FILE, LADDER_FILE, LOCK_FILE


@dataclass(frozen=True)
class RungRow:
    name: str
    reason: str
    outcome: str
    label: str
    relaxed: list[str]
    detail: list[str]
    seconds: float
    reused: bool


@dataclass
class EnvView:
    """Everything `RUNDIR/env/` says; `present` is False when the run built no environment."""

    present: bool = False
    # How the pipeline's environment step ended, from summary.json ("ok: built 3f2a...", "failed: ...").
    outcome: str = ""
    interpreter: str = ""
    key: str = ""
    reused: bool | None = None
    rungs: list[RungRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    import_failures: list[str] = field(default_factory=list)
    lock: Excerpt | None = None
    command_log: Excerpt | None = None
    problems: list[str] = field(default_factory=list)


def env_view(env_dir: Path) -> EnvView:
    view = EnvView(present=env_dir.is_dir())
    if not view.present:
        return view
    environment, ladder = read_json(env_dir / ENVIRONMENT_FILE), read_json(env_dir / LADDER_FILE)
    view.problems = [record.problem for record in (environment, ladder) if record.problem]
    built = mapping(environment.data)
    rungs = ladder.data if isinstance(ladder.data, list) else built.get("ladder", [])
    view.rungs = [_rung(rung) for rung in rungs if isinstance(rung, dict)]
    version, path = dig(built, "interpreter", "version"), dig(built, "interpreter", "path")
    if version:
        view.interpreter = f"Python {version} ({path})"
    warning = dig(built, "interpreter", "warning")
    view.warnings = [str(item) for item in [warning, *built.get("warnings", [])] if item]
    view.import_failures = [
        f"{name}: {error}" for name, error in (built.get("import_failures") or {}).items()
    ]
    view.key, view.reused = str(built.get("key", ""))[:12], built.get("reused")
    for name, attribute in ((LOCK_FILE, "lock"), (ENV_LOG_FILE, "command_log")):
        if (env_dir / name).is_file():
            setattr(view, attribute, file_excerpt(env_dir / name, FILE_HEAD_CHARS, FILE_TAIL_CHARS))
    return view


def _rung(rung: dict[str, Any]) -> RungRow:
    relaxed = rung.get("relaxed") or {}
    return RungRow(
        name=str(rung.get("name", "")),
        reason=clip(str(rung.get("reason", "")), CELL_CHARS),
        outcome=str(rung.get("outcome", "")),
        label=str(rung.get("label") or ""),
        relaxed=[f"{old} → {new}" for old, new in relaxed.items()],
        detail=[clip(str(line), CELL_CHARS) for line in rung.get("detail") or []],
        seconds=float(rung.get("seconds") or 0.0),
        reused=bool(rung.get("reused")),
    )
