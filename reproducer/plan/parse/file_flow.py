"""What a Python or R script reads and writes (literal file names), and what it pulls in from its neighbours.

Read lexically, not by running or importing anything: a call whose name says it reads or writes
(`read_csv`, `to_csv`, `savefig`, `saveRDS`, `open(..., "w")`) and the string literals inside its
parentheses that look like file names. Enough to order scripts by data flow and to see which script
makes `figure3.png`; a name built at run time is not seen, and then nothing is claimed.
"""

import re
from dataclasses import dataclass, field

from reproducer.plan.parse.r_code import closing_paren, mask_comments

_READ_CALLS = frozenset(
    [
        "read_csv",
        "read_table",
        "read_excel",
        "read_stata",
        "read_parquet",
        "read_pickle",
        "read_json",
        "read_feather",
        "read_sas",
        "read_spss",
        "read_fwf",
        "read_hdf",
        "read_sql",
        "read_xml",
        "read_tsv",
        "read_delim",
        "read_xlsx",
        "read_xls",
        "read_dta",
        "read_sav",
        "read_rds",
        "readRDS",
        "read.csv",
        "read.csv2",
        "read.table",
        "read.delim",
        "read.dta",
        "readLines",
        "fread",
        "load",
        "loadtxt",
        "genfromtxt",
        "fromfile",
        "load_workbook",
        "imread",
        "Dataset",
        "read_file",
        "readxl",
        "read_sheet",
        "import",
    ]
)
_WRITE_CALLS = frozenset(
    [
        "to_csv",
        "to_excel",
        "to_latex",
        "to_html",
        "to_json",
        "to_parquet",
        "to_pickle",
        "to_stata",
        "to_feather",
        "to_markdown",
        "to_string",
        "to_file",
        "savefig",
        "save",
        "savez",
        "savez_compressed",
        "savetxt",
        "dump",
        "write_csv",
        "write.csv",
        "write.csv2",
        "write.table",
        "write_tsv",
        "write_delim",
        "write_rds",
        "saveRDS",
        "ggsave",
        "pdf",
        "png",
        "jpeg",
        "svg",
        "tiff",
        "bmp",
        "sink",
        "writeLines",
        "fwrite",
        "write_xlsx",
        "write.xlsx",
        "stargazer",
        "export",
        "imwrite",
        "write_image",
        "write_html",
        "to_netcdf",
    ]
)
_CALL = re.compile(r"(?<![\w])([A-Za-z_][\w.]*)\s*\(")
_STRING = re.compile(r"""(?P<q>["'])(?P<s>(?:\\.|(?!(?P=q))[^\\\n])*)(?P=q)""")
_FILE_NAME = re.compile(r"^[\w@+~.,/ -]*[\w-]\.([A-Za-z][A-Za-z0-9]{0,5})$")
_WRITE_MODE = re.compile(r"""["'][rb+]*[wax][bt+]*["']""")
_FILE_ARGUMENT = re.compile(r"\bfile\s*=")
_OUTPUT_DIRS = frozenset(
    {"results", "result", "output", "outputs", "figures", "figs", "fig", "tables", "plots"}
)
_MAIN_GUARD = re.compile(r"""^if\s+__name__\s*==\s*["']__main__["']""", re.MULTILINE)
_PY_IMPORT = re.compile(
    r"^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+([^\n#]+)|import[ \t]+([^\n#]+))", re.M
)
_R_SOURCE = re.compile(r"(?<![\w.])(?:source|sys\.source|knitr::knit_child|child)\s*[(=]")
_PY_TOP_WORK = re.compile(
    r"^(?:for|while|with|try)\b|^print\b|^[A-Za-z_][\w.\[\]'\"]*\s*\(|^[\w, ]+=\s*[\w.]+\("
)
_PY_DEFINITION = re.compile(r"^(?:def|class|async\s+def|@)")
_R_DEFINITION = re.compile(
    r"^[\w.]+\s*(?:<-|=)\s*function\b|^(?:library|require|suppress\w*|source|options)\b"
)
# Code that defines or loads, not work; a file of nothing else is a library.
_R_NOT_WORK = re.compile(r"^(?:[#})\]]|$)")


@dataclass
class FileFlow:
    """One script's literal reads and writes (base names), imports, and how it is meant to be run."""

    reads: set[str] = field(default_factory=set)
    # Base name -> line (1-based) of the first write, for the evidence.
    writes: dict[str, int] = field(default_factory=dict)
    # Lines that write into an output folder (results/, figures/...) at the top level of the script.
    output_line: int | None = None
    main_guard_line: int | None = None
    # The first top-level line that does something (a call, a loop), outside functions and classes.
    top_level_line: int | None = None
    # Dotted module names (Python) or sourced file base names (R) this file pulls in.
    pulls_in: set[str] = field(default_factory=set)


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _file_names(code: str, start: int, end: int) -> list[str]:
    names: list[str] = []
    for literal in _STRING.finditer(code, start, end):
        value = literal.group("s").strip()
        if _FILE_NAME.match(value) and not value.startswith(("http:", "https:")):
            names.append(value)
    return names


def _is_output_path(value: str) -> bool:
    parts = [p.lower() for p in value.replace("\\", "/").split("/")]
    return any(p in _OUTPUT_DIRS for p in parts[:-1]) or (len(parts) == 1 and parts[0] in _OUTPUT_DIRS)


def _python_top_level(code: str) -> list[bool]:
    """For each line, whether it is at the top level of the module (not inside a def or class)."""
    flags: list[bool] = []
    in_definition = False
    for line in code.split("\n"):
        stripped = line.strip()
        if stripped and not line[0].isspace() and not stripped.startswith("#"):
            in_definition = bool(_PY_DEFINITION.match(stripped)) or (
                in_definition and stripped.startswith((")", "]", "}"))
            )
        flags.append(not in_definition)
    return flags


def read_flow(code: str, language: str) -> FileFlow:
    """The file flow of Python (`language` "python") or R/R Markdown (`"r"`) code."""
    masked = mask_comments(code)
    flow = FileFlow()
    top = _python_top_level(masked) if language == "python" else [True] * (masked.count("\n") + 1)
    for call in _CALL.finditer(masked):
        name = call.group(1).rpartition(".")[2] if language == "python" else call.group(1)
        bare = name.rpartition("::")[2].rpartition("$")[2]
        open_at = call.end() - 1
        close_at = closing_paren(masked, open_at)
        arguments = masked[open_at:close_at]
        writes = bare in _WRITE_CALLS or (bare == "cat" and _FILE_ARGUMENT.search(arguments) is not None)
        writes |= bare == "open" and _WRITE_MODE.search(arguments) is not None
        reads = not writes and (bare in _READ_CALLS or bare in ("open", "fromJSON", "read_yaml"))
        if not (reads or writes):
            continue
        line = _line(masked, call.start())
        for value in _file_names(masked, open_at, close_at):
            base = value.rstrip("/").rpartition("/")[2]
            if writes:
                flow.writes.setdefault(base, line)
                at_top = 0 < line <= len(top) and top[line - 1]
                if at_top and flow.output_line is None and _is_output_path(value):
                    flow.output_line = line
            else:
                flow.reads.add(base)
    if language == "python":
        _read_python_structure(masked, top, flow)
    else:
        _read_r_structure(masked, flow)
    return flow


def _read_python_structure(code: str, top: list[bool], flow: FileFlow) -> None:
    guard = _MAIN_GUARD.search(code)
    flow.main_guard_line = _line(code, guard.start()) if guard else None
    for number, line in enumerate(code.split("\n"), start=1):
        if top[number - 1] and _PY_TOP_WORK.match(line) and not _MAIN_GUARD.match(line):
            flow.top_level_line = number
            break
    for match in _PY_IMPORT.finditer(code):
        if match.group(3) is not None:
            modules = [item.split(" as ")[0].strip() for item in match.group(3).split(",")]
        else:
            base = match.group(1).lstrip(".")
            names = [n.split(" as ")[0].strip(" ()\\") for n in match.group(2).split(",")]
            modules = [base] + [f"{base}.{n}" if base else n for n in names if n and n != "*"]
        flow.pulls_in.update(m for m in modules if m)


def _read_r_structure(code: str, flow: FileFlow) -> None:
    for number, line in enumerate(code.split("\n"), start=1):
        if line and not line[0].isspace() and not _R_NOT_WORK.match(line) and not _R_DEFINITION.match(line):
            flow.top_level_line = number
            break
    for match in _R_SOURCE.finditer(code):
        open_at = match.end() - 1
        end = closing_paren(code, open_at) if code[open_at] == "(" else code.find("\n", open_at)
        for value in _file_names(code, open_at, end if end >= 0 else len(code)):
            flow.pulls_in.add(value.rpartition("/")[2])


def output_names(flow: FileFlow) -> list[str]:
    return sorted(flow.writes)
