"""The shell command line for each of the plan's entry points: commands as written, documents rendered.

A notebook, R Markdown or Quarto entry whose `command` is the document's file name is run or rendered
by us, to the format the task asked for (html when it asked for none: our images carry no LaTeX) and
into its `output_dir`. Any other command line, `jupyter nbconvert ...` from a README say, runs as written.
"""

import re
import shlex
from pathlib import Path, PurePosixPath

from reproducer.plan.model import EntryPoint

NOTEBOOK_RUNNER = Path(__file__).with_name("notebook_runner.py")
RUNNER_DELIMITER = "REPRODUCER_NOTEBOOK_RUNNER"
DEFAULT_FORMAT = "html"
DOCUMENT_SUFFIXES = {
    "notebook": (".ipynb",),
    "rmarkdown": (".rmd", ".md"),
    "quarto": (".qmd", ".rmd", ".ipynb"),
}
# rmarkdown's names for the formats a task asks for; another name `x` is passed on as `x_document`.
RMARKDOWN_FORMATS = {
    "html": "html_document",
    "pdf": "pdf_document",
    "word": "word_document",
    "docx": "word_document",
    "md": "md_document",
    "markdown": "md_document",
}
# A command line, not a file name: it starts with a program that runs documents, or uses the shell.
_PROGRAM = re.compile(r"^(jupyter|ipython|papermill|python[\d.]*|R|Rscript|quarto|bash|sh|make|cd)$")
_SHELL = re.compile(r"[;&|<>$`]")
# Recipes run by bash with pipefail: `python stats.py | tee out.tex` otherwise hides a traceback behind
# tee's success, and a run that wrote an empty table would count as ok.
MAKE_PIPEFAIL = "SHELL=/bin/bash '.SHELLFLAGS=-o pipefail -c'"
_MAKE_WORD = re.compile(r"(?<![\w./-])make(?=\s|$)")
# The exit status of a shell command that is not found: the same when quarto itself is missing.
NOT_FOUND_EXIT = 127


def document(entry: EntryPoint) -> str | None:
    """The document a notebook, R Markdown or Quarto entry names as its whole command (a file name may
    hold spaces or an apostrophe, quoted or not), else None: a command line such as
    `jupyter nbconvert ... a.ipynb` runs as written."""
    suffixes = DOCUMENT_SUFFIXES.get(entry.kind)
    text = entry.command.strip()
    try:
        words = shlex.split(text)
    except ValueError:  # an apostrophe in a bare file name
        words = text.split()
    if suffixes is None or not words or not words[-1].lower().endswith(suffixes):
        return None
    if _PROGRAM.match(words[0]) or any(word.startswith("-") for word in words) or _SHELL.search(text):
        return None
    return words[0] if len(words) == 1 else text


def command_line(entry: EntryPoint, *, allow_errors: bool = False) -> str:
    """The shell command that runs `entry` from its cwd, with the capsule's environment first on PATH.

    A notebook always runs on past a failing cell, and exits non-zero when one failed; `allow_errors` (the
    task allows errors) makes it exit 0, the failed cells still named on stderr.
    """
    if entry.kind == "make":
        return _MAKE_WORD.sub(f"make {MAKE_PIPEFAIL}", entry.command, count=1)
    name = document(entry)
    if name is None:
        return entry.command
    if entry.kind == "notebook":
        return _notebook(entry, name, allow_errors)
    if entry.kind == "rmarkdown":
        return _rmarkdown(entry, name)
    return _quarto(entry, name)


def _notebook(entry: EntryPoint, name: str, allow_errors: bool) -> str:
    """Our small nbclient runner, passed inline on stdin so that the command works wherever the sandbox
    is (this machine or a container, where no file of ours exists). No cell has a time limit of its own:
    the entry's budget bounds the whole notebook."""
    arguments = [name, *(["--allow-errors"] if allow_errors else [])]
    if entry.output_format:
        arguments += ["--to", entry.output_format, "--output-dir", entry.output_dir or "."]
    source = NOTEBOOK_RUNNER.read_text(encoding="utf-8")
    return f"python - {shlex.join(arguments)} <<'{RUNNER_DELIMITER}'\n{source}{RUNNER_DELIMITER}"


def _r_string(text: str) -> str:
    # Double quotes, so that the shell's single quotes around the expression stay readable in the logs.
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _rmarkdown(entry: EntryPoint, name: str) -> str:
    wanted = (entry.output_format or DEFAULT_FORMAT).lower()
    output_format = RMARKDOWN_FORMATS.get(wanted, wanted if "_" in wanted else f"{wanted}_document")
    arguments = [_r_string(name), f"output_format = {_r_string(output_format)}"]
    if entry.output_dir:
        arguments.append(f"output_dir = {_r_string(entry.output_dir)}")
    arguments.append("clean = TRUE")
    expression = f"rmarkdown::render({', '.join(arguments)})"
    return f"Rscript -e {shlex.quote(expression)}"


def _quarto(entry: EntryPoint, name: str) -> str:
    render = ["quarto", "render", name, "--to", (entry.output_format or DEFAULT_FORMAT).lower()]
    if entry.output_dir:
        render += ["--output-dir", entry.output_dir]
    missing = (
        f"reproducer: cannot render {PurePosixPath(name).name}: the quarto command is not installed in "
        "this environment (Quarto has no Debian package; it comes from quarto.org)"
    )
    return (
        f"if ! command -v quarto >/dev/null 2>&1; then echo {shlex.quote(missing)} >&2; "
        f"exit {NOT_FOUND_EXIT}; fi\n{shlex.join(render)}"
    )
