"""The bash and install tools on a real LocalSandbox: fresh shells, time limits, long output, background
jobs, no network; install refuses anything but package names."""

import json
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reproducer.agent.limits import AgentLimits
from reproducer.agent.tools import ToolBox, ToolContext, make_toolbox
from reproducer.backends.installer import InstallRequest, InstallResult
from reproducer.sandbox import LocalSandbox, RunLimits, bwrap_problem
from reproducer.tasks.model import Task

TASK = Task(capsule_id="capsule-tools", task_prompt="Run it.", questions=["Report the answer."])


@pytest.fixture
def context(tmp_path: Path) -> Iterator[ToolContext]:
    capsule = tmp_path / "run" / "workspace" / TASK.capsule_id
    (capsule / "code").mkdir(parents=True)
    sandbox = LocalSandbox(
        capsule, tmp_path / "run" / "logs", keep_background=True, limits=RunLimits(term_grace_seconds=1)
    )
    try:
        yield ToolContext(TASK, tmp_path / "run", capsule, sandbox, AgentLimits(command_timeout_s=30))
    finally:
        sandbox.stop()


def call(toolbox: ToolBox, name: str, **arguments: Any) -> tuple[str, bool]:
    record, result = toolbox.call({"type": "tool_use", "id": "t1", "name": name, "input": arguments})
    assert result["tool_use_id"] == "t1"
    return record.output, record.is_error


def test_each_call_is_a_fresh_shell_in_the_capsule_root(context: ToolContext) -> None:
    toolbox = make_toolbox(context)
    output, _ = call(toolbox, "bash", command="cd code && export LEFT=over && pwd")
    assert output.startswith("exit code 0") and str(context.capsule_dir / "code") in output
    output, _ = call(toolbox, "bash", command='pwd; echo "left: ${LEFT:-nothing}"')
    assert f"{context.capsule_dir}\nleft: nothing" in output


def test_a_failing_command_reports_its_exit_code_and_stderr(context: ToolContext) -> None:
    output, is_error = call(make_toolbox(context), "bash", command="echo oops >&2; exit 3")
    assert output.startswith("exit code 3")
    assert "stderr (5 bytes, saved in" in output and "oops" in output
    assert not is_error  # a failing command is an ordinary result; only a killed one is an error


def test_a_command_past_its_timeout_is_killed_with_a_hint(context: ToolContext) -> None:
    output, is_error = call(make_toolbox(context), "bash", command="echo started; sleep 30", timeout=1)
    assert is_error
    assert output.startswith("killed: still running at the 1 s timeout; run long jobs in the background")
    assert "started" in output


def test_long_output_shows_head_and_tail_and_the_saved_file_holds_all(context: ToolContext) -> None:
    toolbox = make_toolbox(context)
    output, _ = call(toolbox, "bash", command="seq 1 200000")
    assert "\n1\n2\n3\n" in f"\n{output}" and "\n200000" in output
    assert "characters elided; the full output is in" in output
    saved = output.split("saved in ")[1].split(")")[0]
    assert saved.endswith(".stdout")
    page, _ = call(toolbox, "read_file", path=saved, offset=100000, limit=2)
    assert "100000\t100000\n100001\t100001" in page


def test_a_background_job_survives_its_call_and_is_polled(context: ToolContext) -> None:
    toolbox = make_toolbox(context)
    job = "nohup bash -c 'sleep 1; echo finished' > job.log 2>&1 &"
    output, _ = call(toolbox, "bash", command=f"{job} echo launched")
    assert output.startswith("exit code 0") and "launched" in output
    output, _ = call(toolbox, "bash", command="sleep 2; cat job.log")
    assert "finished" in output


@pytest.mark.skipif(bwrap_problem() is not None, reason="only bubblewrap cuts the network")
def test_bash_has_no_network(context: ToolContext) -> None:
    # An address, not a name: the failure must be the missing route, not a missing resolver.
    probe = "import socket; socket.create_connection(('1.1.1.1', 443), timeout=5)"
    output, _ = call(make_toolbox(context), "bash", command=f"python3 -c {json.dumps(probe)}")
    assert output.startswith("exit code 1")
    assert "Network is unreachable" in output


def test_the_descriptions_teach_statelessness_timeouts_and_background_jobs(context: ToolContext) -> None:
    bash = next(spec for spec in make_toolbox(context).specs() if spec["name"] == "bash")
    text = bash["description"]
    assert "fresh" in text and "default 30, at most 1800" in text and "nohup" in text and "NO network" in text
    assert bash["input_schema"]["required"] == ["command"]
    assert bash["input_schema"]["additionalProperties"] is False


class RecordingInstaller:
    """A stand-in for uv: the tool's own checks are under test here; uv itself runs in the repair test."""

    kinds = ("python",)
    in_container = False

    def __init__(self) -> None:
        self.requests: list[list[str]] = []

    def __call__(self, request: InstallRequest) -> InstallResult:
        self.requests.append(list(request.packages))
        return InstallResult(
            packages=list(request.packages), ok=True, command="uv pip install", output="", seconds=0.0
        )


def test_install_is_offered_only_with_an_installer(context: ToolContext) -> None:
    assert "install" not in make_toolbox(context).tools
    context.installer = RecordingInstaller()
    assert "install" in make_toolbox(context).tools


@pytest.mark.parametrize(
    "spec",
    [
        "--index-url=https://evil.example/simple",
        "-r requirements.txt",
        "six @ file:///etc/passwd",
        "./local",
        "/abs/path",
        "",
    ],
)
def test_install_refuses_options_paths_and_urls(context: ToolContext, spec: str) -> None:
    installer = RecordingInstaller()
    context.installer = installer
    output, is_error = call(make_toolbox(context), "install", packages=["numpy==1.26.4", spec])
    assert is_error and installer.requests == []
    assert "not a package requirement" in output


def test_install_takes_remote_references_and_an_index(context: ToolContext) -> None:
    installer = RecordingInstaller()
    context.installer = installer
    specs = ["six @ https://example.org/six.whl", "git+https://example.org/x/y.git@v1"]
    output, is_error = call(
        make_toolbox(context), "install", packages=specs, index_url="https://example.org/simple"
    )
    assert not is_error, output
    assert installer.requests == [specs]
    output, is_error = call(make_toolbox(context), "install", packages=["six"], index_url="file:///srv")
    assert is_error and "http(s) URL" in output


def test_install_refuses_kinds_the_backend_lacks(context: ToolContext) -> None:
    context.installer = RecordingInstaller()
    toolbox = make_toolbox(context)
    output, is_error = call(toolbox, "install", packages=["ggplot2"], kind="r")
    assert is_error and "cannot be installed on this backend" in output
    assert "Not available on this backend: kind r and system" in toolbox.tools["install"].describe()


def test_install_passes_names_with_versions_to_the_installer(context: ToolContext) -> None:
    installer = RecordingInstaller()
    context.installer = installer
    output, is_error = call(
        make_toolbox(context), "install", packages=["six", " scikit-learn<1.2 ", "a[b]==1"]
    )
    assert not is_error and output.startswith("installed six, scikit-learn<1.2, a[b]==1")
    assert installer.requests == [["six", "scikit-learn<1.2", "a[b]==1"]]


def test_background_jobs_end_when_the_sandbox_stops(context: ToolContext) -> None:
    token = f"sleep 977.{uuid.uuid4().int % 10**9}"
    call(make_toolbox(context), "bash", command=f"nohup {token} > /dev/null 2>&1 &")
    assert running(token)
    context.sandbox.stop()
    assert not running(token)


def running(token: str) -> bool:
    # A killed process may take a moment to leave the process table.
    for _ in range(20):
        if subprocess.run(["pgrep", "-f", token], capture_output=True).returncode != 0:
            return False
        time.sleep(0.05)
    return True
