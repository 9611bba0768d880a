"""Capsules given as an https link to an archive (Zenodo, figshare, OSF, release assets): one download,
capped in size, checked against a SHA-256 when the link carries one (`URL#sha256=HEX`)."""

import hashlib
import http.client
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlparse

from reproducer.capsules.limits import GIB
from reproducer.errors import BadInput

CHUNK_BYTES = 1024 * 1024
MAX_DOWNLOAD_BYTES = 20 * GIB
TIMEOUT_S = 60.0
CHECKSUM_PREFIX = "sha256="


@dataclass(frozen=True)
class DownloadLimits:
    max_bytes: int = MAX_DOWNLOAD_BYTES
    timeout_s: float = TIMEOUT_S


def archive_name(url: str) -> str:
    """The file name the link's path ends with (`.../files/code.zip?download=1` -> `code.zip`)."""
    return unquote(PurePosixPath(urlparse(url).path).name)


def download_archive(
    url: str, folder: Path, *, sha256: str | None = None, limits: DownloadLimits = DownloadLimits()
) -> Path:
    """Fetches `url` into `folder` under its own name; raises BadInput for a failure, a file past
    `limits.max_bytes` (announced or received) or a checksum that differs. Nothing is retried: a
    researcher at the console sees the failure at once."""
    target = folder / (archive_name(url) or "capsule.zip")
    digest = hashlib.sha256()
    received = 0
    try:
        with urllib.request.urlopen(url, timeout=limits.timeout_s) as response, target.open("wb") as sink:
            declared = response.headers.get("Content-Length")
            if declared is not None and declared.isdigit() and int(declared) > limits.max_bytes:
                raise BadInput(
                    f"capsule {url}: {declared} bytes is over the limit of {limits.max_bytes} bytes"
                )
            while chunk := response.read(CHUNK_BYTES):
                received += len(chunk)
                if received > limits.max_bytes:
                    raise BadInput(f"capsule {url}: more than the limit of {limits.max_bytes} bytes; stopped")
                digest.update(chunk)
                sink.write(chunk)
    except urllib.error.HTTPError as error:
        raise BadInput(f"capsule {url}: HTTP {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        raise BadInput(f"capsule {url}: cannot connect ({error.reason})") from None
    except (TimeoutError, ConnectionError, http.client.HTTPException) as error:
        raise BadInput(f"capsule {url}: download failed ({type(error).__name__}: {error})") from None
    if declared is not None and declared.isdigit() and int(declared) != received:
        raise BadInput(f"capsule {url}: truncated, {received} of {declared} bytes received")
    if sha256 is not None and digest.hexdigest() != sha256.lower():
        raise BadInput(f"capsule {url}: its SHA-256 is {digest.hexdigest()}, the link says {sha256}")
    return target
