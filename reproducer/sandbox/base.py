"""The sandbox contract shared by the pipeline, an agent and every backend (local, Docker)."""

from collections.abc import Mapping
from pathlib import Path
from typing import Literal, Protocol

from pydantic import BaseModel, Field

ExecStatus = Literal["ok", "error", "timeout", "killed", "oom", "output_limit", "disk_limit"]


class ExecResult(BaseModel):
    """What one command did.

    `exit_code` is the command's exit status, negative for a signal that killed it (when known), and
    None when the sandbox stopped it (timeout, output limit). `stdout`/`stderr` are decoded excerpts
    (head and tail with a `[... N bytes dropped ...]` line); the files at `stdout_path`/`stderr_path`
    hold more, capped the same way. `dropped_bytes` counts what those files lost. File lists are paths
    relative to the workspace root; `changes_truncated` says they are incomplete.
    """

    command: str
    cwd: str
    exit_code: int | None
    status: ExecStatus
    wall_seconds: float
    stdout: str
    stderr: str
    stdout_path: Path
    stderr_path: Path
    stdout_bytes: int = 0
    stderr_bytes: int = 0
    dropped_bytes: int = 0
    created: list[str] = Field(default_factory=list)
    changed: list[str] = Field(default_factory=list)
    deleted: list[str] = Field(default_factory=list)
    changes_truncated: bool = False
    sandbox_kind: str = ""
    started_at: str = ""
    warnings: list[str] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "ok"


class Sandbox(Protocol):
    """Runs shell commands and file operations in a workspace; paths are relative to its root and
    may not resolve outside it (BadInput)."""

    def exec(
        self,
        command: str,
        *,
        cwd: str = ".",
        timeout: float,
        env: Mapping[str, str] | None = None,
        log_name: str | None = None,
    ) -> ExecResult: ...

    def read_file(self, path: str) -> bytes: ...

    def write_file(self, path: str, data: bytes) -> None: ...

    def list_files(self, path: str = ".") -> list[str]: ...

    def stop(self) -> None: ...
