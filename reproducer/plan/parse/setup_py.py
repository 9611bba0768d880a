"""`setup.py` read statically with `ast` (never run): `install_requires` and `python_requires` of `setup()`.

Literal lists, and names bound to literal lists at module level, are read; anything computed is not.
Python 2 files that do not parse fall back to a regular expression over the literal text.
"""

import ast
import re
import warnings
from dataclasses import dataclass, field

_KEYWORDS = ("install_requires", "python_requires", "classifiers")
_LITERAL_LIST = re.compile(
    r"\b(install_requires|python_requires|classifiers)\s*=\s*(\[[^\]]*\]|\([^)]*\)|['\"][^'\"]*['\"])"
)
_STRING = re.compile(r"""(['"])([^'"\n]+)\1""")


@dataclass
class SetupCall:
    # (value, 1-based line) of each literal, per keyword; `computed` names keywords that were not literals.
    values: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    computed: list[str] = field(default_factory=list)


def read_setup_py(source: str) -> SetupCall:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return _read_with_regex(source)
    assignments = {
        target.id: node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    call = SetupCall()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _is_setup(node.func):
            for keyword in node.keywords:
                if keyword.arg in _KEYWORDS:
                    value = keyword.value
                    if isinstance(value, ast.Name):
                        value = assignments.get(value.id, value)
                    literals = _literals(value)
                    if literals is None:
                        call.computed.append(keyword.arg)
                    else:
                        call.values[keyword.arg] = literals
    return call


def _is_setup(function: ast.expr) -> bool:
    return (isinstance(function, ast.Name) and function.id == "setup") or (
        isinstance(function, ast.Attribute) and function.attr == "setup"
    )


def _literals(node: ast.expr) -> list[tuple[str, int]] | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [(node.value, node.lineno)]
    if isinstance(node, ast.List | ast.Tuple):
        items = [_literals(element) for element in node.elts]
        if any(item is None for item in items):
            return None
        return [pair for item in items if item for pair in item]
    return None


def _read_with_regex(source: str) -> SetupCall:
    call = SetupCall()
    for match in _LITERAL_LIST.finditer(source):
        call.values[match.group(1)] = [
            (string.group(2), source.count("\n", 0, match.start(2) + string.start()) + 1)
            for string in _STRING.finditer(match.group(2))
        ]
    return call
