"""The runner's side of the harvest's reader process (see `worker`): one file at a time, each within a
time budget; a reader that overruns is killed, the file recorded, and a fresh reader started for the next."""

import json
import os
import selectors
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import reproducer
from reproducer.harvest.fact import Fact
from reproducer.harvest.limits import HarvestLimits
from reproducer.harvest.model import FileKind, FileState
from reproducer.harvest.worker import READY

_CHUNK = 1 << 16
# The child must import this very package, installed or not.
_PACKAGE_PARENT = str(Path(reproducer.__file__).resolve().parent.parent)
# Starting Python and loading the parsers; a busy machine can take a while.
_START_SECONDS = 120.0


@dataclass
class Parsed:
    state: FileState
    reason: str = ""
    facts: list[Fact] = field(default_factory=list)


def _worker_env() -> dict[str, str]:
    """Only what the reader needs: it parses untrusted files, so none of the runner's secrets go with it."""
    inherited = os.environ.get("PYTHONPATH")
    return {
        "PATH": os.environ.get("PATH", os.defpath),
        "LANG": "C.UTF-8",
        "PYTHONPATH": os.pathsep.join(p for p in (_PACKAGE_PARENT, inherited) if p),
    }


class Reader:
    """A reader process started on first use and stopped by `close` (or a `with` block)."""

    def __init__(self, limits: HarvestLimits) -> None:
        self.limits = limits
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> "Reader":
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        if self.process is None:
            return
        process, self.process = self.process, None
        if process.stdin is not None:
            process.stdin.close()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()

    def _kill(self) -> int:
        assert self.process is not None
        process, self.process = self.process, None
        process.kill()
        code = process.wait()
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()
        return code

    def _start(self) -> subprocess.Popen[bytes]:
        if self.process is None:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "reproducer.harvest.worker", str(self.limits.reader_memory_bytes)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=_worker_env(),
                # `-m` puts the working folder first on the path: it must not hold another `reproducer`.
                cwd=_PACKAGE_PARENT,
                close_fds=True,
            )
            assert self.process.stdout is not None
            if _read_line(self.process.stdout, _START_SECONDS) != READY.encode():
                code = self._kill()
                raise OSError(f"the harvest's reader process did not start (exit {code})")
        return self.process

    def parse(self, data: bytes, name: str, kind: FileKind, seconds: float) -> Parsed:
        """Facts of a file's bytes `data` (named `name` in them); never raises for what they hold. The
        bytes were read by the runner through the workspace's files, within the per-file cap."""
        process = self._start()
        assert process.stdin is not None and process.stdout is not None
        request = {"name": name, "kind": kind, "bytes": len(data), "limits": self.limits.model_dump()}
        try:
            process.stdin.write(json.dumps(request).encode() + b"\n" + data)
            process.stdin.flush()
        except BrokenPipeError:
            return Parsed("broken", f"the reader stopped (exit {self._kill()})")
        line = _read_line(process.stdout, seconds)
        if line is None:
            self._kill()
            return Parsed("timeout", f"reading took longer than {seconds:g} s")
        if not line:
            code = self._kill()
            return Parsed("broken", f"the reader died on this file (exit {code}): over its memory or a crash")
        answer: dict[str, Any] = json.loads(line)
        facts = [Fact.model_validate(fact) for fact in answer.get("facts", [])]
        return Parsed(answer["state"], answer["reason"], facts)


def _read_line(stream: IO[bytes], seconds: float) -> bytes | None:
    """One line from `stream` within `seconds`: None on time out, b"" when the stream ends first."""
    deadline = time.monotonic() + seconds
    descriptor = stream.fileno()
    chunks: list[bytes] = []
    with selectors.DefaultSelector() as selector:
        selector.register(descriptor, selectors.EVENT_READ)
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not selector.select(left):
                return None
            chunk = os.read(descriptor, _CHUNK)
            if not chunk:
                return b""
            chunks.append(chunk)
            if chunk.endswith(b"\n"):
                return b"".join(chunks)
