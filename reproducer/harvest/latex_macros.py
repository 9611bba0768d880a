"""Numbers a script writes as LaTeX macros for the paper to typeset (`\\newcommand{\\AggTwentyNEvents}{64}`,
`\\def\\pvalue{0.03}`). The macro's name is the value's only label: it is read as words, split where its
case changes (`Agg Twenty N Events`), with a spelled-out number also given in digits (`Twenty 20`), since
a macro's name cannot hold a digit and its authors spell 20% as `Twenty`."""

import re

from reproducer.harvest.build import clip, make_fact
from reproducer.harvest.fact import Fact

_MACRO = re.compile(
    r"^\s*\\(?:(?:re|provide)?newcommand\*?\s*\{?\\(?P<new>[A-Za-z]+)\}?|def\s*\\(?P<def>[A-Za-z]+))"
    r"\s*\{(?P<value>[^{}]*)\}\s*(?:%.*)?$"
)
_DEFINITION = re.compile(r"^\s*\\(?:(?:re|provide)?newcommand|def)\b")
# Runs of capitals before a capitalised word (`FK` in `FKIrony`), capitalised or lower words, capitals.
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+")
_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen"
)
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety"
NUMBER_WORDS = {
    **{word: value for value, word in enumerate(_UNITS.split())},
    **{word: 10 * value for value, word in enumerate(_TENS.split(), start=2)},
    "hundred": 100,
    "thousand": 1000,
}


def macro_label(name: str) -> str:
    """`AggTwentyNEvents` -> `Agg Twenty 20 N Events`."""
    words = _WORD.findall(name)
    return " ".join(
        f"{word} {NUMBER_WORDS[word.lower()]}" if word.lower() in NUMBER_WORDS else word for word in words
    )


def macro_facts(line: str, *, file: str, location: str) -> list[Fact] | None:
    """The fact a macro definition line holds (none for a macro that takes arguments or holds no value:
    LaTeX, not a result); None when the line defines no macro."""
    if _DEFINITION.match(line) is None:
        return None
    match = _MACRO.match(line)
    if match is None:
        return []
    name = match.group("new") or match.group("def")
    fact = make_fact(
        macro_label(name), match.group("value"), file=file, location=location, context=clip(line)
    )
    return [fact] if fact is not None else []
