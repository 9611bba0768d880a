"""The local backend: a uv environment with an interpreter found on this machine, commands under
bubblewrap (or plainly, said loudly, where bubblewrap cannot run)."""

import time
from pathlib import Path

from reproducer.backends.capabilities import local_capabilities
from reproducer.backends.concurrency import default_jobs
from reproducer.backends.files import HostFiles, WorkspaceFiles
from reproducer.backends.installer import Installer, UvInstaller
from reproducer.envs import BuiltEnvironment, build_environment
from reproducer.envs.era import for_run_time
from reproducer.envs.failure import EnvironmentFailed
from reproducer.envs.interpreters import find_interpreter, usable_minors
from reproducer.envs.ladder import RunTimeRung
from reproducer.envs.r_host import check_host_r, needs_r
from reproducer.envs.uv import Uv
from reproducer.errors import WorkFailed
from reproducer.plan.model import Plan
from reproducer.rundir.layout import RunDir
from reproducer.sandbox.base import Sandbox
from reproducer.sandbox.bwrap import bwrap_problem
from reproducer.sandbox.limits import RunLimits
from reproducer.sandbox.local import LocalSandbox

# The agent's environment when the pipeline built none: where a private build puts its venv.
AGENT_VENV = "venv"
VENV_TIMEOUT_S = 120.0


class LocalBackend:
    """A uv environment with an interpreter found on this machine; commands under bubblewrap."""

    name = "local"

    def __init__(self, cache_root: Path | None, limits: RunLimits = RunLimits()) -> None:  # noqa: B008
        self.cache_root = cache_root
        self.limits = limits
        self.environment: BuiltEnvironment | None = None
        self.capabilities = local_capabilities(contained=bwrap_problem() is None)

    def prepare(
        self,
        plan: Plan,
        capsule_dir: Path,
        run_dir: Path,
        *,
        private: bool,
        extra: tuple[str, ...],
        run_time: RunTimeRung | None = None,
    ) -> str:
        if needs_r(plan):
            check_host_r(plan)
        if run_time is not None:
            plan, run_time = for_run_time(plan, run_time, usable_minors())
        self.environment = build_environment(
            plan,
            run_dir,
            cache_root=self.cache_root,
            extra=extra,
            private=private,
            capsule_dir=capsule_dir,
            run_time=run_time,
        )
        done = f"{'reused' if self.environment.reused else 'built'} {self.environment.key[:12]}"
        problem = bwrap_problem()
        # Said where a user sees it, not only in the logs: without bubblewrap nothing is contained.
        return done if problem is None else f"{done}; NO ISOLATION: code runs on the host as is ({problem})"

    def sandbox(
        self, capsule_dir: Path, run_dir: Path, task_id: str, *, seconds: float | None = None
    ) -> Sandbox:
        bin_dirs = [self.environment.bin_dir] if self.environment else []
        records = RunDir(run_dir)
        return LocalSandbox(
            capsule_dir, records.logs, bin_dirs=bin_dirs, home_dir=records.home, limits=self.limits
        )

    def agent_sandbox(
        self, capsule_dir: Path, run_dir: Path, task_id: str, *, seconds: float | None = None
    ) -> tuple[Sandbox, Installer]:
        return local_agent_sandbox(run_dir, capsule_dir, self.limits)

    def files(self, capsule_dir: Path) -> WorkspaceFiles:
        return HostFiles(capsule_dir)  # the capsule folder is the workspace itself

    def cleanup(self, run_id: str) -> list[str]:
        # Sandboxes under bubblewrap die with their runner; what a plain-mode command left behind is
        # found by its run directory, not by a run id (bench/reaper.py).
        return []

    def default_concurrency(self) -> int:
        return default_jobs(self.limits.memory_bytes)

    def close(self) -> None:
        pass


def local_agent_sandbox(
    run_dir: Path,
    capsule_dir: Path,
    limits: RunLimits = RunLimits(),  # noqa: B008 - immutable
) -> tuple[LocalSandbox, Installer]:
    """A local sandbox for the agent over the run's capsule, with the run's environment first on PATH
    and an installer into it. The environment is the one the pipeline built (RUNDIR/env/environment.json)
    or, when the build failed or never ran, RUNDIR/env/venv (what a failed build left there, else a new
    empty one), so that the agent can repair it. Background jobs are kept until the sandbox stops. The
    caller stops it."""
    python = agent_python(run_dir)
    records = RunDir(run_dir)
    sandbox = LocalSandbox(
        capsule_dir, records.logs, bin_dirs=[python.parent], keep_background=True, limits=limits
    )
    return sandbox, UvInstaller(python, records.env_log)


def agent_python(run_dir: Path) -> Path:
    """The interpreter of the run's environment, created (an empty venv) when there is none."""
    records = RunDir(run_dir)
    environment = read_environment(records)
    if environment is not None:
        return environment.python
    venv = records.env / AGENT_VENV
    python = venv / "bin" / "python"
    if python.exists():
        return python
    try:
        interpreter = find_interpreter(_requested_python(records.plan))
    except EnvironmentFailed:  # e.g. Python 2: the agent gets this program's Python version
        interpreter = find_interpreter(None)
    log = records.env_log
    log.parent.mkdir(parents=True, exist_ok=True)
    uv = Uv(log, log.parent, deadline=time.monotonic() + VENV_TIMEOUT_S)
    # Making an empty venv runs no capsule code: it needs no confinement.
    done = uv.run(["venv", "--python", str(interpreter.path), str(venv)])
    if not done.ok:
        raise WorkFailed(
            f"could not create the agent's environment {venv}: {(done.stderr or done.stdout)[-500:]}"
        )
    return python


def _requested_python(plan_file: Path) -> str | None:
    try:
        plan = Plan.model_validate_json(plan_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return plan.python_version.value if plan.python_version else None


def read_environment(run_dir: RunDir) -> BuiltEnvironment | None:
    """The environment the run's build recorded (RUNDIR/env/environment.json), its lock file resolved in
    the run directory wherever it now lies; None when there is none (or it cannot be read)."""
    try:
        environment = BuiltEnvironment.model_validate_json(run_dir.environment.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    lock_file = run_dir.resolve(str(environment.lock_file))
    return environment.model_copy(update={"lock_file": lock_file or run_dir.lock})
