"""The shell command line for each of the plan's entry points."""

import shlex
from pathlib import Path

from reproducer.plan.model import EntryPoint

NOTEBOOK_RUNNER = Path(__file__).with_name("notebook_runner.py")
RUNNER_DELIMITER = "REPRODUCER_NOTEBOOK_RUNNER"


def _is_bare_notebook(entry: EntryPoint) -> bool:
    # A notebook found as a file is its own evidence; a `jupyter nbconvert ...` line cites a README.
    return entry.kind == "notebook" and entry.evidence.file.endswith(".ipynb")


def command_line(entry: EntryPoint, timeout_s: float) -> str:
    """The shell command that runs `entry` from its cwd, with the capsule's environment first on PATH.

    A notebook runs through our small nbclient runner, passed inline on stdin so that the command works
    wherever the sandbox is (this machine or a container, where no file of ours exists).
    """
    if _is_bare_notebook(entry):
        source = NOTEBOOK_RUNNER.read_text(encoding="utf-8")
        arguments = f"{shlex.quote(entry.command)} {int(timeout_s)}"
        return f"python - {arguments} <<'{RUNNER_DELIMITER}'\n{source}{RUNNER_DELIMITER}"
    return entry.command
