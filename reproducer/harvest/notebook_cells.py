"""What a notebook's Python code cells say about their results: the names each cell sets and reads (so a
cell computed from a failed one is known), and the label of a bare result (`Out[5]: 41.04775`), whose only
name is the expression that produced it.

The notebook runner runs every cell even when one fails (a clipboard, a display, a missing optional file);
a later cell that reads nothing the failed cell sets computes what it would have computed anyway, and one
that does is marked. Code that does not parse (an R kernel, shell escapes we cannot strip) is assumed to
depend on the failure: doubt is the safe side.
"""

import ast
import re
from dataclasses import dataclass

from reproducer.harvest.build import clip

# IPython's magics and shell escapes are no Python; the rest of the cell still is.
_MAGIC = re.compile(r"^\s*[%!].*$|\?\s*$", re.M)
_COMMENT = re.compile(r"^\s*#+\s?(.*?)\s*:?\s*$")
_HUNDRED = (100, 100.0)
_IDENTIFIER = re.compile(r"\b[A-Za-z_]\w*\b")
# How many definitions a result's context names at most.
MAX_DEFINITIONS = 8


def parse(source: str) -> ast.Module | None:
    try:
        return ast.parse(_MAGIC.sub("", source))
    except (SyntaxError, ValueError):
        return None


def _root(node: ast.expr) -> str | None:
    """The variable an attribute or item assignment changes: `df` in `df["x"] = ...`, `df.a.b = ...`."""
    while isinstance(node, ast.Attribute | ast.Subscript):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def sets(tree: ast.Module) -> set[str]:
    """The names a cell binds or changes: assignments (to a name, an item or an attribute), imports,
    definitions, loop and `with` targets, and the frames changed with `inplace=True`."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
            found.add(node.id)
        elif isinstance(node, ast.Attribute | ast.Subscript) and isinstance(node.ctx, ast.Store | ast.Del):
            found.update(name for name in [_root(node)] if name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            found.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            found.add(node.name)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            inplace = any(
                k.arg == "inplace" and getattr(k.value, "value", None) is True for k in node.keywords
            )
            found.update(name for name in [_root(node.func.value)] if inplace and name)
    return found


def reads(tree: ast.Module) -> set[str]:
    return {
        node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
    }


class Failures:
    """Follows failed cells through a notebook, cell by cell in order: `after(tree)` is the caveat of a
    cell that reads what a failed cell (or a cell computed from one) sets, else ""."""

    def __init__(self) -> None:
        self.tainted: set[str] = set()
        self.first = ""  # `cell 78 (PyperclipException)`
        self.everything = False  # a failed cell that does not parse: every later cell is in doubt

    def failed(self, number: int, error: str, tree: ast.Module | None) -> None:
        self.first = self.first or f"cell {number} ({error})"
        if tree is None:
            self.everything = True
        else:
            self.tainted |= sets(tree)

    def after(self, tree: ast.Module | None) -> str:
        if not self.first:
            return ""
        if tree is not None and not self.everything:
            used = reads(tree) & self.tainted
            if not used:
                return ""
            self.tainted |= sets(tree)
            return f"computed after {self.first} failed, from {', '.join(sorted(used))}, which it sets"
        return f"computed after {self.first} failed"


@dataclass(frozen=True)
class Result:
    """The label of a cell's bare result and what explains its names."""

    label: str
    # The earlier assignments of the names the expression uses (`poa_after = data.query(...).mean()`).
    definitions: str


def _is_hundred(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value in _HUNDRED


def _has_division(node: ast.expr) -> bool:
    return any(isinstance(n, ast.BinOp) and isinstance(n.op, ast.Div) for n in ast.walk(node))


def meaning(node: ast.expr) -> str:
    """The word a person would use for what the expression computes, from its outermost operation: a
    difference (`a - b`), a percentage (`100 * a / b`, `a / b * 100`), a count (`len(x)`)."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub):
        return "difference"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        for factor, other in ((node.left, node.right), (node.right, node.left)):
            if _is_hundred(factor) and _has_division(other):
                return "percent"
    left = node.left if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div) else None
    if (
        isinstance(left, ast.BinOp)
        and isinstance(left.op, ast.Mult)
        and (_is_hundred(left.left) or _is_hundred(left.right))
    ):
        return "percent"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "len":
        return "count"
    return ""


def _comment(source: str, line: int) -> str:
    """The comment lines just above line `line` (1-based) of the cell: `# crime` above the expression."""
    lines = source.splitlines()[: line - 1]
    found: list[str] = []
    for text in reversed(lines):
        match = _COMMENT.match(text)
        if not text.strip():
            if found:
                break
            continue
        if match is None:
            break
        found.insert(0, match.group(1))
    return " ".join(part for part in found if part)


def _flat(text: str) -> str:
    return " ".join(text.replace('"', "").replace("'", "").split())


class Definitions:
    """The latest simple assignment of each name, across the cells seen so far, with the markdown lead-in
    of its cell: what `debunk_shares` is ("the total engagement for all fact checking articles") is
    said where it is computed, not where it is used."""

    def __init__(self) -> None:
        self.text: dict[str, str] = {}

    def add(self, tree: ast.Module, source: str, lead: str = "") -> None:
        for node in tree.body:
            if (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
            ):
                segment = ast.get_source_segment(_MAGIC.sub("", source), node)
                if segment:
                    said = f"{lead}: " if lead else ""
                    self.text[node.targets[0].id] = clip(said + _flat(segment), 300)

    def of(self, node: ast.expr) -> str:
        """The definitions of the names `node` uses, and of the names those use (`diff_in_diff` is made of
        `poa_after`, which is a mean of deposits), nearest first."""
        names: dict[str, None] = {}
        waiting = [n.id for n in ast.walk(node) if isinstance(n, ast.Name)]
        while waiting and len(names) < MAX_DEFINITIONS:
            name = waiting.pop(0)
            if name in self.text and name not in names:
                names[name] = None
                waiting += _IDENTIFIER.findall(self.text[name].partition(": ")[2] or self.text[name])
        return clip("; ".join(self.text[name] for name in names), 600)


def result_label(tree: ast.Module | None, source: str, definitions: Definitions) -> Result | None:
    """The label of the cell's bare result: the comment above its last expression, the word for what
    it computes, and the expression itself (`crime, percent: top[Crime] / len(top) * 100`). None when the
    cell does not end with an expression."""
    if tree is None or not tree.body or not isinstance(tree.body[-1], ast.Expr):
        return None
    node = tree.body[-1].value
    expression = _flat(ast.get_source_segment(_MAGIC.sub("", source), node) or "")
    if not expression:
        return None
    words = ", ".join(part for part in (_comment(_MAGIC.sub("", source), node.lineno), meaning(node)) if part)
    label = f"{words}: {expression}" if words else expression
    return Result(label=clip(label, 200), definitions=definitions.of(node))
