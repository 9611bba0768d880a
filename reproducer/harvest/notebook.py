"""Jupyter notebooks: what the cells printed and returned (stream text, `text/plain` results, HTML tables),
located as `cell N, output M`. Cells are counted from 1, markdown included, as a person counts them."""

import json
import re
from typing import Any

from reproducer.harvest.build import clean_label
from reproducer.harvest.fact import Fact
from reproducer.harvest.html import html_facts
from reproducer.harvest.keep import HeadAndTail
from reproducer.harvest.limits import HarvestLimits
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


def notebook_facts(text: str, *, file: str, limits: HarvestLimits) -> list[Fact]:
    """Facts of every code cell's outputs; a bare result is labelled by the cell's last line of code."""
    kept = HeadAndTail(limits.max_facts_per_file)
    names: list[str] | None = None
    for number, cell in enumerate(_cells(json.loads(text)), start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = _joined(cell.get("source") or cell.get("input"))
        names = _assigned_names(source) or names
        code_lines = [line for line in source.splitlines() if line.strip()]
        above = clean_label(code_lines[-1]) if code_lines else ""
        for position, output in enumerate(cell.get("outputs", []), start=1):
            where = f"cell {number}, output {position}, "
            found = _output_facts(output, file=file, where=where, above=above, names=names, limits=limits)
            kept.extend(found)
    return kept.facts()
