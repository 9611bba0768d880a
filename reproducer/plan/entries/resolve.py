"""What a command line runs: its kind (python, Rscript, ...), the file it names, and where that file is."""

import posixpath
import re

from reproducer.plan.capsule import Capsule, join
from reproducer.plan.model import EntryKind
from reproducer.plan.parse.r_installs import find_r_installs
from reproducer.plan.parse.shell_words import Word

_PYTHON = re.compile(r"^python[\d.]*$")
_NOT_ANALYSIS_PYTHON = frozenset({"-c", "--version", "-V", "setup.py"})
_NOT_ANALYSIS_MODULES = frozenset({"pip", "venv", "ensurepip", "virtualenv", "jupyter", "notebook", "http"})
_NOT_ANALYSIS_TARGETS = frozenset({"install", "clean", "setup", "deps", "env", "venv", "environment"})
_INSTALLER_SCRIPT = re.compile(r"install|conda|setup", re.IGNORECASE)
NOTEBOOK_RUNNERS = frozenset({"nbconvert", "execute", "run"})
# By extension, for a file named in prose ("run analysis.R"): the kind and the program that runs it.
FILE_KINDS: dict[str, tuple[EntryKind, str]] = {
    ".py": ("python", "python"),
    ".r": ("rscript", "Rscript"),
    ".sh": ("shell", "bash"),
    ".ipynb": ("notebook", ""),
    ".rmd": ("rmarkdown", ""),
    ".qmd": ("quarto", ""),
}


def command_kind(argv: list[Word]) -> EntryKind | None:
    """The kind of analysis command `argv` is, or None for installs, help, servers and the like."""
    if not argv:
        return None
    program, arguments = argv[0].text, [w.text for w in argv[1:]]
    first = arguments[0] if arguments else ""
    if _PYTHON.match(program) and arguments:
        if first in _NOT_ANALYSIS_PYTHON or (
            first == "-m" and arguments[1:2] and arguments[1].split(".")[0] in _NOT_ANALYSIS_MODULES
        ):
            return None
        return "python"
    if program == "Rscript" and arguments:
        expressions = [arguments[i + 1] for i, a in enumerate(arguments[:-1]) if a == "-e"]
        return None if any(find_r_installs(e) for e in expressions) else "rscript"
    if program in ("bash", "sh") and arguments and not _INSTALLER_SCRIPT.search(first):
        return "shell"
    if program == "jupyter" and first in NOTEBOOK_RUNNERS:
        return "notebook"
    if program == "make" and first not in _NOT_ANALYSIS_TARGETS:
        return "make"
    if program == "quarto" and first == "render":
        return "quarto"
    return None


def named_script(argv: list[Word]) -> str | None:
    """The file a command runs (`python x.py` -> x.py, `python -m pkg.mod` -> pkg/mod.py), if it names one."""
    arguments = [w.text for w in argv[1:]]
    if arguments[:1] == ["-m"]:
        return arguments[1].replace(".", "/") + ".py" if len(arguments) > 1 else None
    if argv and argv[0].text == "make":
        return "Makefile"
    # A file of a runnable kind (`jupyter nbconvert --to html x.ipynb`: not the option's value `html`).
    runnable = next((a for a in arguments if a.lower().endswith(tuple(FILE_KINDS))), None)
    skipped = NOTEBOOK_RUNNERS | {"render"}
    return runnable or next((a for a in arguments if not a.startswith("-") and a not in skipped), None)


def locate(capsule: Capsule, cwd: str, script: str) -> str | None:
    """The capsule path of `script` named from `cwd`: there, in code/, at the root, or anywhere if unique.

    A `-m pkg.mod` name may also be a package (`pkg/mod/__main__.py`).
    """
    if script.startswith(("/", "~", "$")):
        script = script.lstrip("/")
    tries = [join("" if cwd == "." else cwd, script), join(capsule.code_root, script), script]
    if script.endswith(".py"):
        tries.append(script[:-3] + "/__main__.py")
    for path in tries:
        normal = posixpath.normpath(path)
        if not normal.startswith("..") and capsule.is_file(normal):
            return normal
    tail = "/" + script.lstrip("./")
    matches = [p for p in capsule.code_files if p.endswith(tail) or p == script]
    return matches[0] if len(matches) == 1 else None


def settled_cwd(cwd: str, script: str, path: str) -> str:
    """The directory to run from so that `script` (as written) names `path`: `cwd` when it does already."""
    here = posixpath.normpath(join("" if cwd == "." else cwd, script))
    if here == path:
        return cwd
    written = posixpath.normpath(script.lstrip("/"))
    if path.endswith("/" + written) or path == written:
        return path[: len(path) - len(written)].rstrip("/") or "."
    return cwd
