"""Packages of the capsule's own, in a folder with a `setup.py` or `pyproject.toml`, to install as the
README says (`pip install -e ./toolkit`, `pip install .`) or because the code imports them by name.

A script in `experiments/` that does `import toolkit` fails unless `toolkit/` (or `src/`) was installed,
and the README's own install line is not the dependency source the plan chose. Each install becomes a
setup command (`pip install -e DIR`, run from the capsule root) citing the README line or the import.
The code root itself needs no install (its scripts run from it) unless the README says so or its
packages sit under `src/`, where nothing imports them without one.
"""

import posixpath
import re
from pathlib import Path

from reproducer.plan.capsule import SKIPPED_DIRS, Capsule, join
from reproducer.plan.code_sources import code_sources
from reproducer.plan.documents import instruction_documents
from reproducer.plan.findings import Findings
from reproducer.plan.model import Decision, Evidence
from reproducer.plan.parse.python_imports import python_imports
from reproducer.plan.text import LineIndex

SOURCE = "local packages"
BUILD_FILES = ("setup.py", "pyproject.toml")
MAX_DEPTH = 3
# `pip install -e ./toolkit`, `pip3 install .`, `python -m pip install --editable src/`
_PIP_LOCAL = re.compile(
    r"\bpip3?\s+install\s+(?:--user\s+|-U\s+|--upgrade\s+)*(?P<editable>-e\s+|--editable[=\s]+)?"
    r"(?P<path>\.{1,2}(?:/[\w./-]*)?|[\w-]+/[\w./-]*)"
)


def detect(capsule: Capsule) -> Findings | None:
    packages = _package_dirs(capsule)
    if not packages:
        return None
    stated = _stated_installs(capsule, packages)
    imported = _imported(capsule, packages, set(stated))
    if not stated and not imported:
        return None
    first = next(iter(stated.values()), None) or next(iter(imported.values()))
    findings = Findings(Decision(value=SOURCE, evidence=first[1]))
    for directory, (command, evidence) in {**stated, **imported}.items():
        findings.setup_commands.append(Decision(value=command, evidence=evidence))
        if directory in imported:
            findings.warnings.append(
                f"{evidence}: imports the capsule's own package in {directory}/; installed"
            )
    return findings


def _package_dirs(capsule: Capsule) -> dict[str, set[str]]:
    """Folder (capsule-relative, "" for the root) -> the import names its packages provide."""
    found: dict[str, set[str]] = {}
    for directory in _folders(capsule, "", 0):
        if any(capsule.is_file(join(directory, name)) for name in BUILD_FILES):
            found[directory] = _import_names(capsule, directory)
    return found


def _folders(capsule: Capsule, here: str, depth: int) -> list[str]:
    folders = [here]
    if depth >= MAX_DEPTH:
        return folders
    path = capsule.root / here
    for entry in sorted(path.iterdir()) if path.is_dir() else []:
        relative = join(here, entry.name)
        skip = (
            entry.name in SKIPPED_DIRS
            or entry.name.startswith(".")
            or (not here and entry.name in ("data", "results"))
        )
        if entry.is_dir() and not entry.is_symlink() and not skip:
            folders += _folders(capsule, relative, depth + 1)
    return folders


def _import_names(capsule: Capsule, directory: str) -> set[str]:
    names: set[str] = set()
    for base in (directory, join(directory, "src")):
        path = capsule.root / base
        for entry in sorted(path.iterdir()) if path.is_dir() else []:
            if entry.is_dir() and (entry / "__init__.py").is_file():
                names.add(entry.name)
    return names


def _stated_installs(capsule: Capsule, packages: dict[str, set[str]]) -> dict[str, tuple[str, Evidence]]:
    stated: dict[str, tuple[str, Evidence]] = {}
    for document in instruction_documents(capsule):
        text = capsule.read_text(document) or ""
        index = LineIndex(text)
        for match in _PIP_LOCAL.finditer(text):
            named = match.group("path").rstrip("/.") or "."
            target = posixpath.normpath(join(posixpath.dirname(document), named))
            target = "" if target == "." else target
            if target in packages and target not in stated:
                line = index.line_of(match.start())
                command = f"pip install {'-e ' if match.group('editable') else ''}{_local_path(target)}"
                stated[target] = (command, capsule.evidence(document, line, index.line_text(line)))
    return stated


def _imported(
    capsule: Capsule, packages: dict[str, set[str]], done: set[str]
) -> dict[str, tuple[str, Evidence]]:
    """Package folders whose packages code outside them imports, and cannot reach without an install."""
    providers = {
        name: directory
        for directory, names in packages.items()
        if directory not in done
        and (directory not in ("", capsule.code_root) or _src_layout(capsule, directory))
        for name in names
    }
    imported: dict[str, tuple[str, Evidence]] = {}
    for source in code_sources(capsule) if providers else []:
        if source.language != "python":
            continue
        for module, line in python_imports(source.text):
            directory = providers.get(module.split(".")[0])
            if directory is None or directory in imported or _inside(capsule, source.path, directory):
                continue
            file_line = source.file_line(line)
            text = source.text.splitlines()[line - 1] if 0 < line <= source.text.count("\n") + 1 else ""
            imported[directory] = (
                f"pip install -e {_local_path(directory)}",
                capsule.evidence(source.path, file_line, text),
            )
    return imported


def _src_layout(capsule: Capsule, directory: str) -> bool:
    return capsule.is_dir(join(directory, "src"))


def _inside(capsule: Capsule, path: str, directory: str) -> bool:
    """True for the package's own files (for the code root with a `src/` layout: those under `src/`)."""
    own = join(directory, "src") if directory in ("", capsule.code_root) else directory
    return path.startswith(f"{own}/")


def _local_path(directory: str) -> str:
    # `pip install code` looks up a PyPI project named "code"; `./code` is the folder.
    return f"./{directory}" if directory else "."


# A setup command this detector writes: `pip install [-e] ./DIR` (or `.`), and nothing else.
_SETUP_COMMAND = re.compile(r"pip3? install (?:-e |--editable )?([\w./-]+)")


def local_install_folder(command: str, capsule_dir: Path) -> Path | None:
    """The capsule folder a setup command installs (`pip install -e ./toolkit`), if it is one.

    Only a folder inside the capsule counts: a path out of it is not the capsule's own package.
    """
    match = _SETUP_COMMAND.fullmatch(command.strip())
    if match is None:
        return None
    root = capsule_dir.resolve()
    folder = (root / match.group(1)).resolve()
    return folder if folder.is_relative_to(root) and folder.is_dir() else None
