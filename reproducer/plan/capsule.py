"""Read-only, bounded access to a capsule's files: the only way the planner touches the disk."""

import codecs
import os
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from reproducer.errors import BadInput
from reproducer.plan.limits import MAX_BYTES_PER_FILE, MAX_EVIDENCE_TEXT, MAX_FILES_WALKED
from reproducer.plan.model import Evidence

CODE_DIR = "code"
# Where dependency files are looked for, in order: the capsule root (repo2docker), then code/ (Code Ocean).
SEARCH_DIRS = ("", CODE_DIR)
# Directories that never hold the capsule's own code.
SKIPPED_DIRS = frozenset(
    {".git", ".hg", ".svn", ".ipynb_checkpoints", "__pycache__", "node_modules", "site-packages", ".tox"}
)
# Top-level directories of a Code Ocean capsule that are not code, skipped when code/ is missing.
NON_CODE_TOP_DIRS = frozenset({"data", "results", "environment"})
BINARY_SNIFF_BYTES = 8192
T = TypeVar("T")


def _encoding(data: bytes) -> str | None:
    """How to decode a file's bytes; None for a binary file.

    Windows tools write UTF-16 (PowerShell's `pip freeze > requirements.txt`) or a UTF-8 byte-order mark.
    UTF-16 without a mark is told by its NUL bytes all falling on the same side of each pair.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    sniff = data[:BINARY_SNIFF_BYTES]
    if b"\0" not in sniff:
        return "utf-8"
    even, odd = sniff[0::2], sniff[1::2]
    if len(sniff) % 2 == 0 and b"\0" not in even and odd.count(0) > len(odd) // 2:
        return "utf-16-le"
    if len(sniff) % 2 == 0 and b"\0" not in odd and even.count(0) > len(even) // 2:
        return "utf-16-be"
    return None


def join(directory: str, name: str) -> str:
    """A capsule-relative path in POSIX form; `directory` "" is the capsule root."""
    return f"{directory}/{name}" if directory else name


def parent(relative: str) -> str:
    return relative.rpartition("/")[0]


class Capsule:
    """A capsule directory; paths are relative to its root, POSIX style, and never leave it."""

    def __init__(self, root: Path) -> None:
        if not root.is_dir():
            raise BadInput(f"{root}: not a directory (expected a capsule directory)")
        self.root = root
        self._resolved_root = root.resolve()
        self._texts: dict[str, str | None] = {}
        self._memo: dict[str, Any] = {}
        self.warnings: list[str] = []

    @property
    def name(self) -> str:
        return self._resolved_root.name

    def _inside(self, relative: str) -> Path | None:
        """The path, if it exists inside the capsule; paths named in files can be anything, so no errors."""
        try:
            path = (self.root / relative).resolve()
            return path if path.is_relative_to(self._resolved_root) and path.exists() else None
        except (OSError, ValueError):
            return None

    def is_file(self, relative: str) -> bool:
        path = self._inside(relative)
        return path is not None and path.is_file()

    def is_dir(self, relative: str) -> bool:
        path = self._inside(relative)
        return path is not None and path.is_dir()

    def mtime(self, relative: str) -> float:
        path = self._inside(relative)
        return path.stat().st_mtime if path is not None else 0.0

    def size(self, relative: str) -> int:
        path = self._inside(relative)
        return path.stat().st_size if path is not None and path.is_file() else 0

    def find(self, name: str, directories: tuple[str, ...] = SEARCH_DIRS) -> str | None:
        """The first of `directory/name` that is a file, in the order given."""
        return next((join(d, name) for d in directories if self.is_file(join(d, name))), None)

    def read_text(self, relative: str) -> str | None:
        """The file's text (at most MAX_BYTES_PER_FILE bytes), or None if missing, outside or binary."""
        if relative not in self._texts:
            self._texts[relative] = self._read(relative)
        return self._texts[relative]

    def _read(self, relative: str) -> str | None:
        path = self._inside(relative)
        if path is None or not path.is_file():
            return None
        try:
            with path.open("rb") as stream:
                data = stream.read(MAX_BYTES_PER_FILE + 1)
        except OSError as error:
            self.warnings.append(f"{relative}: unreadable ({error.strerror})")
            return None
        encoding = _encoding(data)
        if encoding is None:
            return None
        if len(data) > MAX_BYTES_PER_FILE:
            self.warnings.append(f"{relative}: only the first {MAX_BYTES_PER_FILE} bytes were read")
            data = data[:MAX_BYTES_PER_FILE]
        # "utf-8-sig" and "utf-16" drop the byte-order mark, which would otherwise glue onto the first name.
        return data.decode(encoding, errors="replace")

    def list_files(self, directory: str) -> list[str]:
        """Names of the regular files directly in `directory` (sorted); empty if it is not a directory."""
        path = self._inside(directory) if directory else self._resolved_root
        if path is None or not path.is_dir():
            return []
        return sorted(entry.name for entry in path.iterdir() if entry.is_file())

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """`compute()`, once per capsule: lets several detectors share one expensive reading."""
        if key not in self._memo:
            self._memo[key] = compute()
        result: T = self._memo[key]
        return result

    @property
    def code_root(self) -> str:
        """Where the code lives: `code/` in a Code Ocean capsule, else the capsule root."""
        return CODE_DIR if self.is_dir(CODE_DIR) else ""

    @cached_property
    def code_files(self) -> list[str]:
        """Files under the code root (sorted, skipping tooling and virtualenv directories), capped."""
        found: list[str] = []
        start = self.root / self.code_root
        for directory, subdirs, files in os.walk(start):
            here = Path(directory).relative_to(self.root).as_posix()
            here = "" if here == "." else here
            subdirs[:] = sorted(d for d in subdirs if self._walkable(here, d))
            found.extend(join(here, f) for f in files)
            if len(found) >= MAX_FILES_WALKED:
                self.warnings.append(f"only the first {MAX_FILES_WALKED} code files were examined")
                break
        return sorted(found[:MAX_FILES_WALKED])

    def _walkable(self, here: str, subdir: str) -> bool:
        if subdir in SKIPPED_DIRS or (not here and subdir in NON_CODE_TOP_DIRS):
            return False
        # A virtualenv's site-packages would drown the capsule's own imports.
        return not (self.root / here / subdir / "pyvenv.cfg").exists()

    def evidence(self, relative: str, line: int | None = None, text: str = "") -> Evidence:
        return Evidence(file=relative, line=line, text=text.strip()[:MAX_EVIDENCE_TEXT])
