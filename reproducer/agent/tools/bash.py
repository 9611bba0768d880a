"""`bash`: one shell command in the sandbox, from the capsule root, with a time limit."""

from pydantic import Field

from reproducer.agent.limits import MAX_COMMAND_TIMEOUT_S
from reproducer.agent.tools.base import Tool, ToolInput, ToolOutput
from reproducer.agent.tools.excerpt import HEAD_CHARS, TAIL_CHARS, file_excerpt
from reproducer.sandbox.base import ExecResult

# The run's wall-time limit never cuts a command's time below this (it could not even start Python).
MIN_TIMEOUT_S = 5.0
MAX_LISTED_CHANGES = 20

DESCRIPTION = """\
Run one bash command in the sandbox ({isolation}) and get its exit status and output.

- Each call is a fresh, non-interactive `bash -c` started in the capsule root (the folder holding \
code/, data/, results/). Nothing carries over between calls: not the working directory, not variables, \
not activated environments. Chain steps in one call: `cd code && python main.py`.
- The capsule's Python environment is already first on PATH (`python`, `pip list` show it).
- There is NO network. Do not try pip/conda/apt/git downloads here; they fail. To add a missing \
{installable} package, call the `install` tool, then run the code again with bash.
- {writable}
- `timeout` is in seconds: default {default:g}, at most {maximum:g}. A command still \
running then is killed with everything it started.
- Jobs longer than that: start them in the background with their output in a file, then poll in later \
calls: `cd code && nohup python train.py > ../train.log 2>&1 &` then `tail -n 20 train.log` (and \
`pgrep -af train.py` to see whether it still runs). {background}
- Output: stdout and stderr are shown separately; a long stream shows its first {head} and last \
{tail} characters with a line counting what was elided. The full output is saved: the result \
gives each file's path, which read_file can page through.
- Do not print huge files; use head, tail, grep, or read_file with an offset."""
INSTALLABLE = {"python": "Python", "r": "R", "system": "system (Debian)"}
WRITABLE_LOCALLY = (
    "Only the capsule folder, $HOME and /tmp are writable; /tmp is small and private to the sandbox."
)
WRITABLE_IN_CONTAINER = (
    "You are an unprivileged user in a container: the capsule folder (also at /capsule) is writable, and "
    "$HOME, /tmp and /var/tmp are small in-memory folders; the rest of the system is read-only to you "
    "(system packages come from the `install` tool)."
)
BACKGROUND = {
    True: "Background jobs survive between calls (until the run ends), but always redirect their output "
    "to a file.",
    False: "Background jobs are killed when the call ends: run everything within one call's timeout.",
}


class BashInput(ToolInput):
    command: str = Field(min_length=1, description="The bash command line (may hold several lines).")
    timeout: float | None = Field(
        default=None,
        gt=0,
        le=MAX_COMMAND_TIMEOUT_S,
        description=f"Seconds before the command is killed (at most {MAX_COMMAND_TIMEOUT_S:g}).",
    )


class Bash(Tool[BashInput]):
    name = "bash"
    description = DESCRIPTION
    Input = BashInput

    def describe(self) -> str:
        default = self.context.limits.command_timeout_s
        backend = self.context.backend()
        return DESCRIPTION.format(
            isolation=backend.isolation,
            installable=" or ".join(INSTALLABLE[kind] for kind in backend.installs) or "Python",
            writable=WRITABLE_IN_CONTAINER if backend.containers else WRITABLE_LOCALLY,
            background=BACKGROUND[backend.background_jobs],
            default=default,
            maximum=MAX_COMMAND_TIMEOUT_S,
            head=HEAD_CHARS,
            tail=TAIL_CHARS,
        )

    def run(self, arguments: BashInput) -> ToolOutput:
        requested = arguments.timeout or self.context.limits.command_timeout_s
        timeout = min(requested, max(MIN_TIMEOUT_S, self.context.seconds_left()))
        self.context.commands_run += 1
        result = self.context.sandbox.exec(
            arguments.command, cwd=".", timeout=timeout, log_name=f"agent-{self.context.commands_run}"
        )
        details = {
            "exit_code": result.exit_code,
            "status": result.status,
            "seconds": result.wall_seconds,
            "stdout_path": str(result.stdout_path),
            "stderr_path": str(result.stderr_path),
            "timeout": timeout,
        }
        # A command that failed is an ordinary result; one the sandbox had to kill is an error.
        killed = result.status not in ("ok", "error")
        return ToolOutput(text=_describe(result, timeout), is_error=killed, details=details)


def _status_line(result: ExecResult, timeout: float) -> str:
    took = f"after {result.wall_seconds:.1f} s"
    if result.status == "timeout":
        return f"killed: still running at the {timeout:g} s timeout; run long jobs in the background ({took})"
    if result.status == "output_limit":
        return f"killed: it printed too much output ({took}); redirect it to a file"
    if result.status == "disk_limit":
        return f"killed: the capsule and home passed their disk cap ({took}); delete files it wrote"
    if result.status in ("killed", "oom"):
        return f"{result.status}: exit code {result.exit_code} ({took})"
    return f"exit code {result.exit_code} ({took})"


def _stream(name: str, total: int, path: object, text: str) -> str:
    if total == 0:
        return f"{name}: (empty)"
    return f"{name} ({total} bytes, saved in {path}):\n{text.rstrip()}"


def _describe(result: ExecResult, timeout: float) -> str:
    parts = [_status_line(result, timeout)]
    parts.append(_stream("stdout", result.stdout_bytes, result.stdout_path, _read(result, "stdout")))
    parts.append(_stream("stderr", result.stderr_bytes, result.stderr_path, _read(result, "stderr")))
    changed = [*result.created, *result.changed]
    if changed:
        more = len(changed) - MAX_LISTED_CHANGES
        listed = ", ".join(changed[:MAX_LISTED_CHANGES]) + (f" and {more} more" if more > 0 else "")
        parts.append(f"files created or changed: {listed}")
    parts += [f"warning: {warning}" for warning in result.warnings]
    return "\n".join(parts)


def _read(result: ExecResult, stream: str) -> str:
    path = result.stdout_path if stream == "stdout" else result.stderr_path
    try:
        return file_excerpt(path, str(path))
    except OSError:  # a backend without local log files: its own excerpt will do
        return result.stdout if stream == "stdout" else result.stderr
