"""Build an image with the engine under resource limits, streaming the build's log to a file.

A failed build becomes `EnvironmentFailed` with a countable label and the log lines that decide it: the
install scripts print `##reproducer:failed <label>` when they know the package; a failed uv step is read
like the local builder reads uv; a failed FROM means the base image is missing.
"""

import contextlib
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import docker

from reproducer.envs.build import DEFAULT_BUILD_TIMEOUT_S
from reproducer.envs.diagnose import diagnose
from reproducer.envs.failure import TIMEOUT, EnvironmentFailed, build_failed

GIB = 1024**3
NO_BASE_IMAGE = "no_base_image"
FAILURE_MARKER = "##reproducer:failed "
PYTHON_STEP = "python-install.sh"
ERROR_PREFIX = "ERROR: "  # how the log shows the engine's error message
MAX_DETAIL_LINES = 12
_STEP = re.compile(r"^Step \d+/\d+ : (.*)$")
_RUNNING_IN = re.compile(r"^ ---> Running in ([0-9a-f]{12,64})\s*$")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_BUILT = re.compile(r"^Successfully built ([0-9a-f]{12,64})\s*$")


@dataclass(frozen=True)
class BuildLimits:
    """Limits on every container the build runs (memory in bytes; swap equal to memory means none) and on
    the whole build (seconds). The engine gives a build no disk quota: the image's size is not limited.
    `network` is the network its steps run on (an internal one in reach of the index proxy: egress.py)."""

    memory_bytes: int = 8 * GIB
    memswap_bytes: int = 8 * GIB
    cpu_shares: int = 1024
    cpuset_cpus: str | None = None
    timeout_s: float = DEFAULT_BUILD_TIMEOUT_S
    network: str = "bridge"

    def container_limits(self) -> dict[str, int | str]:
        limits: dict[str, int | str] = {
            "memory": self.memory_bytes,
            "memswap": self.memswap_bytes,
            "cpushares": self.cpu_shares,
        }
        if self.cpuset_cpus:
            limits["cpusetcpus"] = self.cpuset_cpus
        return limits

    def describe(self) -> str:
        swap = self.memswap_bytes - self.memory_bytes
        cpus = f", CPUs {self.cpuset_cpus}" if self.cpuset_cpus else ""
        return (
            f"memory {self.memory_bytes / GIB:g} GiB, swap {max(swap, 0) / GIB:g} GiB, "
            f"CPU shares {self.cpu_shares}{cpus}, time limit {self.timeout_s:g} s"
        )


@dataclass(frozen=True)
class BuildRequest:
    context: Path
    dockerfile: str  # relative to the context
    tag: str
    labels: dict[str, str] = field(default_factory=dict)
    buildargs: dict[str, str] = field(default_factory=dict)


class _Watch:
    """Ends a build that outlives its time: kills the container of the step that is running then."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.container: str | None = None
        self.expired = threading.Event()
        self.lock = threading.Lock()

    def running(self, container: str) -> None:
        with self.lock:
            self.container = container
        if self.expired.is_set():
            self.kill()

    def expire(self) -> None:
        self.expired.set()
        self.kill()

    def kill(self) -> None:
        with self.lock:
            container, self.container = self.container, None
        if container is None:
            return
        with contextlib.suppress(docker.errors.DockerException):  # the step may have ended meanwhile
            self.client.containers.get(container).kill()


def build_image(client: Any, request: BuildRequest, limits: BuildLimits, log_path: Path) -> str:
    """Builds `request` with the docker-py `client`, appending the build's output to `log_path`.

    Returns the image id. Raises `EnvironmentFailed` (label `install_failed(...)`, `build_failed...`,
    `no_base_image` or `timeout`) with the decisive lines of the log.
    """
    watch = _Watch(client)
    timer = threading.Timer(limits.timeout_s, watch.expire)
    error: str | None = None
    aux_id: str | None = None
    timer.start()
    with log_path.open("a", encoding="utf-8") as log:
        output = _Lines(log, watch)
        try:
            for chunk in _stream(client, request, limits):
                output.add(_text(chunk))
                aux_id = _aux_id(chunk) or aux_id
                if (message := _error(chunk)) is not None:
                    error = error or message
                    output.add(f"{ERROR_PREFIX}{message}\n")
        # Refused before it started (a bad Dockerfile), or the engine went away (requests' OSErrors).
        except (docker.errors.DockerException, OSError) as failure:
            error = " ".join(str(failure).split())
            output.add(f"{ERROR_PREFIX}{error}\n")
        finally:
            timer.cancel()
            output.close()
    lines, image_id = output.lines, aux_id or output.image_id
    if watch.expired.is_set():
        raise EnvironmentFailed(TIMEOUT, f"the image build did not finish within {limits.timeout_s:.0f} s")
    if error is not None or image_id is None:
        label, detail = diagnose_build(lines, error or "the build ended without an image")
        raise EnvironmentFailed(label, "\n".join([*detail, f"full build log: {log_path}"]))
    return image_id


def _stream(client: Any, request: BuildRequest, limits: BuildLimits) -> Any:
    return client.api.build(
        path=str(request.context),
        dockerfile=request.dockerfile,
        tag=request.tag,
        rm=True,
        forcerm=True,
        decode=True,
        container_limits=limits.container_limits(),
        network_mode=limits.network,
        labels=request.labels,
        buildargs=request.buildargs,
        timeout=None,  # the watch ends a build that overruns; an idle log is no failure (a long compile)
    )


class _Lines:
    """The build's output, written to the log as it comes and kept as whole lines, colour codes removed."""

    def __init__(self, log: TextIO, watch: _Watch) -> None:
        self.log = log
        self.watch = watch
        self.lines: list[str] = []
        self.partial = ""
        self.image_id: str | None = None

    def add(self, text: str) -> None:
        text = _ANSI.sub("", text)
        self.log.write(text)
        self.log.flush()
        *complete, self.partial = (self.partial + text).split("\n")
        for line in complete:
            self.lines.append(line)
            if running := _RUNNING_IN.match(line):
                self.watch.running(running.group(1))
            if built := _BUILT.match(line):
                self.image_id = built.group(1)

    def close(self) -> None:
        if self.partial:
            self.add("\n")


def _text(chunk: dict[str, Any]) -> str:
    text = chunk.get("stream") or ""
    status = chunk.get("status")  # pulling a base image
    return str(text) + (f"{status}\n" if status else "")


def _aux_id(chunk: dict[str, Any]) -> str | None:
    aux = chunk.get("aux")
    return str(aux["ID"]) if isinstance(aux, dict) and aux.get("ID") else None


def _error(chunk: dict[str, Any]) -> str | None:
    if "error" not in chunk:
        return None
    detail = chunk.get("errorDetail")
    message = detail.get("message") if isinstance(detail, dict) else None
    return " ".join(str(message or chunk["error"]).split())


def diagnose_build(lines: list[str], error: str) -> tuple[str, list[str]]:
    """(label, decisive lines) of a failed build, from its log lines and the engine's error message."""
    starts = [i for i, line in enumerate(lines) if _STEP.match(line)]
    step = lines[starts[-1]] if starts else ""
    since = lines[starts[-1] + 1 if starts else 0 :]
    output = [line for line in since if line.strip() and not line.startswith(ERROR_PREFIX)]
    markers = [
        line.removeprefix(FAILURE_MARKER).strip() for line in output if line.startswith(FAILURE_MARKER)
    ]
    matched = _STEP.match(step)
    instruction = matched.group(1) if matched else ""
    if markers:
        return markers[0], [step, *output[-MAX_DETAIL_LINES:], error]
    if instruction.upper().startswith("FROM"):
        return NO_BASE_IMAGE, [step, error]
    if PYTHON_STEP in instruction:
        found = diagnose("\n".join(output), resolving=False)
        return found.label, [step, *found.lines, error]
    return build_failed(None), [step, *output[-MAX_DETAIL_LINES:], error]
