"""Where the names a task prompt says are in a capsule, as the prompt's author stood in it.

A file name is looked for in the working directory the prompt set, then in code/ (Code Ocean's
`/code`), then at the capsule root, then anywhere under the code by the end of its path
(`part_seg/test.py` in `code/pointnet/part_seg/test.py`). Code Ocean's absolute `/code`, `/data` and
`/results`, and `../results` said from code/, are the capsule's own folders; commands get them as paths
relative to their cwd, so they run in any sandbox.
"""

import posixpath
import re

from reproducer.plan.capsule import Capsule, join, parent

# Code Ocean's top-level directories: `/results/x`, or `results/x` said from code/, is the capsule's.
TOP_DIRS = frozenset({"code", "data", "results", "environment"})


def natural(name: str) -> list[tuple[int, str]]:
    """Sort key that puts `fig_2` before `fig_10`, as a person listing the files would."""
    return [(int(part), "") if part.isdigit() else (-1, part) for part in re.split(r"(\d+)", name)]


class CapsulePaths:
    """Path lookups in one capsule; `workdir` follows the prompt's "set the working directory"."""

    def __init__(self, capsule: Capsule) -> None:
        self.capsule = capsule
        self.code = capsule.code_root
        self.workdir = self.code
        self.warnings: list[str] = []

    def cwd(self, directory: str) -> str:
        return directory or "."

    def location(self, stated: str, base: str | None = None) -> str:
        """The capsule path a stated directory or output file means (it need not exist yet)."""
        value = stated.strip().rstrip("/") or "."
        if value.startswith("/"):
            return posixpath.normpath(value.lstrip("/")) if value != "/" else ""
        first = value.split("/", 1)[0]
        if first in TOP_DIRS and self.code and not self.capsule.is_dir(join(self.code, first)):
            return posixpath.normpath(value)  # "results" said from code/ is the capsule's results/
        path = posixpath.normpath(join(self.code if base is None else base, value))
        while path.startswith("../"):
            path = path[3:]  # a plain repository has no parent: `../results` is its own results/
        return "" if path in (".", "..") else path

    def relative(self, path: str, cwd: str) -> str:
        return posixpath.relpath(path or ".", cwd or ".")

    def argument_value(self, value: str, cwd: str) -> str:
        """Code Ocean's absolute /code, /data, /results as paths from `cwd`; other values as stated."""
        if value.startswith("/") and value.lstrip("/").split("/", 1)[0] in TOP_DIRS:
            return self.relative(self.location(value), cwd)
        return value

    def locate(self, stated: str, folder: str | None = None) -> tuple[str, str] | None:
        """(the file's capsule path, the directory the name was said from), or None if it is not there.

        `folder` is where the prompt says the file is ("in the src folder"), looked in first.
        """
        name = stated.strip().strip("'\"").strip()
        if not name:
            return None
        if folder is not None and self.capsule.is_file(inside := join(folder, posixpath.normpath(name))):
            return inside, folder
        if name.startswith("/"):
            path = posixpath.normpath(name.lstrip("/"))
            if self.capsule.is_file(path):
                return path, parent(path)
            name = posixpath.basename(path)
        name = posixpath.normpath(name)
        for base in dict.fromkeys((self.workdir, self.code, "")):
            path = posixpath.normpath(join(base, name))
            if not path.startswith("..") and self.capsule.is_file(path):
                return path, base
        return self.search(name)

    def search(self, name: str) -> tuple[str, str] | None:
        """The shallowest code file whose path ends with `name` (case-insensitively as a last resort)."""
        for fold in (False, True):
            wanted = name.lower() if fold else name
            found = [
                path
                for path in self.capsule.code_files
                if (path.lower() if fold else path) == wanted
                or (path.lower() if fold else path).endswith("/" + wanted)
            ]
            if found:
                best = min(found, key=lambda p: (p.count("/"), p))
                if sum(p.count("/") == best.count("/") for p in found) > 1:
                    self.warnings.append(f"{name}: several files fit; chose {best}")
                return best, best[: len(best) - len(name)].rstrip("/")
        return None

    def locate_dir(self, stated: str) -> str | None:
        value = stated.strip().rstrip("/")
        candidates = [self.location(value), posixpath.normpath(join(self.workdir, value)), value.lstrip("/")]
        for candidate in candidates:
            if not candidate.startswith("..") and self.capsule.is_dir(candidate):
                return "" if candidate == "." else candidate
        suffix = "/" + value.lstrip("./")
        found = sorted(
            {
                parent(path)
                for path in self.capsule.code_files
                if (parent(path) + "/").find(suffix + "/") >= 0
            },
            key=lambda p: (p.count("/"), p),
        )
        for directory in found:
            end = directory.find(suffix)
            return directory[: end + len(suffix)]
        return None

    def copy_source(self, stated: str) -> str:
        """Where a file to copy is: from the working directory, unless the path already names it."""
        relative_workdir = self.relative(self.workdir, self.code) if self.workdir else ""
        value = stated.strip().rstrip("/")
        if (
            value.startswith("/")
            or value.startswith("..")
            or (relative_workdir not in ("", ".") and value.startswith(relative_workdir))
        ):
            return self.location(value)
        return self.location(value, self.workdir)
