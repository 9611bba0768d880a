"""Code written for Python 2: a Python file that Python 3 cannot parse, for a reason only Python 2
accepted (a `print` statement, `except E, e`, `0777`, `10L`, backquotes, `ur''`, `raise E, "message"`).

Such code says which interpreter it was written for more surely than any document: it never ran on
Python 3. A file that fails for any other reason (a typo, a template) is evidence of nothing. Notebooks
are left out: their cells may hold IPython syntax Python 3 cannot parse either.
"""

import ast
import re

from reproducer.plan.capsule import Capsule
from reproducer.plan.code_sources import code_sources
from reproducer.plan.findings import Findings
from reproducer.plan.model import Decision

SOURCE = "Python 2 code"
# Python 3's own messages for Python 2 idioms.
_PYTHON2_MESSAGES = re.compile(
    r"Missing parentheses in call to '(?:print|exec)'|multiple exception types must be parenthesized"
    r"|leading zeros in decimal integer literals|inconsistent use of tabs and spaces"
)
# Idioms Python 3 reports only as "invalid syntax" (or a bad literal), told by the failing line.
_PYTHON2_LINES = re.compile(
    r"^\s*(?:print\s+[^\s(=]|print\s*$|exec\s+['\"\w]|raise\s+\w[\w.]*\s*,)"  # statements
    r"|`[^`\n]+`"  # backquote repr
    r"|\b\d+[lL]\b"  # long literals
    r"|\b[uU][rR]['\"]"  # raw unicode strings
    r"|<>"  # the old not-equal
)


def detect(capsule: Capsule) -> Findings | None:
    for source in code_sources(capsule):
        if source.language != "python" or source.line_map is not None:
            continue
        found = python2_only(source.text)
        if found is None:
            continue
        line, why = found
        text = source.text.splitlines()[line - 1] if 0 < line <= source.text.count("\n") + 1 else ""
        findings = Findings(Decision(value=SOURCE, evidence=capsule.evidence(source.path, line, text)))
        findings.python_version = Decision(
            value="2.7", evidence=capsule.evidence(source.path, line, f"{why}: {text.strip()}")
        )
        return findings
    return None


def python2_only(text: str) -> tuple[int, str] | None:
    """The line where `text` stops parsing as Python 3 for a Python 2 idiom, and why; None otherwise."""
    try:
        compile(text, "<capsule>", "exec", dont_inherit=True)
    except SyntaxError as error:  # TabError and IndentationError included
        line = error.lineno or 0
        lines = text.splitlines()
        failing = lines[line - 1] if 0 < line <= len(lines) else ""
        message = str(error.msg)
        if _PYTHON2_MESSAGES.search(message) or _PYTHON2_LINES.search(failing):
            return line, f"not Python 3 ({message}), written for Python 2"
        return None
    except (ValueError, RecursionError, MemoryError):  # null bytes, absurd nesting: evidence of nothing
        return None
    return _print_chevron(text)


def _print_chevron(text: str) -> tuple[int, str] | None:
    """`print >>f, x`: Python 3 parses it (a shift of the print function) and fails only when it runs."""
    if ">>" not in text:
        return None
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    for node in ast.walk(tree):
        value = node.value if isinstance(node, ast.Expr) else None
        shift = value.elts[0] if isinstance(value, ast.Tuple) and value.elts else value
        if (
            isinstance(shift, ast.BinOp)
            and isinstance(shift.op, ast.RShift)
            and isinstance(shift.left, ast.Name)
            and shift.left.id == "print"
        ):
            return shift.lineno, "a `print >>file` statement, written for Python 2"
    return None
