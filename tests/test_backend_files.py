"""Harvest and the agent's file tools read the workspace through the backend session, not the host path.

The backend here runs its sandboxes over a copy of the staged capsule in another folder, as a remote or
container-only backend would: what the code writes never appears under the capsule folder the pipeline
staged. The run still harvests the value it wrote and answers with it, and the tools still read it.
"""

import json
import shutil
from pathlib import Path

import pytest
from test_bench_support import QUESTION, trivial_capsule, trivial_record

from reproducer.agent.limits import AgentLimits
from reproducer.agent.tools import ToolContext, make_toolbox
from reproducer.backends.files import HostFiles, WorkspaceFiles
from reproducer.backends.installer import Installer
from reproducer.backends.local import LocalBackend
from reproducer.backends.registry import OPENERS, SessionOptions
from reproducer.pipeline.run import run_capsule
from reproducer.sandbox.base import Sandbox
from reproducer.tasks.model import Task

VALUE = 7
# The capsule prints nothing: its answer is only in the file it writes.
WRITES_ITS_RESULT = f"""\
from pathlib import Path

(Path(__file__).resolve().parent.parent / "results" / "metrics.txt").write_text("halfway value: {VALUE}\\n")
"""


class ElsewhereBackend(LocalBackend):
    """The local backend, with the workspace its sandboxes see kept in a folder of its own."""

    def __init__(self, options: SessionOptions, elsewhere: Path) -> None:
        super().__init__(options.cache_root, options.limits())
        self.elsewhere = elsewhere

    def _workspace(self, capsule_dir: Path) -> Path:
        """The capsule, copied to where this backend keeps it (once: the sandboxes' writes stay there)."""
        where = self.elsewhere / capsule_dir.name
        if not where.exists():
            shutil.copytree(capsule_dir, where, symlinks=True)
        return where

    def sandbox(
        self, capsule_dir: Path, run_dir: Path, task_id: str, *, seconds: float | None = None
    ) -> Sandbox:
        return super().sandbox(self._workspace(capsule_dir), run_dir, task_id, seconds=seconds)

    def agent_sandbox(
        self, capsule_dir: Path, run_dir: Path, task_id: str, *, seconds: float | None = None
    ) -> tuple[Sandbox, Installer]:
        return super().agent_sandbox(self._workspace(capsule_dir), run_dir, task_id, seconds=seconds)

    def files(self, capsule_dir: Path) -> WorkspaceFiles:
        return HostFiles(self._workspace(capsule_dir))


@pytest.mark.slow
def test_a_workspace_off_the_host_path_is_still_harvested_and_read_by_the_tools(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    monkeypatch.setitem(OPENERS, "elsewhere", lambda options: ElsewhereBackend(options, elsewhere))
    capsule = trivial_capsule(tmp_path / "capsule", value=VALUE)
    (capsule / "code" / "main.py").write_text(WRITES_ITS_RESULT)
    task = Task.model_validate(trivial_record("capsule-elsewhere", VALUE))
    run = tmp_path / "run"

    cache = tmp_path / "cache"
    summary = run_capsule(capsule, task, run, level="hard", backend="elsewhere", cache_root=cache)  # type: ignore[arg-type]

    [staged] = [path for path in (run / "workspace").iterdir() if path.is_dir()]
    assert not (staged / "results" / "metrics.txt").exists(), "the code's output is not on the host path"
    assert (elsewhere / staged.name / "results" / "metrics.txt").is_file()
    assert "results/metrics.txt" in (run / "facts.jsonl").read_text()
    assert json.loads((run / "report.json").read_text())[QUESTION] == VALUE
    assert summary.status == "correct", summary.steps

    backend = ElsewhereBackend(SessionOptions(cache_root=tmp_path / "cache"), elsewhere)
    sandbox = backend.sandbox(staged, run, task.capsule_id)
    context = ToolContext(task, run, staged, sandbox, AgentLimits(), files=backend.files(staged))
    toolbox = make_toolbox(context)
    try:
        calls = {
            "read_file": {"path": "results/metrics.txt"},
            "list_files": {"path": "results"},
            "search_outputs": {"query": "halfway value"},
        }
        for name, arguments in calls.items():
            record, _ = toolbox.call({"type": "tool_use", "id": name, "name": name, "input": arguments})
            assert not record.is_error and f"{VALUE}" in record.output and "metrics.txt" in record.output, (
                record.output
            )
    finally:
        sandbox.stop()
