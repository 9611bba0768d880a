"""Realise a plan's Python requirements as a uv virtual environment on an interpreter of this machine."""

import shutil
import time
from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path

from reproducer.envs.attempt import Builder
from reproducer.envs.directrefs import resolve_direct_references
from reproducer.envs.explain import failure_message
from reproducer.envs.failure import EnvironmentFailed
from reproducer.envs.interpreters import find_interpreter_for_pins
from reproducer.envs.ladder import Climb, LadderInput, RunTimeRung, climb
from reproducer.envs.lookups import (
    dependency_closure,
    interpreter_target,
    nearest_usable_version,
    version_at_date,
)
from reproducer.envs.model import BuiltEnvironment, Interpreter
from reproducer.envs.pins import pinned_version, requirement_name
from reproducer.envs.python2 import (
    Python2Builder,
    is_python2,
    nearest_wheel,
    python2_interpreter,
    version_before,
)
from reproducer.envs.slot import default_cache_root
from reproducer.envs.uv import BuildSandbox, Uv
from reproducer.jsonio import write_json_atomic
from reproducer.plan.capsule import Capsule
from reproducer.plan.code_sources import code_sources
from reproducer.plan.detectors.local_packages import local_install_folder
from reproducer.plan.model import Plan
from reproducer.plan.parse.pep508 import direct_reference
from reproducer.plan.parse.python_imports import python_imports
from reproducer.rundir.layout import ENV_LOG_FILE, ENVIRONMENT_FILE, LADDER_FILE, LOCK_FILE, RunDir
from reproducer.rundir.stamp import write_record
from reproducer.sandbox.hostview import outside_system

DEFAULT_BUILD_TIMEOUT_S = 3600.0
FREEZE_LIMIT_S = 60.0


def build_environment(
    plan: Plan,
    run_dir: Path,
    *,
    cache_root: Path | None = None,
    private: bool = False,
    extra: Sequence[str] = (),
    timeout_s: float = DEFAULT_BUILD_TIMEOUT_S,
    capsule_dir: Path | None = None,
    confined: bool = True,
    run_time: RunTimeRung | None = None,
) -> BuiltEnvironment:
    """Build (or reuse) a venv with the plan's Python requirements plus `extra` tool packages.

    Shared environments live in `cache_root/envs/<key>` (key: interpreter and resolved pins) and are
    reused by any plan that resolves to the same pins. A `private` one (for an agent that may patch
    it) is built in `run_dir/env/venv` with copied files and never shared. `run_dir/env/` receives
    requirements.lock.txt, ladder.json, commands.log, environment.json and each rung's files.
    With `capsule_dir`, the capsule's own packages that the plan installs (`pip install -e ./toolkit`)
    are installed from there too. With `run_time`, only the run-time rung is climbed (see ladder.py).
    Raises `EnvironmentFailed` (label, actionable message, ladder) when no rung works.

    uv and the import check are untrusted work: `confined`, they run under bubblewrap (see `envs.uv`),
    seeing the interpreter, uv's cache, this run's env dir, the environment being built and, read-only,
    `capsule_dir`, whose files direct references may name (no other path; see `directrefs`). A plan
    with a direct reference or a package of the capsule's own gets an environment of its own, as if
    `private`, and a uv cache of its own (`run_dir/env/uv-cache`), so code it builds never writes where
    other capsules' builds read; the references are recorded in `run_dir/env/direct-references.json`.
    """
    start = time.monotonic()
    env_dir = run_dir.resolve() / "env"
    env_dir.mkdir(parents=True, exist_ok=True)
    interpreter = _interpreter(plan, env_dir, (cache_root or default_cache_root()).resolve())
    direct = resolve_direct_references(plan.python_requirements, capsule_dir)
    write_json_atomic(
        env_dir / "direct-references.json", [r.model_dump(mode="json") for r in direct.references]
    )
    local = _local_packages(plan, capsule_dir, env_dir / "local") if capsule_dir is not None else []
    private = private or bool(direct.references) or bool(local)
    prefix = interpreter.path.resolve().parent.parent
    inputs = tuple(outside_system([prefix, *([capsule_dir.resolve()] if capsule_dir else [])]))
    remote = tuple(
        ref for r in direct.references if r.local_path is None and (ref := direct_reference(r.spec))
    )
    sandbox = BuildSandbox(read_only=inputs, urls=remote) if confined else None
    own_cache = env_dir / "uv-cache" if direct.references or local else None
    uv = Uv(env_dir / ENV_LOG_FILE, env_dir, deadline=start + timeout_s, sandbox=sandbox, cache_dir=own_cache)
    declared = [*direct.specs, *local]
    if interpreter.minor[0] == 2:
        requirements = [*declared, *extra]
        return _build_python2(
            plan, interpreter, uv, env_dir, cache_root, private, requirements, start, run_time
        )
    builder = Builder(
        uv=uv,
        interpreter=interpreter,
        env_dir=env_dir,
        envs_root=(cache_root or default_cache_root()).resolve() / "envs",
        private=private,
        import_names=_distribution_names([*declared, *extra]),
        code_imports=code_imports(capsule_dir) if capsule_dir is not None else None,
        tools=frozenset(_distribution_names(extra)),
    )
    # Tools are not the paper's: they and their dependencies stay current under the cutoff date, or
    # today's tool would be paired with dependencies too old for it.
    exempt = dependency_closure(uv, interpreter, extra) if plan.cutoff_date and extra else []
    ladder = replace(_ladder_input(plan, [*declared, *extra], interpreter, exempt), run_time=run_time)
    target = interpreter_target(interpreter)
    climbed = climb(
        ladder,
        builder.attempt,
        partial(nearest_usable_version, uv, interpreter),
        dated=partial(version_at_date, uv, target),
    )
    write_json_atomic(env_dir / LADDER_FILE, [rung.model_dump(mode="json") for rung in climbed.rungs])
    built = _built(climbed, interpreter, env_dir, private)
    if built is not None:
        freeze = ["pip", "freeze", "--python", str(built.venv)]
        frozen = uv.run(freeze, at_least_s=FREEZE_LIMIT_S, writable=[built.venv])
        built.lock_file.write_text(frozen.stdout if frozen.ok else "", encoding="utf-8")
    if built is None or built.import_failures:
        raise _failure(plan, interpreter, climbed, uv.log, built)
    return _recorded(built, env_dir, start)


def _recorded(built: BuiltEnvironment, env_dir: Path, start: float) -> BuiltEnvironment:
    """`built`, timed and written to environment.json."""
    built.seconds = round(time.monotonic() - start, 2)
    # The lock file is named relative to the run directory, so that a moved run still finds it.
    lock_file = RunDir(env_dir.parent).relative(built.lock_file)
    write_record(env_dir / ENVIRONMENT_FILE, built.model_dump(mode="json") | {"lock_file": lock_file})
    return built


def _build_python2(
    plan: Plan,
    interpreter: Interpreter,
    uv: Uv,
    env_dir: Path,
    cache_root: Path | None,
    private: bool,
    requirements: list[str],
    start: float,
    run_time: RunTimeRung | None,
) -> BuiltEnvironment:
    """The same ladder on Python 2.7, each rung a virtualenv that pip fills (see `envs.python2`)."""
    root = (cache_root or default_cache_root()).resolve()
    shared = Path(uv.env["UV_CACHE_DIR"]).parent / "reproducer-python2"
    builder = Python2Builder(
        uv=uv,
        interpreter=interpreter,
        env_dir=env_dir,
        envs_root=root / "envs",
        private=private,
        pip_cache=env_dir / "pip-cache" if private else shared,
    )
    ladder = replace(_ladder_input(plan, requirements, interpreter, []), run_time=run_time)
    climbed = climb(ladder, builder.attempt, nearest_wheel, dated=version_before)
    write_json_atomic(env_dir / LADDER_FILE, [rung.model_dump(mode="json") for rung in climbed.rungs])
    built = _built(climbed, interpreter, env_dir, private)
    if built is None:
        raise _failure(plan, interpreter, climbed, uv.log, built)
    built.lock_file.write_text(builder.freeze(built.venv), encoding="utf-8")
    return _recorded(built, env_dir, start)


def _local_packages(plan: Plan, capsule_dir: Path, copies: Path) -> list[str]:
    """The capsule folders the plan's setup commands install (`pip install [-e] DIR`), copied under
    `copies` (in the run's env dir), as absolute paths.

    The Docker backend runs setup commands; here they become requirements, so the package and its own
    dependencies resolve with the rest (not editable: the environment outlives the run's workspace).
    Copies, because the build sees the capsule read-only and setuptools writes its egg-info beside
    the sources.
    """
    found: list[str] = []
    folders = (local_install_folder(command.value, capsule_dir) for command in plan.setup_commands)
    for number, folder in enumerate((f for f in folders if f is not None), start=1):
        copy = copies / f"{number:02d}"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(folder, copy, symlinks=True, ignore=shutil.ignore_patterns(".git", "__pycache__"))
        found.append(str(copy))
    return found


def _interpreter(plan: Plan, env_dir: Path, cache_root: Path) -> Interpreter:
    pins = dict(found for r in plan.python_requirements if (found := pinned_version(r.spec)) is not None)
    try:
        requested = plan.python_version.value if plan.python_version else None
        if is_python2(requested):
            return python2_interpreter(requested)
        return find_interpreter_for_pins(requested, pins, cache_root / "wheels")
    except EnvironmentFailed as failure:
        write_json_atomic(env_dir / LADDER_FILE, [])
        where = f" The version is read from {plan.python_version.evidence}." if plan.python_version else ""
        raise EnvironmentFailed(failure.label, failure.message + where) from None


def _ladder_input(
    plan: Plan, requirements: list[str], interpreter: Interpreter, exempt: list[str]
) -> LadderInput:
    # Only the paper's own exact pins may be relaxed, never a tool's.
    declared = (r.spec for r in plan.python_requirements)
    pins = dict(found for line in declared if (found := pinned_version(line)) is not None)
    cutoff = plan.cutoff_date
    return LadderInput(
        requirements=requirements,
        pins=pins,
        cutoff=cutoff.value.isoformat() if cutoff else None,
        cutoff_evidence=str(cutoff.evidence) if cutoff else "",
        exempt_from_cutoff=exempt,
        python=interpreter.short_version,
    )


def _built(climbed: Climb, interpreter: Interpreter, env_dir: Path, private: bool) -> BuiltEnvironment | None:
    """The environment of the successful rung, else the first one that installed but failed to import."""
    installed = climbed.installed or next((f.installed for f in climbed.failures if f.installed), None)
    if installed is None:
        return None
    return BuiltEnvironment(
        venv=installed.venv,
        python=installed.venv / "bin" / "python",
        bin_dir=installed.venv / "bin",
        interpreter=interpreter,
        key=installed.key,
        reused=installed.reused,
        ladder=climbed.rungs,
        lock_file=env_dir / LOCK_FILE,
        seconds=0.0,
        private=private,
        warnings=[w for w in (interpreter.warning, *installed.warnings) if w],
        import_failures=installed.import_failures,
    )


def _failure(
    plan: Plan, interpreter: Interpreter, climbed: Climb, log: Path, built: BuiltEnvironment | None
) -> EnvironmentFailed:
    names = ((requirement_name(r.spec), str(r.evidence)) for r in plan.python_requirements)
    declared_at = {name: evidence for name, evidence in names if name is not None}
    first = climbed.failures[0].diagnosis.label if climbed.failures else "install_failed"
    label = first if built is None else next(f.diagnosis.label for f in climbed.failures if f.installed)
    message = failure_message(plan.capsule, interpreter, climbed.rungs, declared_at, log)
    return EnvironmentFailed(label, message, climbed.rungs, built)


def code_imports(capsule_dir: Path) -> frozenset[str]:
    """Top-level modules the capsule's Python code (scripts and notebooks) imports."""
    sources = code_sources(Capsule(capsule_dir))
    return frozenset(m for s in sources if s.language == "python" for m, _ in python_imports(s.text))


def _distribution_names(lines: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(name for line in lines if (name := requirement_name(line)) is not None))
