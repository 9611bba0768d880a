"""How results name things that a question spells out in words.

- R names a factor's coefficient by gluing the variable to its level (`habitaturban`, `sexmale`): a
  question says "the urban habitat".
- A subscripted symbol (`v_flat`, `r_turnover`, `T_max`) is a letter standing for a word ("the flat
  rotation velocity", "the turnover radius").
- A question counts where results number ("the second model", "the third session"): `Model 2`, `[3]`,
  `rt_s3`, `2nd`.
- A question describes a symbol before naming it ("the damping rate gamma", "the quality factor Q"): the
  description's words, when no result has them, say what the symbol is rather than which one.
"""

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Sequence

from reproducer.answer.tokens import tokens

# A glued part shorter than this is too likely a coincidence (`rate` + `x`).
_MIN_VARIABLE_CHARS = 3
_MIN_LEVEL_CHARS = 2
# A symbol's word sits this close to its subscript's word in the question ("flat rotation velocity").
_SYMBOL_REACH = 2
_MIN_SPELT_CHARS = 3
_SUBSCRIPTED = re.compile(r"(?<![A-Za-z0-9])([A-Za-z])_([A-Za-z][A-Za-z0-9]*)")
GREEK_LETTERS = frozenset(
    unicodedata.name(chr(code)).split()[-1].lower() for code in range(0x3B1, 0x3CA) if code != 0x3C2
)


def _starting_with(words: Sequence[str], prefix: str) -> Iterable[str]:
    """The words of the sorted `words` that start with `prefix`."""
    for word in words[bisect_left(words, prefix) :]:
        if not word.startswith(prefix):
            return
        yield word


def glued_terms(
    terms: Iterable[str], words: Sequence[str], reversed_words: Sequence[str], variables: frozenset[str]
) -> dict[str, tuple[str, str]]:
    """Result words that glue a question word to another (`habitaturban`: `habitat` + `urban`), with their
    two parts. The other part is a question word too, or a variable the results name (a column header).
    `words` and `reversed_words` are the results' words, sorted as written and spelt backwards."""
    asked = {term for term in terms if term.isalpha()}
    found: dict[str, tuple[str, str]] = {}

    def other_part(part: str) -> bool:
        return part in asked or part in variables

    for term in asked:
        for word in _starting_with(words, term):
            rest = word[len(term) :]
            if len(term) >= _MIN_VARIABLE_CHARS and len(rest) >= _MIN_LEVEL_CHARS and other_part(rest):
                found[word] = (term, rest)
        for backwards in _starting_with(reversed_words, term[::-1]):
            word = backwards[::-1]
            rest = word[: -len(term)]
            if len(rest) >= _MIN_VARIABLE_CHARS and len(term) >= _MIN_LEVEL_CHARS and other_part(rest):
                found[word] = (rest, term)
    return found


def described_words(words: Sequence[str], known: Iterable[str]) -> set[str]:
    """The question words describing a symbol the results name ("damping rate" before `gamma`): the words
    just before a Greek letter's name or a single letter, up to the first the results also have."""
    have = set(known)
    described: set[str] = set()
    for position, word in enumerate(words):
        if word in have and (word in GREEK_LETTERS or (len(word) == 1 and word.isalpha())):
            before = position - 1
            while before >= 0 and words[before] not in have and words[before].isalpha():
                described.add(words[before])
                before -= 1
    return described


def subscripted_symbols(label: str) -> frozenset[tuple[str, str]]:
    """(letter, subscript word) of each subscripted symbol in a label: `v_flat` gives (`v`, `flat`). A letter
    that abbreviates a word of its own (`p_value`, `n_obs`) is not a symbol here."""
    found = set()
    for letter, subscript in _SUBSCRIPTED.findall(label):
        letter_tokens, subscript_tokens = tokens(letter), tokens(subscript)
        if letter_tokens == (letter.lower(),) and subscript_tokens:
            found.add((letter.lower(), subscript_tokens[0]))
    return frozenset(found)


def spelt_symbols(
    symbols: Iterable[tuple[str, str]], terms: Sequence[str], taken: frozenset[str]
) -> dict[str, str]:
    """Question words a label's subscripted letters stand for, each mapped to its letter: "velocity" for the
    `v` of `v_flat` when the question says "flat" within a couple of words of it. `taken`: words the label
    matches already."""
    spelt: dict[str, str] = {}
    for letter, subscript in symbols:
        if letter in terms or subscript not in terms:
            continue
        anchor = terms.index(subscript)
        near = terms[max(0, anchor - _SYMBOL_REACH) : anchor + _SYMBOL_REACH + 1]
        fits = [word for word in near if word.startswith(letter) and len(word) >= _MIN_SPELT_CHARS]
        free = [word for word in fits if word.isalpha() and word not in taken and word not in spelt]
        if free:
            spelt[free[0]] = letter
    return spelt


_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
_SUFFIXES = {1: "st", 2: "nd", 3: "rd"}
# "the second model", "its third element"; not "the first quartile" (a quantile of its own), "the second
# half", "first-order", "the first difference".
_ORDINAL = re.compile(
    r"\b(the|its|their|each|a)\s+(" + "|".join(_ORDINALS) + r"|(?:[1-9]|10)(?:st|nd|rd|th))\b"
    r"(?![-\w]|\s+(?:quartile|half|order|differen|derivative|moment|place))",
    re.IGNORECASE,
)


def ordinal_suffix(number: int) -> str:
    return _SUFFIXES.get(number if number < 20 else number % 10, "th")


def counted(question: str) -> str:
    """The question with its ordinals as numbers (`the second model` is `the 2 model`), which read as the
    positions and numbers results print."""

    def number(match: re.Match[str]) -> str:
        word = match.group(2).lower()
        place = _ORDINALS.index(word) + 1 if word in _ORDINALS else int(word[:-2])
        return f"{match.group(1)} {place}"

    return _ORDINAL.sub(number, question)
