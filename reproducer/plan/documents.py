"""The capsule's instructions for people: REPRODUCING.md first (CORE-Bench's), then the READMEs."""

import re

from reproducer.plan.capsule import SEARCH_DIRS, SKIPPED_DIRS, Capsule, join

# Lower-cased names, most authoritative first.
DOCUMENT_NAMES = ("reproducing.md", "readme.md", "readme.markdown", "readme.txt", "readme")
REPRODUCING = "reproducing.md"

# Any instruction file at any depth, by kind of name, most telling first; docs/ holds the rest.
_INSTRUCTION_KINDS = (
    re.compile(r"^reproduc\w*(\.(md|markdown|rst|txt))?$"),
    re.compile(r"^readme(\.(md|markdown|rst|txt))?$"),
    re.compile(r"^(usage|howto|how_to_run|running|instructions?)(\.(md|markdown|rst|txt))?$"),
    re.compile(r"^install\w*(\.(md|markdown|rst|txt))?$"),
)
_DOCS_FILE = re.compile(r"\.(md|markdown|rst|txt)$")
_DOCS_DIRS = frozenset({"doc", "docs", "documentation"})
# Folders whose instruction files are someone else's (vendored libraries), or not instructions at all.
_FOREIGN_DIRS = SKIPPED_DIRS | {
    "vendor",
    "third_party",
    "thirdparty",
    "external",
    "lib",
    "libs",
    "renv",
    "venv",
}
_NOT_INSTRUCTIONS = re.compile(
    r"^(license|licence|copying|changelog|changes|history|news|authors|contributing|"
    r"code_of_conduct|requirements|citation)",
    re.IGNORECASE,
)


def instruction_documents(capsule: Capsule) -> list[str]:
    """Paths of the instruction documents: by name (REPRODUCING.md, then README*), root before code/."""
    found: list[tuple[int, int, str]] = []
    for place, directory in enumerate(SEARCH_DIRS):
        for name in capsule.list_files(directory):
            if name.lower() in DOCUMENT_NAMES:
                found.append((DOCUMENT_NAMES.index(name.lower()), place, join(directory, name)))
    return [path for _, _, path in sorted(found)]


def instruction_files(capsule: Capsule) -> list[str]:
    """Every file a person would read for how to run the code, at any depth: shallow first, then by kind.

    README*, REPRODUCING*, USAGE/INSTALL documents (.md, .rst, .txt or bare) and the text files of a
    docs/ folder. The capsule root and code/ come before deeper folders (a subfolder's README speaks for
    that folder only); vendored libraries' READMEs are not the capsule's instructions.
    """
    found: list[tuple[int, int, str]] = []
    for path in {*capsule.code_files, *(join("", name) for name in capsule.list_files(""))}:
        folders = path.split("/")[:-1]
        name = path.rpartition("/")[2].lower()
        if any(f.lower() in _FOREIGN_DIRS for f in folders) or _NOT_INSTRUCTIONS.match(name):
            continue
        depth = len(folders) - (folders[:1] == ["code"])
        kind = next((k for k, pattern in enumerate(_INSTRUCTION_KINDS) if pattern.match(name)), None)
        if kind is None and folders and folders[-1].lower() in _DOCS_DIRS and _DOCS_FILE.search(name):
            kind = len(_INSTRUCTION_KINDS)
        if kind is not None:
            found.append((depth, kind, path))
    return [path for _, _, path in sorted(found)]
