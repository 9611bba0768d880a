"""Installing packages into the run's environment, with network, on the agent's request.

The sandbox's commands have no network; an installer adds packages from outside it. Each backend gives
its own: this module's `UvInstaller` (local) runs uv with the host's index settings and certificates,
into the environment the sandbox puts first on PATH, confined like any build (`envs.uv`): an sdist's
build runs code, and sees only the interpreter, uv's cache and that environment; the Docker backend's
runs in a container of the setup profile (container_installer.py).
"""

import re
import time
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from pydantic import BaseModel

from reproducer.backends.capabilities import InstallKind
from reproducer.envs.failure import EnvironmentFailed
from reproducer.envs.uv import BuildSandbox, Uv
from reproducer.plan.parse.pep508 import requirement_name
from reproducer.sandbox.hostview import outside_system

DEFAULT_INSTALL_TIMEOUT_S = 900.0
# What an install result keeps of the installer's output (its last lines say what went wrong).
MAX_OUTPUT_CHARS = 6000
# R and Debian package names (`data.table`, `r-cran-ggplot2`, `libgsl-dev`).
SYSTEM_OR_R_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+_-]*$")
URL_SCHEMES = ("https", "http", "git+https", "git+http")


class InstallRequest(BaseModel):
    """What the agent asks for: `packages` of one `kind`, and for Python an index to use instead of the
    default one (`index_url`)."""

    kind: InstallKind = "python"
    packages: list[str]
    index_url: str | None = None


class InstallResult(BaseModel):
    packages: list[str]
    ok: bool
    command: str
    output: str
    seconds: float
    kind: InstallKind = "python"


class Installer(Protocol):
    """Installs packages into the run's environment; `kinds` says which kinds of package it can, and
    `in_container` whether it works in a container beside the agent's (else on this machine)."""

    kinds: tuple[InstallKind, ...]
    in_container: bool

    def __call__(self, request: InstallRequest) -> InstallResult: ...


def refused(request: InstallRequest) -> list[str]:
    """The packages of `request` that are no package: options, paths, and (outside Python's remote
    direct references) URLs. Nothing that names a file of the host ever reaches an installer."""
    if request.kind == "python":
        return [spec for spec in request.packages if not _is_python_requirement(spec)]
    return [name for name in request.packages if not SYSTEM_OR_R_NAME.match(name)]


def index_problem(url: str | None) -> str | None:
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return f"index_url must be an http(s) URL, not {url!r}"
    return None


def remote_urls(request: InstallRequest) -> list[str]:
    """The URLs a Python request reaches besides the default indexes (its index, its direct references)."""
    urls = [request.index_url] if request.index_url else []
    for spec in request.packages:
        found = _direct_url(spec)
        if found is not None:
            urls.append(found.removeprefix("git+"))
    return urls


def _direct_url(spec: str) -> str | None:
    """The URL of `name @ URL` or of a bare `git+https://...` (whose revision may follow an `@`)."""
    text = spec.strip()
    if not text.startswith(URL_SCHEMES):
        name, _, text = text.partition("@")
        if requirement_name(name.strip()) is None:
            return None
        text = text.strip()
    parts = urlsplit(text)
    return text if parts.scheme in URL_SCHEMES and parts.hostname else None


def _is_python_requirement(spec: str) -> bool:
    """A name with extras and versions, or a remote direct reference (`pkg @ https://...`,
    `git+https://...`); no option (`--index-url`), no path."""
    if spec.startswith("-") or not spec.strip():
        return False
    if "://" in spec:
        return _direct_url(spec) is not None
    if any(sign in spec for sign in ("@", "/", "\\")):
        return False
    return requirement_name(spec) is not None


def trimmed(output: str) -> str:
    output = output.strip()
    return "[...]\n" + output[-MAX_OUTPUT_CHARS:] if len(output) > MAX_OUTPUT_CHARS else output


class UvInstaller:
    """`uv pip install --python PYTHON PACKAGES`, each call appended to `log` (the env's commands.log)."""

    kinds: tuple[InstallKind, ...] = ("python",)
    in_container = False

    def __init__(self, python: Path, log: Path, *, timeout_s: float = DEFAULT_INSTALL_TIMEOUT_S) -> None:
        self.python = python
        self.log = log
        self.timeout_s = timeout_s

    def __call__(self, request: InstallRequest) -> InstallResult:
        packages = request.packages
        index = ["--index-url", request.index_url] if request.index_url else []
        args = ["pip", "install", "--python", str(self.python), *index, *packages]
        self.log.parent.mkdir(parents=True, exist_ok=True)
        venv = self.python.parent.parent
        sandbox = BuildSandbox(
            read_only=tuple(outside_system([self.python.resolve().parent.parent])),
            writable=(venv,),
            urls=tuple(remote_urls(request)),
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
        seconds = round(time.monotonic() - started, 2)
        output = trimmed(done.stdout + done.stderr)
        return InstallResult(
            packages=list(packages), ok=done.ok, command=command, output=output, seconds=seconds
        )
