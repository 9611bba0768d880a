"""Jupyter notebooks: what the cells printed and returned (stream text, `text/plain` results, HTML tables),
located as `cell N, output M`. Cells are counted from 1, markdown included, as a person counts them.

A bare result is labelled by the expression that produced it, with the comment above it and the word for
what it computes (notebook_cells.py); the markdown headings above a cell, but the outermost, are the
section of its facts. The outermost (the notebook's title holds for every cell under it, so it tells no
two results apart, and counts for little), the markdown paragraph just above the cell, the cell's code
comments, with the assignments of the names the expression uses, are its context.
Nothing of a cell that failed is used; what a later cell computed from a failed one carries a caveat.
A notebook's HTML conversion says the same with worse labels: it is not read twice.
"""

import json
import re
from pathlib import PurePosixPath
from typing import Any

from reproducer.harvest.build import clean_label, clip
from reproducer.harvest.fact import Fact
from reproducer.harvest.html import html_facts
from reproducer.harvest.keep import HeadAndTail
from reproducer.harvest.limits import HarvestLimits
from reproducer.harvest.model import Harvest
from reproducer.harvest.notebook_cells import Definitions, Failures, parse, result_label
from reproducer.harvest.text import text_facts


def _joined(value: Any) -> str:
    """nbformat stores multi-line text as a list of lines or as one string."""
    if isinstance(value, list):
        return "".join(str(part) for part in value)
    return value if isinstance(value, str) else ""


def _cells(notebook: Any) -> list[Any]:
    if not isinstance(notebook, dict):
        raise ValueError("a notebook is a JSON object")
    if "cells" in notebook:
        return list(notebook["cells"])
    # nbformat 3 keeps the cells in worksheets.
    return [cell for sheet in notebook.get("worksheets", []) for cell in sheet.get("cells", [])]


# `names = ["intercept", "age", "dose"]` in the code names the items of a list the cell prints later.
_NAMES_ASSIGNED = re.compile(
    r"""^\s*\w+\s*=\s*[\[(]\s*((?:(['"])[^'"\n]*\2\s*,\s*)+(['"])[^'"\n]*\3)\s*,?\s*[\])]""", re.M
)
_LITERAL = re.compile(r"""(['"])([^'"\n]*)\1""")


def _assigned_names(source: str) -> list[str] | None:
    found = list(_NAMES_ASSIGNED.finditer(source))
    return [match.group(2) for match in _LITERAL.finditer(found[-1].group(1))] if found else None


def _output_facts(
    output: Any, *, file: str, where: str, above: str, names: list[str] | None, limits: HarvestLimits
) -> list[Fact]:
    if not isinstance(output, dict):
        return []
    kind = output.get("output_type")
    if kind == "stream":
        text = _joined(output.get("text"))
        return text_facts(text, file=file, limits=limits, where=where, above=above, names=names)
    if kind in ("execute_result", "display_data", "pyout"):
        data = output.get("data", output)  # nbformat 3 puts the text beside output_type
        html = _joined(data.get("text/html") or data.get("html"))
        if "<table" in html:
            return html_facts(html, file=file, limits=limits, where=where)
        plain = _joined(data.get("text/plain") or data.get("text"))
        return text_facts(plain, file=file, limits=limits, where=where, above=above, names=names)
    return []  # errors and images carry no values


def _language(notebook: Any) -> str:
    metadata = notebook.get("metadata", {}) if isinstance(notebook, dict) else {}
    kernel = metadata.get("kernelspec", {}) if isinstance(metadata.get("kernelspec"), dict) else {}
    info = metadata.get("language_info", {}) if isinstance(metadata.get("language_info"), dict) else {}
    return str(kernel.get("language") or info.get("name") or "python").lower()


def _error(outputs: list[Any]) -> str:
    """The name of the error a cell raised (`PyperclipException`), else ""."""
    for output in outputs:
        if isinstance(output, dict) and output.get("output_type") in ("error", "pyerr"):
            return str(output.get("ename") or "error")
    return ""


# The lead-in and the definitions of the names a result uses are read with its own context.
MAX_CONTEXT_CHARS = 600
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$", re.M)
_COMMENT = re.compile(r"^\s*#+\s*(\S.*?)\s*$", re.M)


class Headings:
    """The headings above the current cell, one per level: a new `##` replaces the last `##` and ends
    every deeper one."""

    def __init__(self) -> None:
        self.levels: dict[int, str] = {}

    def read(self, source: str) -> str:
        """Takes in a markdown cell's headings; returns its last paragraph (the lead-in to the code below)."""
        for marks, text in _HEADING.findall(source):
            level = len(marks)
            self.levels = {k: v for k, v in self.levels.items() if k < level}
            self.levels[level] = clip(text.strip("* "), 120)
        paragraphs = [part for part in re.split(r"\n\s*\n", source) if part.strip()]
        return clip(_HEADING.sub(r"\2", paragraphs[-1]), 200) if paragraphs else ""

    @property
    def section(self) -> str:
        """Every heading down to the cell's but the outermost (`Protocol 2 / Download data`): a subsection
        alone may name nothing (a link, `Results`) that tells two parts of the notebook apart."""
        names = [self.levels[level] for level in sorted(self.levels)]
        return " / ".join(names[1:] or names)

    @property
    def outer(self) -> str:
        return self.levels[min(self.levels)] if len(self.levels) > 1 else ""


def _placed(fact: Fact, section: str, extra: str, caveat: str) -> Fact:
    """The fact with the cell's section, lead-in and definitions, and its caveat when it has none."""
    context = clip(f"{fact.context} | {extra}", MAX_CONTEXT_CHARS) if extra else fact.context
    update = {"section": fact.section or section, "context": context, "caveat": fact.caveat or caveat}
    return fact.model_copy(update=update)


def notebook_facts(text: str, *, file: str, limits: HarvestLimits) -> list[Fact]:
    """Facts of every code cell's outputs (see the module's note on labels and failed cells)."""
    notebook = json.loads(text)
    kept = HeadAndTail(limits.max_facts_per_file)
    names: list[str] | None = None
    python = _language(notebook) == "python"
    failures, definitions = Failures(), Definitions()
    headings, lead = Headings(), ""
    for number, cell in enumerate(_cells(notebook), start=1):
        if not isinstance(cell, dict):
            continue
        source = _joined(cell.get("source") or cell.get("input"))
        if cell.get("cell_type") in ("markdown", "heading"):
            heading = cell.get("cell_type") == "heading"  # nbformat 3 keeps headings in cells of their own
            lead = headings.read(f"{'#' * int(cell.get('level') or 1)} {source}" if heading else source)
            continue
        if cell.get("cell_type") != "code":
            continue
        outputs = cell.get("outputs", [])
        outputs = outputs if isinstance(outputs, list) else []
        tree = parse(source) if python else None
        error = _error(outputs)
        if error:  # its outputs are never used; what later cells compute from it is in doubt
            failures.failed(number, error, tree)
            lead = ""
            continue
        caveat = failures.after(tree)
        if tree is not None:
            definitions.add(tree, source, lead)
        result = result_label(tree, source, definitions)
        names = _assigned_names(source) or names
        code_lines = [line for line in source.splitlines() if line.strip()]
        above = clean_label(code_lines[-1]) if code_lines else ""
        # The author's comments say what the cell computes (`# Performing one-way ANOVA`).
        comments = clip("; ".join(_COMMENT.findall(source)), 200) if python else ""
        for position, output in enumerate(outputs, start=1):
            where = f"cell {number}, output {position}, "
            bare = result is not None and isinstance(output, dict) and output.get("output_type") != "stream"
            label = result.label if result is not None and bare else above
            found = _output_facts(output, file=file, where=where, above=label, names=names, limits=limits)
            said = (headings.outer, lead, comments, result.definitions if result and bare else "")
            extra = " | ".join(part for part in said if part)
            kept.extend(_placed(fact, headings.section, extra, caveat) for fact in found)
        lead = ""
    return kept.facts()


def drop_conversions(found: Harvest) -> int:
    """Drop the facts of each notebook's HTML conversion (`x.html` of a harvested `x.ipynb` that has
    outputs, beside it or in the folder the task asked for): it shows the same outputs, labelled only by
    the code above them, with a failed cell's output unmarked. Returns how many facts were dropped."""
    notebooks = {
        PurePosixPath(record.file).stem
        for record in found.files
        if record.kind == "notebook" and record.state == "ok" and record.facts
    }
    converted = {
        record.file
        for record in found.files
        if record.kind == "html" and PurePosixPath(record.file).stem in notebooks
    }
    if not converted:
        return 0
    before = len(found.facts)
    found.facts = [fact for fact in found.facts if fact.file not in converted]
    for position, record in enumerate(found.files):
        if record.file in converted:
            reason = "the HTML conversion of a notebook read as such"
            found.files[position] = record.model_copy(update={"facts": 0, "reason": reason})
    return before - len(found.facts)
