"""`reproducer show RUNDIR`: a run step by step for a person, from its records.

The pipeline's steps and commands (with the tail of a failed command's stderr), the answers (with where
each value came from) and each question's verdict, then, for an agent run, every model call: its text,
the tool calls with their arguments and an excerpt of their output, the tokens and dollars it cost, and
how the run ended.
"""

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.text import Text

from reproducer.errors import BadInput
from reproducer.report.limits import MAX_JSON_BYTES
from reproducer.rundir.layout import (
    ANSWERS_FILE,
    REPORT_FILE,
    SUMMARY_FILE,
    TRAJECTORY_FILE,
    VERDICTS_FILE,
    RunDir,
)
from reproducer.safefs import Refused, open_file, read_inside

DEFAULT_CHARS = 600
RECORDS = (SUMMARY_FILE, ANSWERS_FILE, VERDICTS_FILE, REPORT_FILE, TRAJECTORY_FILE)
STDERR_TAIL_LINES = 20
# Enough of the log's end for STDERR_TAIL_LINES long lines; a log is never read whole.
STDERR_TAIL_BYTES = 16_000


def show(
    run_dir: Annotated[Path, typer.Argument(help="A run directory made by `reproducer run`.")],
    chars: Annotated[
        int, typer.Option(min=40, help="Characters shown of each text and tool output.")
    ] = DEFAULT_CHARS,
) -> None:
    """Print what a run did: its steps, commands, answers and, for an agent run, every model call."""
    records = {name: _read(run_dir / name) for name in RECORDS}
    if not run_dir.is_dir() or not any(records.values()):
        raise BadInput(f"{run_dir}: not a run directory (it has none of {', '.join(RECORDS)})")
    out = Console(highlight=False, soft_wrap=True)
    if records[SUMMARY_FILE]:
        _summary(out, records[SUMMARY_FILE], RunDir(run_dir))
    if records[ANSWERS_FILE]:
        _answers(out, records[ANSWERS_FILE], chars)
    if records[VERDICTS_FILE]:
        _verdicts(out, records[VERDICTS_FILE], chars)
    if records[TRAJECTORY_FILE]:
        _trajectory(out, records[TRAJECTORY_FILE], chars)
    else:
        out.print(Text("\nNo agent trajectory: an offline run.", style="dim"))
    if records[REPORT_FILE] is not None:
        _heading(out, REPORT_FILE)
        out.print(json.dumps(records[REPORT_FILE], indent=2, ensure_ascii=False), markup=False)


def _read(path: Path) -> Any:
    try:
        # Not through a link out of the run directory, not a fifo or a device, and of bounded size.
        return json.loads(read_inside(path.parent, path.name, MAX_JSON_BYTES).decode("utf-8"))
    except FileNotFoundError:
        return None
    except Refused as refused:
        raise BadInput(f"{path}: not read: {refused}") from None
    except (OSError, ValueError) as error:
        raise BadInput(f"{path}: cannot be read as JSON ({error})") from None


def _heading(out: Console, title: str) -> None:
    out.print(Text(f"\n== {title} ==", style="bold"))


def _clip(text: str, chars: int) -> str:
    text = text.strip()
    if len(text) <= chars:
        return text
    head, tail = chars * 2 // 3, chars // 3
    return f"{text[:head]}\n[... {len(text) - head - tail} characters ...]\n{text[-tail:]}"


def _indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line for line in text.splitlines())


def _summary(out: Console, summary: dict[str, Any], run_dir: RunDir) -> None:
    _heading(out, f"run of {summary.get('capsule_id')} ({summary.get('level')}): {summary.get('status')}")
    field, language = summary.get("field") or "not recorded", summary.get("language") or "not recorded"
    out.print(f"  field: {field}; language: {language}", markup=False)
    for step in summary.get("steps", []):
        detail = f" — {step['detail']}" if step.get("detail") else ""
        out.print(
            f"  {step['name']}: {step['status']} ({step.get('seconds', 0):.1f} s){detail}", markup=False
        )
    for command in summary.get("commands", []):
        out.print(
            f"  command `{command['command']}` in {command['cwd']}/: {command['status']}, "
            f"exit {command['exit_code']}, {command['seconds']:.1f} s; logs {command.get('stderr_path')}",
            markup=False,
        )
        if command["status"] not in ("ok", "skipped"):
            tail = _stderr_tail(run_dir, command.get("stderr_path"))
            if tail:
                out.print(f"    end of its stderr:\n{_indent(tail, '    | ')}", markup=False, style="dim")


def _stderr_tail(run_dir: RunDir, recorded: Any) -> str:
    """The last STDERR_TAIL_LINES lines of a command's stderr log, read inside the run directory only."""
    path = run_dir.resolve(recorded) if isinstance(recorded, str) else None
    if path is None:
        return ""
    try:
        root = run_dir.root.resolve()
        with open_file(root, path.resolve().relative_to(root)) as handle:
            size = handle.seek(0, 2)
            handle.seek(max(0, size - STDERR_TAIL_BYTES))
            text = handle.read().decode("utf-8", errors="replace")
    except (OSError, Refused, ValueError):
        return ""
    return "\n".join(text.rstrip("\n").splitlines()[-STDERR_TAIL_LINES:])


def _verdicts(out: Console, verdicts: dict[str, Any], chars: int) -> None:
    official = verdicts.get("official") or {}
    listed = [verdict for verdict in official.get("verdicts", []) if isinstance(verdict, dict)]
    right = sum(bool(verdict.get("correct")) for verdict in listed)
    _heading(out, f"verdicts (official grader): {right} of {len(listed)} correct")
    for verdict in listed:
        correct = bool(verdict.get("correct"))
        mark = Text("  right " if correct else "  WRONG ", style="green" if correct else "bold red")
        out.print(mark + Text(str(verdict.get("question", ""))))
        answer = repr(verdict["answer"]) if verdict.get("answered") else "not answered"
        out.print(f"    expected {_expected(verdict)}; answer {answer}", markup=False)
        out.print(_indent(_clip(str(verdict.get("reason", "")), chars), "    "), markup=False, style="dim")


def _expected(verdict: dict[str, Any]) -> str:
    """A number's expected value as its interval over the recorded runs; a text or a list as it is."""
    lower, upper = verdict.get("lower"), verdict.get("upper")
    if isinstance(lower, int | float) and isinstance(upper, int | float):
        return repr(lower) if lower == upper else f"{lower!r} to {upper!r}"
    return repr(verdict.get("expected"))


def _answers(out: Console, answers: dict[str, Any], chars: int) -> None:
    _heading(out, f"offline answers ({answers.get('answered', 0)} answered)")
    for choice in answers.get("answers", []):
        out.print(f"  {choice['question']}", markup=False)
        fact = choice.get("fact")
        where = f" from {fact['file']} ({fact['location']})" if fact else ""
        value = "none" if choice.get("value") is None else repr(choice["value"])
        out.print(f"    -> {value}{where}", markup=False)
        out.print(_indent(_clip(str(choice.get("reason", "")), chars), "       "), markup=False, style="dim")


def _trajectory(out: Console, trajectory: dict[str, Any], chars: int) -> None:
    totals = trajectory.get("totals", {})
    _heading(
        out,
        f"agent: {trajectory.get('model')}, {totals.get('steps', 0)} calls, ${totals.get('cost_usd', 0):.4f}",
    )
    for step in trajectory.get("steps", []):
        usage = step.get("usage", {})
        tokens = ", ".join(
            f"{name.removesuffix('_tokens')} {count}" for name, count in usage.items() if count
        )
        took, cost = step.get("model_seconds", 0), step.get("cost_usd", 0)
        heading = Text(f"\nstep {step['step']}: {took:.1f} s, ${cost:.4f}", style="bold")
        out.print(heading + Text(f" ({tokens or 'no usage reported'})"))
        if step.get("text"):
            out.print(_indent(_clip(step["text"], chars)), markup=False)
        for call in step.get("tool_calls", []):
            _tool_call(out, call, chars)
        if step.get("format_error"):
            out.print(f"    format error: {step['format_error']}", markup=False, style="yellow")
    outcome = trajectory.get("outcome")
    if outcome is not None:
        out.print(Text(f"\noutcome: {outcome.get('kind')}: {outcome.get('reason')}", style="bold"))
    elif trajectory.get("error"):
        out.print(Text(f"\nended by an error: {trajectory['error']}", style="bold red"))
    else:
        out.print(Text("\nno outcome recorded: the run was stopped or is still going", style="bold yellow"))


def _tool_call(out: Console, call: dict[str, Any], chars: int) -> None:
    arguments = json.dumps(call.get("input"), ensure_ascii=False)
    flag = " ERROR" if call.get("is_error") else ""
    out.print(
        Text(f"  > {call['name']}{flag} ({call.get('seconds', 0):.1f} s) ", style="cyan")
        + Text(_clip(arguments, chars))
    )
    for image in call.get("images", []):
        out.print(f"    [image {image['path']}, {image['width']}x{image['height']} px]", markup=False)
    out.print(_indent(_clip(call.get("output", ""), chars)), markup=False, style="dim")
