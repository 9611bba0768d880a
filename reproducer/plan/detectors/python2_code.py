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
    scripts = [s for s in code_sources(capsule) if s.language == "python" and s.line_map is None]
    for source in scripts:
        found = python2_only(source.text)
        if found is None:
            continue
        # A Python 2 file among code with Python 3 syntax is a stray (a vendored helper, an old script
        # beside the analysis): the capsule as a whole was not written for Python 2.
        if any(python3_only_syntax(other.text) for other in scripts if other is not source):
            return None
        line, why = found
        text = source.text.splitlines()[line - 1] if 0 < line <= source.text.count("\n") + 1 else ""
        findings = Findings(Decision(value=SOURCE, evidence=capsule.evidence(source.path, line, text)))
        findings.python_version = Decision(
            value="2.7", evidence=capsule.evidence(source.path, line, f"{text.strip()}  ({why})")
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


def python3_only_syntax(text: str) -> bool:
    """Whether `text` parses as Python 3 with syntax Python 2 lacks: an f-string, an annotation,
    `nonlocal`, `async`, `yield from`, `@`, keyword-only arguments, `print(..., end=...)`."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    for node in ast.walk(tree):
        if isinstance(
            node,
            ast.JoinedStr | ast.AnnAssign | ast.Nonlocal | ast.AsyncFunctionDef | ast.YieldFrom | ast.Await,
        ):
            return True
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult):
            return True
        if isinstance(node, ast.arguments) and (
            node.kwonlyargs or any(a.annotation for a in [*node.posonlyargs, *node.args])
        ):
            return True
        if isinstance(node, ast.FunctionDef) and node.returns is not None:
            return True
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "print"
            and any(k.arg in ("end", "sep", "file", "flush") for k in node.keywords)
        ):
            return True
    return False
