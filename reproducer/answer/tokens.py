"""Tokenising questions and labels the same way: split camelCase and snake_case, lowercase, collapse
phrases, drop stopwords, strip plural s, map abbreviations to one canonical word."""

import re
import unicodedata
from functools import lru_cache

from reproducer.answer.vocabulary import CODE_SPELLINGS, PHRASES, STOPWORDS, SYNONYMS, YEAR_QUANTITIES

# camelCase and acronym boundaries (`HyperETA`, `HTTPServer`), but a plural acronym stays whole (`GEPs`).
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z]{2,})")
_CAMEL_WORD = re.compile(r"[A-Za-z]*[a-z][A-Z][A-Za-z]*|[A-Z]+[A-Z][a-z]{2,}[A-Za-z]*")
_SEPARATOR = r"[\s._\-]*"
_CODE_SPELLINGS = [(re.compile(pattern), replacement) for pattern, replacement in CODE_SPELLINGS]
_PHRASES = [
    (re.compile(r"(?<![a-z0-9])(?:" + pattern.replace(" ", _SEPARATOR) + r")(?![a-z0-9])"), f" {token} ")
    for pattern, token in PHRASES
]
# A number in scientific notation (`1e-3`) is one token, not `1e` and `3`.
_TOKEN = re.compile(r"[0-9]+(?:\.[0-9]+)?(?:e[-+]?[0-9]+)?(?![a-z0-9])|[a-z0-9]+(?:\.[0-9]+)?")
# Plural s is stripped from longer words, but not from these endings (loss, status, analysis).
_KEEP_S = ("ss", "us", "is")
_MIN_STEM_LENGTH = 4


def stem(word: str) -> str:
    if len(word) > _MIN_STEM_LENGTH and word.endswith("ies"):
        return word[:-3] + "y"
    if (
        len(word) >= _MIN_STEM_LENGTH
        and word.endswith("s")
        and not word.endswith(_KEEP_S)
        and word[-2].isalpha()
    ):
        return word[:-1]
    return word


# `5-minute interval`, `10-fold`: a number hyphenated to a word is part of one compound word (`5minute`),
# as the harvest reads it, so it never matches a row numbered 5.
_COMPOUND_NUMBER = re.compile(r"(?<![\w.\-])(\d+)-(?=[a-z])")
_GREEK = re.compile(r"[\u0370-\u03ff]")
# A quantity's abbreviation glued to a year names the quantity in that year (`n2014`, `p2014`, `pct2016`):
# it reads as its two parts. A letter that is a word of its own glued to a year abbreviates a quantity
# (`p` a proportion: a p-value is no yearly figure).
_GLUED_YEAR = re.compile(r"(?<![a-z0-9])([a-z]+)((?:19|20)\d\d)(?![a-z0-9])")


def _unglued_year(match: re.Match[str]) -> str:
    prefix = match.group(1)
    return f" {YEAR_QUANTITIES.get(prefix, prefix)} {match.group(2)} "


def _greek_name(letter: re.Match[str]) -> str:
    """`γ` is `gamma`, `Δ` is `delta`: Unicode names Greek letters `GREEK SMALL LETTER GAMMA`."""
    name = unicodedata.name(letter.group(), "")
    return f" {name.split()[-1].lower()} " if "LETTER" in name else " "


@lru_cache(maxsize=65536)
def tokens(text: str) -> tuple[str, ...]:
    """Canonical content tokens of `text`, in order, repeats kept. A camelCase word gives its parts and
    itself (`HyperETA`: hyper, eta, hypereta) so it matches both `hyper ETA` and `hypereta`. Greek letters
    read as their names and superscripts as digits (`R²` is `R2`, `γ` is `gamma`)."""
    text = _GREEK.sub(_greek_name, unicodedata.normalize("NFKC", text))
    text = text.replace("%", " percent ")
    text = _CAMEL_WORD.sub(lambda word: f"{_CAMEL.sub(' ', word.group())} {word.group()}", text).lower()
    for code, words in _CODE_SPELLINGS:
        text = code.sub(words, text)
    for pattern, token in _PHRASES:
        text = pattern.sub(token, text)
    text = _COMPOUND_NUMBER.sub(r"\1", text)
    text = _GLUED_YEAR.sub(_unglued_year, text)
    found = []
    for word in _TOKEN.findall(text):
        if word in STOPWORDS:
            continue
        word = SYNONYMS.get(stem(word), stem(word))
        if word not in STOPWORDS:
            found.append(word)
    return tuple(found)
