"""Every run-directory file name is spelled once, in `reproducer.rundir`: no string in the rest of the package
names one (`"facts.jsonl"`, `"env/ladder.json"`); code uses the constants or `RunDir`'s paths."""

import ast
from pathlib import Path

import reproducer
from reproducer.rundir import bench_layout, layout

PACKAGE = Path(reproducer.__file__).parent
NAMES = {
    value
    for module in (layout, bench_layout)
    for name, value in vars(module).items()
    if name.endswith("_FILE") and isinstance(value, str)
}


def _strings(path: Path) -> list[tuple[int, str]]:
    """The string literals of `path` that are values (docstrings and comments may name files in prose)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def _names_a_file(text: str) -> str | None:
    return next((name for name in NAMES if text == name or text.endswith("/" + name)), None)


def test_the_names_come_from_the_layout() -> None:
    assert {"plan.json", "facts.jsonl", "environment.json", "ladder.json", "commands.jsonl"} <= NAMES


def test_no_run_directory_file_name_is_spelled_outside_rundir() -> None:
    spelled = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {text!r}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if "rundir" not in path.relative_to(PACKAGE).parts
        for line, text in _strings(path)
        if _names_a_file(text)
    ]
    assert not spelled, "use reproducer.rundir's constants:\n" + "\n".join(spelled)


def test_the_check_sees_a_spelled_name(tmp_path: Path) -> None:
    module = tmp_path / "module.py"
    module.write_text('"""Writes plan.json."""\nPATH = "env/ladder.json"\n', encoding="utf-8")
    assert [_names_a_file(text) for _, text in _strings(module)] == ["ladder.json"]
