"""Fetching one capsule archive over HTTP: a temporary file, a checksum, an atomic rename, and retries
with exponential backoff for what may pass (5xx, 429, timeouts, resets, short bodies) but not for the rest
(404 and other 4xx, a wrong checksum)."""

import contextlib
import hashlib
import http.client
import os
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from reproducer.errors import BadInput, Unreachable

DEFAULT_URL_TEMPLATE = "https://corebench.cs.princeton.edu/capsules/{capsule_id}.tar.gz"
CHUNK_BYTES = 1024 * 1024
RETRY_STATUSES = frozenset({408, 425, 429})


@dataclass(frozen=True)
class DownloadPolicy:
    """How hard to try: `attempts` in all, waiting backoff_s, 2 * backoff_s, ... between them."""

    attempts: int = 4
    backoff_s: float = 1.0
    timeout_s: float = 60.0


class CapsuleUnavailable(BadInput):
    """The capsule cannot be had (missing, refused, corrupt): the task becomes `invalid_task`."""


class CapsuleUnreachable(Unreachable):
    """Every attempt failed for what may pass (the network, a 5xx): `infra_error`, tried again later."""


class _Transient(Exception):
    """A failure that may pass on a later attempt."""


def download(
    url: str,
    target: Path,
    *,
    expected_sha256: str | None,
    policy: DownloadPolicy = DownloadPolicy(),
    sleep: Callable[[float], None] = time.sleep,
) -> str:
    """Fetch `url` into `target` (atomically: it exists only whole and checked); returns its SHA-256."""
    last = ""
    for attempt in range(1, policy.attempts + 1):
        try:
            return _attempt(url, target, expected_sha256, policy.timeout_s)
        except _Transient as error:
            last = str(error)
        if attempt < policy.attempts:
            sleep(policy.backoff_s * 2 ** (attempt - 1))
    raise CapsuleUnreachable(f"{url}: download failed {policy.attempts} times; last: {last}")


def _attempt(url: str, target: Path, expected: str | None, timeout_s: float) -> str:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, partial_name = tempfile.mkstemp(prefix=f".{target.name}.part-", dir=target.parent)
    partial = Path(partial_name)
    try:
        with os.fdopen(fd, "wb") as sink:
            digest = _fetch(url, sink, timeout_s)
            sink.flush()
            os.fsync(sink.fileno())
        if expected is not None and digest != expected:
            raise CapsuleUnavailable(f"{url}: SHA-256 is {digest}, the manifest says {expected}")
        partial.replace(target)
        return digest
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()


def _fetch(url: str, sink: BinaryIO, timeout_s: float) -> str:
    digest = hashlib.sha256()
    received = 0
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as response:
            declared = response.headers.get("Content-Length")
            while chunk := response.read(CHUNK_BYTES):
                digest.update(chunk)
                sink.write(chunk)
                received += len(chunk)
    except urllib.error.HTTPError as error:
        if error.code >= 500 or error.code in RETRY_STATUSES:
            raise _Transient(f"HTTP {error.code} {error.reason}") from None
        raise CapsuleUnavailable(f"{url}: HTTP {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        raise _Transient(f"cannot connect ({error.reason})") from None
    except (TimeoutError, ConnectionError, http.client.HTTPException) as error:
        raise _Transient(f"{type(error).__name__}: {error}") from None
    if declared is not None and declared.isdigit() and int(declared) != received:
        raise _Transient(f"truncated: {received} of {declared} bytes received")
    return digest.hexdigest()
