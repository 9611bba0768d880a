"""requirements.txt files: specs, `-r` includes (followed), `-e`/local installs (setup commands), options."""

import re

from reproducer.plan.capsule import Capsule, parent
from reproducer.plan.findings import Findings
from reproducer.plan.limits import MAX_INCLUDE_DEPTH
from reproducer.plan.model import Decision, Evidence, Requirement
from reproducer.plan.parse.pep508 import as_requirement
from reproducer.plan.readers.paths import local_directory, resolve
from reproducer.plan.text import LineIndex, split_lines

_COMMENT = re.compile(r"(^|\s)#.*$")
_OPTION = re.compile(r"^(-[a-zA-Z]|--[\w-]+)(?:[=\s]+(.*))?$")
_INCLUDE = frozenset({"-r", "--requirement"})
_EDITABLE = frozenset({"-e", "--editable"})
# Per-requirement options (`--hash=...`) that follow a spec on its line.
_TRAILING_OPTION = re.compile(r"\s+--[\w-]+(=\S+)?")


def logical_lines(text: str) -> list[tuple[int, str]]:
    """(1-based line, text) of each non-empty line, comments removed and `\\` continuations joined."""
    result: list[tuple[int, str]] = []
    pending: tuple[int, str] | None = None
    for number, raw in enumerate(split_lines(text), start=1):
        line = _COMMENT.sub("", raw).rstrip()
        first, sofar = pending or (number, "")
        if line.endswith("\\"):
            pending = (first, sofar + line[:-1] + " ")
            continue
        pending = None
        joined = (sofar + line).strip()
        if joined:
            result.append((first, joined))
    return result


def read_requirements_file(capsule: Capsule, path: str, into: Findings, chain: tuple[str, ...] = ()) -> None:
    """Adds what requirements file `path` declares to `into`, following `-r` includes (`chain`: includers)."""
    text = capsule.read_text(path)
    if text is None:
        into.warnings.append(f"{path}: missing or not a text file")
        return
    index = LineIndex(text)
    for line, content in logical_lines(text):
        evidence = capsule.evidence(path, line, index.line_text(line))
        read_requirement_line(capsule, content, evidence, into, (*chain, path))


def read_requirement_line(
    capsule: Capsule, content: str, evidence: Evidence, into: Findings, chain: tuple[str, ...] = ()
) -> None:
    """Adds one requirements line (a spec, `-r file`, `-e path`, or an option) cited by `evidence`."""
    path = evidence.file
    option = _OPTION.match(content)
    if option is None:
        # Quotes are not pip syntax here, but people copy them over from shell commands; a marker's
        # own quotes (`; sys_platform == "win32"`) stay.
        spec = _unquoted(_TRAILING_OPTION.sub("", content).strip())
        _add_spec(capsule, path, spec, evidence, into)
    elif option.group(1) in _INCLUDE and option.group(2):
        _include(capsule, path, option.group(2).strip(), into, chain or (path,), str(evidence))
    elif option.group(1) in _EDITABLE and option.group(2):
        _add_spec(capsule, path, option.group(2).strip(), evidence, into, editable=True)
    else:
        into.warnings.append(f"{evidence}: pip option `{content}` ignored (the plan lists packages only)")


def _unquoted(spec: str) -> str:
    quoted = len(spec) > 1 and spec[0] == spec[-1] and spec[0] in "'\""
    return spec[1:-1].strip() if quoted else spec


def _add_spec(
    capsule: Capsule, path: str, spec: str, evidence: Evidence, into: Findings, editable: bool = False
) -> None:
    requirement = as_requirement(spec)
    if requirement is not None:
        into.python_requirements.append(Requirement(spec=requirement, evidence=evidence))
        return
    directory = local_directory(capsule, spec, parent(path))
    if directory is None:
        into.warnings.append(f"{evidence}: `{spec}` is neither a package nor a directory of the capsule")
        return
    flag = "-e " if editable else ""
    command = f"pip install {flag}{directory}"
    into.setup_commands.append(Decision(value=command, evidence=evidence))


def _include(
    capsule: Capsule, path: str, named: str, into: Findings, chain: tuple[str, ...], where: str
) -> None:
    included = resolve(capsule, named, parent(path))
    if included is None:
        into.warnings.append(f"{where}: included file `{named}` not found in the capsule")
    elif included in chain:
        into.warnings.append(f"{where}: `{named}` includes itself; not read again")
    elif len(chain) > MAX_INCLUDE_DEPTH:
        into.warnings.append(f"{where}: includes nested deeper than {MAX_INCLUDE_DEPTH}; `{named}` not read")
    else:
        read_requirements_file(capsule, included, into, chain)
