"""The order kept entry points run in: data flow first, then what the questions need, then as found.

A script that writes a file another reads runs before it; numbered names (01_clean.py, 02_fit.py) keep
their order; commands an instruction file lists keep the written order (the author's), except runs of
one usage line with different values, which are independent. Within those bounds, the entries whose
names or outputs the questions name run first, with whatever they need.
"""

import itertools
import re
from collections.abc import Sequence

from reproducer.plan.entries.found import Found

_FIGURE = re.compile(r"\b(fig(?:ure)?s?|tab(?:le)?s?)\.?\s*(s?\d+[a-z]?)\b", re.IGNORECASE)
_FILE = re.compile(r"\b([\w-]+)\.(csv|tsv|png|pdf|jpe?g|svg|txt|json|html?|xlsx?|rds|rdata|tex|log)\b", re.I)
_WORD = re.compile(r"[a-z]+")
_NUMBERED = re.compile(r"^(\d+)[_\-. ]")
# Words in script names that say nothing about what the script computes.
_GENERIC = frozenset(
    {"main", "run", "runs", "analysis", "analyze", "script", "code", "all", "make", "final", "new", "the"}
)


def _normal(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def question_match(found: Found, questions: Sequence[str]) -> str | None:
    """Why the questions need this entry ("figure 3", "coefficients.csv"), or None."""
    if not questions:
        return None
    text = " ".join(questions)
    name = (found.script or found.entry.command).rpartition("/")[2]
    stem = name.rpartition(".")[0] or name
    outputs = [_normal(o.rpartition(".")[0] or o) for o in found.writes]
    for match in _FIGURE.finditer(text):
        short = match.group(1).lower()[:3] + match.group(2).lower()
        full = ("figure" if short.startswith("fig") else "table") + match.group(2).lower()
        if any(key in n for key in (short, full) for n in [_normal(stem), *outputs]):
            return f"the questions ask about {match.group(0)}"
    for match in _FILE.finditer(text):
        if _normal(match.group(1)) in [_normal(stem), *outputs]:
            return f"the questions name {match.group(0)}"
    words = set(_WORD.findall(text.lower()))
    stem_words = [
        w for w in _WORD.findall(stem.lower().replace("_", " ")) if len(w) >= 3 and w not in _GENERIC
    ]
    if stem_words and all(w in words for w in stem_words):
        return f"the questions mention {' '.join(stem_words)}"
    return None


def _number(found: Found) -> tuple[str, int] | None:
    path = found.script or ""
    numbered = _NUMBERED.match(path.rpartition("/")[2])
    return (path.rpartition("/")[0], int(numbered.group(1))) if numbered else None


def run_order(found: list[Found], questions: Sequence[str], written: bool) -> list[Found]:
    """`found` reordered; `written`: they come from one instruction file, whose order is the author's."""
    count = len(found)
    before: list[set[int]] = [set() for _ in found]  # before[j]: entries that must run before j
    for j, later in enumerate(found):
        for i, earlier in enumerate(found):
            if (
                i != j
                and set(earlier.writes) & set(later.reads)
                and not set(later.writes) & set(earlier.reads)
            ):
                before[j].add(i)
        if written and j > 0:
            # The written order holds, except among runs of one usage line (independent of each other).
            i = j - 1
            while i >= 0 and later.variant_of is not None and found[i].variant_of == later.variant_of:
                i -= 1
            before[j] |= {i} if i >= 0 else set()
    numbered = sorted((n, i) for i, f in enumerate(found) if (n := _number(f)) is not None)
    for (first, i), (second, j) in itertools.pairwise(numbered):
        if first[0] == second[0]:
            before[j].add(i)
    needed = {i for i, f in enumerate(found) if question_match(f, questions)}
    stack = list(needed)
    while stack:
        for i in before[stack.pop()] - needed:
            needed.add(i)
            stack.append(i)
    done: list[int] = []
    remaining = set(range(count))
    while remaining:
        ready = [i for i in remaining if not (before[i] & remaining)] or list(remaining)  # a cycle: as found
        pick = min(ready, key=lambda i: (i not in needed, i))
        done.append(pick)
        remaining.discard(pick)
    return [found[i] for i in done]
