"""Run uv as a subprocess: never downloading a Python, with a time limit, logged for reviewers.

uv runs capsule code when it builds a source distribution or a local package, so it is untrusted work:
it never sees the runner's secrets (its environment is an allowlist: locale, certificates, proxies,
package-index settings) and, given a `BuildSandbox`, runs under bubblewrap with the run's limits,
seeing only the system, the interpreter, uv's cache and the paths named there. Its network is a
proxy to the package indexes only (see `sandbox.egress`); everything else is refused and recorded in
commands.log.
"""

import functools
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from reproducer.envs.commandlog import append_command
from reproducer.envs.failure import TIMEOUT, EnvironmentFailed
from reproducer.sandbox.bwrap import bwrap_problem
from reproducer.sandbox.confine import run_confined
from reproducer.sandbox.egress import FORWARDER_INSIDE, EgressProxy, host_proxy, index_hosts
from reproducer.sandbox.env import child_env

# One uv call (a resolution, an install with source builds) gets at most this long.
UV_CALL_LIMIT_S = 1200.0
# Variables that would point uv at an environment or interpreter other than the one we pass.
HIDDEN_VARIABLES = frozenset(
    {
        "VIRTUAL_ENV",
        "CONDA_PREFIX",
        "UV_PROJECT_ENVIRONMENT",
        "UV_SYSTEM_PYTHON",
        "UV_PYTHON",
        "PYTHONHOME",
        "PYTHONPATH",
    }
)
# pip settings of the host carried over to uv (which does not read pip's), unless uv's own are set.
PIP_TO_UV = {
    "PIP_INDEX_URL": "UV_INDEX_URL",
    "PIP_EXTRA_INDEX_URL": "UV_EXTRA_INDEX_URL",
    "PIP_FIND_LINKS": "UV_FIND_LINKS",
    "PIP_CERT": "SSL_CERT_FILE",
}
# Where the sandbox shows uv's binary: its own path could reveal the host's layout (a checkout in /work).
UV_INSIDE = Path("/opt/reproducer/bin/uv")
# pip separates find-links with spaces, uv with commas.
COMMA_SEPARATED = {"UV_FIND_LINKS"}


@dataclass(frozen=True)
class BuildSandbox:
    """What a confined uv call may see besides the system and uv's cache: `read_only` inputs (the
    interpreter's prefix, the capsule for its local packages) and `writable` outputs."""

    read_only: tuple[Path, ...] = ()
    writable: tuple[Path, ...] = field(default_factory=tuple)
    # URLs whose hosts the build may reach besides the package indexes (remote direct references).
    urls: tuple[str, ...] = ()


@dataclass(frozen=True)
class UvResult:
    args: list[str]
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def ok(self) -> bool:
        return self.returncode == 0


@functools.cache
def uv_command() -> tuple[str, ...]:
    """How to start uv: the one installed beside this Python, else on PATH, else `python -m uv`."""
    beside = Path(sys.executable).parent / "uv"
    if beside.is_file() and os.access(beside, os.X_OK):
        return (str(beside),)
    found = shutil.which("uv")
    return (found,) if found else (sys.executable, "-m", "uv")


@functools.cache
def default_uv_cache_dir() -> Path:
    """uv's cache when UV_CACHE_DIR is not set, asked of uv itself (it honours XDG_CACHE_HOME)."""
    done = subprocess.run([*uv_command(), "cache", "dir"], capture_output=True, text=True, timeout=60)
    found = done.stdout.strip() if done.returncode == 0 else ""
    return Path(found) if found else Path.home() / ".cache" / "uv"


def uv_environment(host: Mapping[str, str], home: Path | None = None) -> dict[str, str]:
    """What uv sees: the sandbox allowlist (certificates, proxies, index settings), the host's own uv
    settings, pip's index settings translated, its cache, and downloads of Pythons off; no secret."""
    threads = os.cpu_count() or 1
    marker = uuid.uuid4().hex
    env = child_env(bin_dirs=[], home=home or Path.home(), marker=marker, network=True, threads=threads)
    env.update({k: v for k, v in host.items() if k.startswith("UV_") and k not in HIDDEN_VARIABLES})
    for pip_name, uv_name in PIP_TO_UV.items():
        if pip_name in host and uv_name not in host:
            value = host[pip_name]
            env[uv_name] = ",".join(value.split()) if uv_name in COMMA_SEPARATED else value
    env.update(UV_PYTHON_DOWNLOADS="never", UV_NO_PROGRESS="1", NO_COLOR="1")
    env.setdefault("UV_CACHE_DIR", str(default_uv_cache_dir()))
    return env


def _local_find_links(env: Mapping[str, str]) -> list[Path]:
    links = env.get("UV_FIND_LINKS", "").split(",")
    return [Path(link) for link in links if link.startswith("/")]


class Uv:
    """Runs uv commands from `cwd`, appending each with its output to `log`, within `deadline`."""

    def __init__(
        self,
        log: Path,
        cwd: Path,
        deadline: float,
        sandbox: BuildSandbox | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        """`cache_dir` replaces uv's shared cache (for builds whose code must not reach it)."""
        self.log = log
        self.cwd = cwd
        self.deadline = deadline
        self.sandbox = sandbox
        self.env = uv_environment(os.environ, cwd)
        if cache_dir is not None:
            self.env["UV_CACHE_DIR"] = str(cache_dir)

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def run(
        self,
        args: Sequence[str],
        *,
        stdin: str | None = None,
        at_least_s: float = 0.0,
        writable: Sequence[Path] = (),
    ) -> UvResult:
        """Run `uv ARGS`; a call that outruns the time limit raises `EnvironmentFailed` (timeout).

        `at_least_s` grants a quick bookkeeping call (a freeze) that much time even past the deadline;
        `writable` adds paths this call writes to (an environment) to the sandbox's.
        """
        return self.program(
            [*uv_command(), *args, "--no-python-downloads", "--color", "never"],
            stdin=stdin,
            at_least_s=at_least_s,
            writable=writable,
        )

    def program(
        self,
        command: Sequence[str],
        *,
        stdin: str | None = None,
        at_least_s: float = 0.0,
        writable: Sequence[Path] = (),
    ) -> UvResult:
        """Run `command` (uv, or the pip of a Python 2 environment) as `run` runs uv: confined, with
        the index proxy, logged, within the deadline."""
        command = list(command)
        limit = max(min(UV_CALL_LIMIT_S, self.remaining()), at_least_s)
        if limit <= 0:
            raise EnvironmentFailed(TIMEOUT, f"no time left to run: {shlex.join(command)}")
        if self.sandbox is not None:
            return self._run_confined(command, self.sandbox, limit, stdin, writable)
        start = time.monotonic()
        # A new session lets a time-out kill uv together with the builds it started.
        process = subprocess.Popen(
            command,
            cwd=self.cwd,
            env=self.env,
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            stdout, stderr = process.communicate(stdin, timeout=limit)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            stdout, stderr = process.communicate()
            append_command(self.log, self.cwd, command, -1, stdout, stderr, time.monotonic() - start)
            raise EnvironmentFailed(
                TIMEOUT, f"uv did not finish within {limit:.0f} s: {shlex.join(command)}"
            ) from None
        result = UvResult(command, process.returncode, stdout, stderr, time.monotonic() - start)
        append_command(self.log, self.cwd, command, result.returncode, stdout, stderr, result.seconds)
        return result

    def _run_confined(
        self,
        command: list[str],
        sandbox: BuildSandbox,
        limit: float,
        stdin: str | None,
        writable: Sequence[Path],
    ) -> UvResult:
        start = time.monotonic()
        Path(self.env["UV_CACHE_DIR"]).mkdir(parents=True, exist_ok=True)
        argv, env = command, self.env
        placed: dict[Path, Path] = {}
        if command[0] == uv_command()[0]:
            placed[Path(command[0]).resolve()] = UV_INSIDE
            argv = [str(UV_INSIDE), *command[1:]]
        filtered = bwrap_problem() is None and Path("/usr/bin/python3").is_file()
        with (
            EgressProxy(index_hosts(self.env, sandbox.urls), host_proxy())
            if filtered
            else nullcontext() as proxy
        ):
            if proxy is not None:
                argv, env = proxy.wrap(argv), proxy.environment(env)
                placed[proxy.directory] = FORWARDER_INSIDE.parent
            done = run_confined(
                argv,
                cwd=self.cwd,
                env=env,
                placed=placed,
                read_only=[*_local_find_links(self.env), *sandbox.read_only],
                writable=[Path(self.env["UV_CACHE_DIR"]), *sandbox.writable, *writable],
                network=proxy is None,
                timeout=limit,
                stdin=stdin,
            )
            refused = list(proxy.refused) if proxy is not None else []
        seconds = time.monotonic() - start
        note = "" if done.confined else "[uv ran on the host, not isolated: bubblewrap is unusable here]\n"
        if done.confined and not filtered:
            note += "[the build had the host's network: no python3 here to relay the index proxy]\n"
        if refused:
            hosts = ", ".join(sorted(set(refused)))
            note += f"[egress refused (only the package indexes are reachable): {hosts}]\n"
        stderr = note + done.stderr
        code = -1 if done.returncode is None else done.returncode
        append_command(self.log, self.cwd, command, code, done.stdout, stderr, seconds)
        if done.returncode is None:
            raise EnvironmentFailed(TIMEOUT, f"uv did not finish within {limit:.0f} s: {shlex.join(command)}")
        return UvResult(command, code, done.stdout, stderr, seconds)
