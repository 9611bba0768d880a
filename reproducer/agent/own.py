"""Agents the user brings, run and graded like ours: `--agent cmd:PATH [ARGS]` or `py:MODULE:FUNCTION`.

A command agent is a program run inside the sandbox (as the official CORE-Bench harness runs an agent
script): the staged capsule is its working directory, `task.txt` there holds the task prompt, and it must
leave `report.json` there, a JSON object of answers by question. It gets the agent's wall-time limit; its
stdout and stderr are kept in the run directory's logs (`agent.*`). The program is copied into the
capsule's `.agent/` folder first, since the sandbox sees nothing else of the host.

A function agent (as HAL's `--agent_function`) is called in-process as `function(task, workspace,
sandbox)`: the task, the staged capsule folder and a `Sandbox` to run commands in; one that takes a
`files` argument gets the workspace as the backend session serves it (`WorkspaceFiles`, as our agent's
file tools and harvest read it), which a backend whose workspace is not a folder here can serve too. It
returns the answers (a dict by question), or None when it has none.

A command agent's report.json is read through the session's files as well: the program is untrusted, and
a report.json it left as a link to a file of this host, or a huge one, is refused like any read of ours.

Either ends `submitted` with its answers, `time_limit`, or `no_report` (no usable answers: the program
failed or left no valid report.json, the function raised); the offline answers fill what it left out.

With a model (`--model-proxy`), a function agent that takes a `model` argument gets a `ProxiedModel`:
the URL of a proxy on 127.0.0.1 to point its SDK at, which forwards to the run's model and counts the
cost against the agent's dollar limit (`reproducer.agent.proxy`). A command agent's sandbox has no
network: the proxy listens on a unix socket in `.agent/` instead, and the program is started by a
forwarder (`reproducer.agent.forward`) that opens it on the sandbox's own loopback and sets
`ANTHROPIC_BASE_URL` / `OPENAI_BASE_URL` (and `REPRODUCER_MODEL`, `REPRODUCER_MODEL_API`) for it.
"""

import importlib
import inspect
import json
import shlex
import shutil
import time
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from reproducer.agent.limits import AgentLimits
from reproducer.agent.model import Model
from reproducer.agent.outcome import CostLimit, NoReport, Outcome, Submitted, TimeLimit
from reproducer.agent.proxy import ModelProxy, ProxiedModel
from reproducer.agent.solve import AgentResult
from reproducer.backends.files import HostFiles, Refused, WorkspaceFiles
from reproducer.errors import BadInput
from reproducer.rundir.layout import REPORT_FILE, TASK_PROMPT_FILE
from reproducer.sandbox.base import Sandbox
from reproducer.tasks.model import Task

AGENT_FOLDER = ".agent"
LOG_NAME = "agent"
COMMAND_PREFIX = "cmd:"
FUNCTION_PREFIX = "py:"
SOCKET = "model.sock"
FORWARDER = "forward.py"
# The most of report.json that is read: answers to a few questions, far below this.
MAX_REPORT_BYTES = 1024 * 1024


class OwnAgent(BaseModel):
    """A brought agent: `cmd:` with `argv` (the program first) or `py:` with `module` and `function`."""

    spec: str
    argv: list[str] = []
    module: str = ""
    function: str = ""

    @property
    def name(self) -> str:
        return self.spec

    def solve(
        self,
        task: Task,
        run_dir: Path,
        capsule_dir: Path,
        sandbox: Sandbox,
        limits: AgentLimits,
        model: Model | None = None,
        files: WorkspaceFiles | None = None,
    ) -> AgentResult:
        """Run the agent; `files` is the backend session's view of the workspace (None: `capsule_dir` on
        this host)."""
        started = time.monotonic()
        files = files or HostFiles(capsule_dir)
        if model is None:
            outcome = self._run(task, capsule_dir, sandbox, limits, None, files)
            steps, cost = 0, 0.0
        else:
            socket = None
            if self.argv:
                # The sandbox has no network: the proxy listens on a socket in the capsule instead, which
                # the forwarder (`reproducer.agent.forward`) opens on the sandbox's own loopback.
                (capsule_dir / AGENT_FOLDER).mkdir(parents=True, exist_ok=True)
                socket = capsule_dir / AGENT_FOLDER / SOCKET
            with ModelProxy(model, limits.dollars, run_dir, socket) as proxy:
                outcome = self._run(task, capsule_dir, sandbox, limits, proxy.described(), files)
            steps, cost = proxy.calls, proxy.spent_usd
            if proxy.refused and not isinstance(outcome, Submitted):
                outcome = CostLimit(cost_usd=cost, limit_usd=limits.dollars)
        answers = outcome.answers if isinstance(outcome, Submitted) else None
        seconds = round(time.monotonic() - started, 3)
        return AgentResult(
            outcome=outcome, answers=answers, steps=steps, cost_usd=round(cost, 6), seconds=seconds
        )

    def _run(
        self,
        task: Task,
        capsule_dir: Path,
        sandbox: Sandbox,
        limits: AgentLimits,
        proxied: ProxiedModel | None,
        files: WorkspaceFiles,
    ) -> Outcome:
        if self.argv:
            return _run_command(self.argv, task, capsule_dir, sandbox, limits, files, proxied)
        extra: dict[str, Any] = {"files": files} | ({"model": proxied} if proxied is not None else {})
        return _call_function(self._load(), task, capsule_dir, sandbox, extra)

    def _load(self) -> Any:
        try:
            found = getattr(importlib.import_module(self.module), self.function)
        except (ImportError, AttributeError) as error:
            raise BadInput(
                f"--agent {self.spec}: cannot load {self.module}.{self.function} ({error})"
            ) from None
        if not callable(found):
            raise BadInput(f"--agent {self.spec}: {self.module}.{self.function} is not a function")
        return found


def parse_own_agent(text: str) -> OwnAgent | None:
    """The brought agent `text` names, checked now (the program exists, the function loads); None when it
    names none of ours (`offline`, `claude`)."""
    if text.startswith(COMMAND_PREFIX):
        argv = shlex.split(text.removeprefix(COMMAND_PREFIX))
        if not argv or not Path(argv[0]).is_file():
            raise BadInput(f"--agent {text!r}: no program at {argv[0] if argv else '(nothing)'}")
        argv[0] = str(Path(argv[0]).resolve())
        return OwnAgent(spec=text, argv=argv)
    if text.startswith(FUNCTION_PREFIX):
        module, colon, function = text.removeprefix(FUNCTION_PREFIX).rpartition(":")
        if not colon or not module or not function:
            raise BadInput(f"--agent {text!r}: write py:MODULE:FUNCTION, e.g. py:my_agent:solve")
        agent = OwnAgent(spec=text, module=module, function=function)
        agent._load()
        return agent
    return None


def _run_command(
    argv: list[str],
    task: Task,
    capsule_dir: Path,
    sandbox: Sandbox,
    limits: AgentLimits,
    files: WorkspaceFiles,
    proxied: ProxiedModel | None = None,
) -> Outcome:
    program = Path(argv[0])
    copied = capsule_dir / AGENT_FOLDER / program.name
    copied.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(program, copied)
    (capsule_dir / TASK_PROMPT_FILE).write_text(task_text(task), encoding="utf-8")
    (capsule_dir / REPORT_FILE).unlink(missing_ok=True)  # only the agent's own report counts
    command = shlex.join([f"./{AGENT_FOLDER}/{program.name}", *argv[1:]])
    if proxied is not None:
        forwarder = capsule_dir / AGENT_FOLDER / FORWARDER
        forwarder.write_bytes(resources.files("reproducer.agent").joinpath(FORWARDER).read_bytes())
        socket = f"{AGENT_FOLDER}/{SOCKET}"
        inner = shlex.join([f"{AGENT_FOLDER}/{FORWARDER}", socket, proxied.api, proxied.model, "--"])
        # The sandbox's own python3 runs the forwarder: the system's first (a capsule's environment,
        # first on PATH, may be Python 2).
        find = "py=$(command -v /usr/bin/python3 || command -v python3) || "
        missing = shlex.quote("no python3 in the sandbox to run the model proxy's forwarder")
        command = f'{find}{{ echo {missing} >&2; exit 127; }}; "$py" {inner} {command}'
    try:
        result = sandbox.exec(command, timeout=limits.wall_seconds, log_name=LOG_NAME)
    finally:
        shutil.rmtree(capsule_dir / AGENT_FOLDER, ignore_errors=True)
    if result.status == "timeout":
        return TimeLimit(seconds=result.wall_seconds, limit_seconds=limits.wall_seconds)
    answers = _report(files)
    if isinstance(answers, str):
        status = f"exit code {result.exit_code}" if result.exit_code else result.status
        return NoReport(detail=f"{answers} (the program ended: {status}; logs: {result.stderr_path})")
    return Submitted(answers=answers)


def _call_function(
    function: Any, task: Task, capsule_dir: Path, sandbox: Sandbox, extra: dict[str, Any]
) -> Outcome:
    """`function(task, capsule_dir, sandbox)`, with those of `extra` it names as keyword arguments."""
    try:
        accepted = inspect.signature(function).parameters
    except (TypeError, ValueError):
        accepted = {}  # type: ignore[assignment]  # a builtin without a signature takes no extras
    wanted = {name: value for name, value in extra.items() if name in accepted}
    try:
        answers = function(task, capsule_dir, sandbox, **wanted)
    except Exception as error:  # the user's code: its failure is the run's outcome, not a crash of ours
        return NoReport(detail=f"the function raised {type(error).__name__}: {error}")
    if not isinstance(answers, dict):
        return NoReport(detail=f"the function returned {type(answers).__name__}, not a dict of answers")
    return Submitted(answers={str(question): value for question, value in answers.items()})


def _report(files: WorkspaceFiles) -> dict[str, Any] | str:
    """The answers in the agent's report.json, or why there are none."""
    try:
        data = json.loads(files.read(REPORT_FILE, MAX_REPORT_BYTES))
    except FileNotFoundError:
        return f"no {REPORT_FILE} was left"
    except Refused as refused:
        return f"{REPORT_FILE} was not read: {refused}"
    except (OSError, ValueError) as error:
        return f"{REPORT_FILE} is not JSON ({error})"
    if not isinstance(data, dict):
        return f"{REPORT_FILE} holds a {type(data).__name__}, not an object of answers by question"
    return data


def task_text(task: Task) -> str:
    """The task as the official harness words it: the prompt, then the questions to answer as report.json's
    keys."""
    questions = "\n".join(f"- {question}" for question in task.questions)
    return (
        f"{task.task_prompt}\n\nAnswer these questions. Write report.json in this folder: a JSON object "
        f"whose keys are exactly these questions and whose values are your answers.\n{questions}\n"
    )
