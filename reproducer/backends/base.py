"""The backend seam: where a capsule's environment is built and its code runs, as one session per run.

A backend session is opened by the registry (`open_backend`) for one run or one bench, and closed by
its opener. It prepares the environment for a plan (raising `EnvironmentFailed` with a label), opens
sandboxes over the staged capsule (one for the entry points, one for the LLM agent with an installer),
serves the workspace's files to readers (`files`), cleans up what an earlier runner of the same run id
left, and says what it can do (`Capabilities`), so
that no caller ever compares a backend's name.
"""

from pathlib import Path
from typing import Protocol

from reproducer.backends.capabilities import Capabilities
from reproducer.backends.files import WorkspaceFiles
from reproducer.backends.installer import Installer
from reproducer.envs.ladder import RunTimeRung
from reproducer.plan.model import Plan
from reproducer.sandbox.base import Sandbox


class Backend(Protocol):
    """One session of a backend (see the module's docstring). `close` ends it; it is idempotent."""

    name: str
    capabilities: Capabilities

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
        """Build (or reuse) the plan's environment; returns a one-line description of what was done.

        With `run_time`, rebuild it on the run-time rung: capped at the plan's date, on the interpreter of
        that date this backend has (see reproducer.envs.era)."""
        ...

    def sandbox(
        self, capsule_dir: Path, run_dir: Path, task_id: str, *, seconds: float | None = None
    ) -> Sandbox:
        """A sandbox over the capsule; `seconds` is the most its work may take (its commands' timeouts
        summed), so that on Docker the container ends then, not at a fixed lifetime."""
        ...

    def agent_sandbox(
        self, capsule_dir: Path, run_dir: Path, task_id: str, *, seconds: float | None = None
    ) -> tuple[Sandbox, Installer]:
        """The agent's sandbox (background jobs kept) and the installer into its environment, which
        exists even when the pipeline's environment build failed. The caller stops the sandbox."""
        ...

    def files(self, capsule_dir: Path) -> WorkspaceFiles:
        """The workspace its sandboxes see over `capsule_dir`, to read (harvest, the agent's file tools):
        where it lies is the backend's business, not the caller's."""
        ...

    def cleanup(self, run_id: str) -> list[str]:
        """Remove what runners of `run_id` left behind (and what dead runners left); what was removed."""
        ...

    def default_concurrency(self) -> int:
        """How many tasks this machine runs at once on this backend when the user does not say."""
        ...

    def close(self) -> None: ...
