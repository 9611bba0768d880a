"""Read uv's error output: which failure it was, which package, and the lines that say why."""

import re
from dataclasses import dataclass, field, replace

from reproducer.envs.failure import NO_NETWORK, RESOLUTION_FAILED, build_failed, install_failed

MAX_DETAIL_LINES = 12
MAX_LINE_CHARS = 300
NAME = r"([A-Za-z0-9][A-Za-z0-9._-]*)"
NETWORK = re.compile(
    r"dns error|failed to lookup address|tcp connect error|connection refused|network is unreachable"
    r"|client error \(connect\)|error sending request|operation timed out|no route to host"
    r"|network connectivity is disabled",
    re.IGNORECASE,
)
# uv's phrasings for a pin that cannot be installed on this interpreter; the ladder may relax it.
UNUSABLE_PIN = (
    re.compile(rf"Failed to (?:download and )?build `{NAME}(?:==|\s@\s)"),
    re.compile(rf"Because {NAME}==\S+ has no (?:usable )?wheels"),
    re.compile(rf"there is no version of {NAME}(?:\[[^\]]*\])?=="),
    re.compile(rf"and {NAME}==\S+ depends on Python"),
    # With `--only-binary :all:` (the run-time rung): "all versions of X have no usable wheels",
    # "X>=1.7 has no usable wheels".
    re.compile(rf"(?:versions of |Because |and ){NAME}(?:[<>=!~]=?[^\s,]*)? (?:has|have) no usable wheels"),
    # ... and its hint, also where the cause lists the versions one a line ("Because all of: ...").
    re.compile(rf"Wheels are required for `{NAME}` because building from source is disabled"),
)
BUILD = re.compile(rf"Failed to (?:download and )?build `{NAME}")
# Under `--only-binary :all:`, a requirement that only its source gives (a capsule's own folder, a URL).
SOURCE_ONLY = re.compile(rf"Building source distributions is disabled, but attempted to build `{NAME}`")
NOT_FOUND = re.compile(
    rf"Because {NAME} was not found in the (?:package registry|provided package locations)"
)
DOWNLOAD = re.compile(rf"Failed to (?:download|fetch|install) `{NAME}")
DECISIVE = re.compile(r"^\s*(error:|cause:|Caused by:|hint:|Because |And because |× )")
EXCEPTION_LINE = re.compile(r"^\s*(\w+\.)*\w*(Error|Exception|Interrupt)\b.*")


@dataclass(frozen=True)
class Diagnosis:
    """What a failed uv call tells: a label, the package it names, and whether a pin could be relaxed.

    `final`: no later rung can help (an image build that failed outside its Python step, say).
    """

    label: str
    package: str | None = None
    unusable_pins: frozenset[str] = frozenset()
    lines: list[str] = field(default_factory=list)
    final: bool = False
    source_only: frozenset[str] = frozenset()  # to build from their source; no version of the index fits


def canonical(name: str) -> str:
    """A distribution name as PEP 503 compares it."""
    return re.sub(r"[-_.]+", "-", name).lower()


def diagnose(stderr: str, *, resolving: bool) -> Diagnosis:
    """Classify uv's stderr from a resolution (`resolving`) or an install."""
    found = _diagnose(stderr, resolving=resolving)
    source_only = frozenset(canonical(m.group(1)) for m in SOURCE_ONLY.finditer(stderr))
    return replace(found, source_only=source_only) if source_only else found


def _diagnose(stderr: str, *, resolving: bool) -> Diagnosis:
    lines = decisive_lines(stderr)
    unusable = frozenset(canonical(m.group(1)) for pattern in UNUSABLE_PIN for m in pattern.finditer(stderr))
    if NETWORK.search(stderr):
        return Diagnosis(NO_NETWORK, None, unusable, lines)
    if built := BUILD.search(stderr):
        return Diagnosis(build_failed(canonical(built.group(1))), canonical(built.group(1)), unusable, lines)
    named = NOT_FOUND.search(stderr) or next((m for p in UNUSABLE_PIN if (m := p.search(stderr))), None)
    if named:
        return Diagnosis(
            install_failed(canonical(named.group(1))), canonical(named.group(1)), unusable, lines
        )
    if resolving:
        return Diagnosis(RESOLUTION_FAILED, None, unusable, lines)
    downloaded = DOWNLOAD.search(stderr)
    failing = canonical(downloaded.group(1)) if downloaded else None
    return Diagnosis(install_failed(failing), failing, unusable, lines)


def decisive_lines(stderr: str) -> list[str]:
    """uv's own error, cause and hint lines, plus the last exception line of a failed build."""
    raw = [line.rstrip() for line in stderr.splitlines()]
    chosen = [line.strip() for line in raw if DECISIVE.match(line)]
    exceptions = [line.strip() for line in raw if EXCEPTION_LINE.match(line) and not DECISIVE.match(line)]
    if exceptions:
        chosen.insert(min(len(chosen), _first_hint(chosen)), exceptions[-1])
    if not chosen:
        chosen = [line.strip() for line in raw if line.strip()][-3:]
    return [line[:MAX_LINE_CHARS] for line in dict.fromkeys(chosen)][:MAX_DETAIL_LINES]


def _first_hint(lines: list[str]) -> int:
    return next((i for i, line in enumerate(lines) if line.startswith("hint:")), len(lines))
