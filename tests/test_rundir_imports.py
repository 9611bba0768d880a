"""The layering of reproducer's subpackages, read from the source: no two import each other, and `rundir`
(the run directory's contract) stays at the bottom."""

import ast
from collections import defaultdict
from pathlib import Path

import reproducer

PACKAGE = Path(reproducer.__file__).parent
# What `reproducer.rundir` may import of reproducer: the run directory must be readable without the layers
# that write it.
RUNDIR_ALLOWED = {"reproducer.errors", "reproducer.jsonio"}
# Cycles that predate the rule. The set may only shrink (a new cycle fails, and so does an entry here that no
# longer is one); the last three, through `backends/`, are gone: it sits above the engines it composes.
KNOWN_CYCLES: set[frozenset[str]] = set()
# The engines the backend seam composes: only `backends` opens them, so nobody else depends on Docker.
BACKEND_ONLY = ("docker",)


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every reproducer module `path` imports, at any depth of its code (lazy and TYPE_CHECKING ones too);
    `from X import name` counts as X and as X.name, since the name may be a module."""
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return {name for name in found if name.split(".")[0] == "reproducer"}


def _subpackage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and (PACKAGE / parts[1]).is_dir() else None


def _edges() -> dict[str, dict[str, list[str]]]:
    """subpackage -> subpackage it imports -> the imports that make the edge (`module -> imported`)."""
    edges: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for path in sorted(PACKAGE.rglob("*.py")):
        source = _subpackage(_module_name(path))
        for imported in sorted(_imports(path)):
            target = _subpackage(imported)
            if source and target and source != target:
                edges[source][target].append(f"{_module_name(path)} -> {imported}")
    return edges


def test_no_two_subpackages_import_each_other() -> None:
    edges = _edges()
    cycles = {
        frozenset({a, b}): edges[a][b] + edges[b][a] for a in edges for b in edges[a] if a in edges.get(b, {})
    }
    new = {pair: why for pair, why in cycles.items() if pair not in KNOWN_CYCLES}
    assert not new, "import cycles between subpackages:\n" + "\n".join(
        f"{' <-> '.join(sorted(pair))}:\n    " + "\n    ".join(why) for pair, why in new.items()
    )
    assert set(cycles) >= KNOWN_CYCLES, f"no longer cycles, drop them: {KNOWN_CYCLES - set(cycles)}"
    assert frozenset({"agent", "pipeline"}) not in cycles
    assert {"backends", "docker"} <= set(edges)
    assert "pipeline" in edges["commands"] and "agent" in edges["pipeline"]  # the walk sees real edges


def test_rundir_imports_only_errors_and_jsonio() -> None:
    modules = sorted((PACKAGE / "rundir").rglob("*.py"))
    assert modules
    for path in modules:
        outside = {
            name
            for name in _imports(path)
            if not name.startswith("reproducer.rundir")
            and name not in RUNDIR_ALLOWED
            # `from reproducer.errors import BadInput` also yields `reproducer.errors.BadInput`.
            and name.rpartition(".")[0] not in RUNDIR_ALLOWED
        }
        assert not outside, f"{path.relative_to(PACKAGE)} imports {sorted(outside)}"


def test_only_the_backend_seam_imports_its_engines() -> None:
    edges = _edges()
    for engine in BACKEND_ONLY:
        importers = {
            source: why
            for source, targets in edges.items()
            for target, why in targets.items()
            if target == engine and source != "backends"
        }
        assert not importers, f"{engine} is imported outside backends/: {importers}"
    assert "docker" in edges["backends"]
