"""The CLI loads only the verb it runs: `--help` and `--version` import none of the heavy packages."""

import subprocess
import sys

from typer.testing import CliRunner

from reproducer.cli import VERBS, build_app

PROBE = """
import sys
sys.argv = ["reproducer", *{args!r}]
from reproducer.cli import main
try:
    main()
except SystemExit:
    pass
heavy = ("scipy", "numpy", "docker", "anthropic", "reproducer.pipeline", "reproducer.agent")
print(sorted(m for m in sys.modules if m.split(".")[0] in heavy or m.startswith(heavy)))
"""


def loaded_after(*args: str) -> str:
    probe = PROBE.format(args=list(args))
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return done.stdout.strip().splitlines()[-1]


def test_help_and_version_import_nothing_heavy() -> None:
    assert loaded_after("--help") == "[]"
    assert loaded_after("--version") == "[]"


def test_grade_loads_numpy_but_not_scipy_stats() -> None:
    loaded = loaded_after("grade", "--help")
    assert "scipy.stats" not in loaded and "reproducer.pipeline" not in loaded


def test_the_top_level_help_lists_every_verb() -> None:
    shown = CliRunner().invoke(build_app(""), ["--help"], env={"COLUMNS": "200"})
    assert shown.exit_code == 0
    assert all(verb in shown.output for verb in VERBS)


def test_version() -> None:
    shown = CliRunner().invoke(build_app(""), ["--version"])
    assert shown.exit_code == 0 and shown.output.startswith("reproducer ")
