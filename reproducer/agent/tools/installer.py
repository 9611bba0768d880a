"""Installing packages into the run's private environment, with network, on the agent's request.

The sandbox's commands have no network; this runs uv with the host's index settings and certificates,
into the environment the sandbox puts first on PATH, confined like any build (`envs.uv`): an sdist's
build runs code, and sees only the interpreter, uv's cache and that environment. Another backend
(Docker) gives its own `Installer`.
"""

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from pydantic import BaseModel

from reproducer.envs.failure import EnvironmentFailed
from reproducer.envs.uv import BuildSandbox, Uv
from reproducer.sandbox.hostview import outside_system

DEFAULT_INSTALL_TIMEOUT_S = 900.0
# What an install result keeps of uv's output (its last lines say what went wrong).
MAX_OUTPUT_CHARS = 6000


class InstallResult(BaseModel):
    packages: list[str]
    ok: bool
    command: str
    output: str
    seconds: float


class Installer(Protocol):
    """Installs requirement specifiers (`six`, `numpy==1.21.6`) into the run's environment."""

    def __call__(self, packages: Sequence[str]) -> InstallResult: ...


class UvInstaller:
    """`uv pip install --python PYTHON PACKAGES`, each call appended to `log` (the env's commands.log)."""

    def __init__(self, python: Path, log: Path, *, timeout_s: float = DEFAULT_INSTALL_TIMEOUT_S) -> None:
        self.python = python
        self.log = log
        self.timeout_s = timeout_s

    def __call__(self, packages: Sequence[str]) -> InstallResult:
        args = ["pip", "install", "--python", str(self.python), *packages]
        self.log.parent.mkdir(parents=True, exist_ok=True)
        venv = self.python.parent.parent
        sandbox = BuildSandbox(
            read_only=tuple(outside_system([self.python.resolve().parent.parent])), writable=(venv,)
        )
        uv = Uv(self.log, self.log.parent, deadline=time.monotonic() + self.timeout_s, sandbox=sandbox)
        started = time.monotonic()
        command = "uv " + " ".join(args)
        try:
            done = uv.run(args)
        except EnvironmentFailed as failure:  # uv ran out of time
            return InstallResult(
                packages=list(packages),
                ok=False,
                command=command,
                output=failure.message,
                seconds=self.timeout_s,
            )
        output = (done.stdout + done.stderr).strip()
        if len(output) > MAX_OUTPUT_CHARS:
            output = "[...]\n" + output[-MAX_OUTPUT_CHARS:]
        seconds = round(time.monotonic() - started, 2)
        return InstallResult(
            packages=list(packages), ok=done.ok, command=command, output=output, seconds=seconds
        )
