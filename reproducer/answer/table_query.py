"""'The price in Uruguay at the latest date': a table row chosen by a superlative over one of its columns
(and by the names in its key), then the value the question names read from that row.

The tables are rebuilt from the harvested cells (a fact's `row` key and `column`). The step answers only
when the question says clearly what it wants: one superlative followed by a column's name, every word of
the column it reads in the question, and a single value at the chosen row. Anything less is left to the
label matching in `choose`.
"""

import math
import re
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property, lru_cache

from reproducer.answer.index import FactIndex, table_place
from reproducer.answer.model import AnswerChoice, Candidate
from reproducer.answer.scoring import Question
from reproducer.answer.tokens import tokens
from reproducer.answer.vocabulary import FILLER
from reproducer.harvest.fact import Fact
from reproducer.harvest.numbers import parse_number

_HIGHEST = r"latest|most recent|newest|highest|largest|greatest|biggest|maximum"
_LOWEST = r"earliest|oldest|lowest|smallest|minimum"
# "first" and "last" order only by time ("the last date"); "the last epoch's loss" is a log's last line.
_TIMELY = r"(?:first|last)(?=\s+(?:date|day|year|month|week|time))"
_SUPERLATIVE = re.compile(
    rf"\b(?:(?P<high>{_HIGHEST})|(?P<low>{_LOWEST})|(?P<timely>{_TIMELY}))\s+(?P<named>[a-z][\w-]*(?:\s+[a-z][\w-]*)?)",
    re.IGNORECASE,
)
# R's tibbles print each column's type under its name (`date <IDate>`, `price <dbl>`).
_COLUMN_TYPE = re.compile(r"\s*<[A-Za-z.]+>\s*$")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+Z?)?|\d{4}")
# A question word names a key's value that it begins with (`Vietnamese` for `Vietnam`), or that shares
# all but its last letter with it (`Ukrainian` for `Ukraine`); shorter names must match whole.
_MIN_PREFIX = 4
_MIN_SHARED = 5
# Short codes a question spells out (`USD` for "US dollar").
_CODE_LENGTHS = range(3, 5)
# A file's or a section's words name a table less surely than a column's.
_PLACE_WEIGHT = 0.5


@dataclass
class _Row:
    keys: dict[str, str] = field(default_factory=dict)
    cells: dict[str, Fact] = field(default_factory=dict)

    @cached_property
    def key_tokens(self) -> frozenset[str]:
        return frozenset(token for value in self.keys.values() for token in tokens(value))


@dataclass
class _Table:
    file: str
    place: str
    rows: dict[str, _Row] = field(default_factory=dict)
    place_tokens: frozenset[str] = frozenset()

    def columns(self) -> set[str]:
        return {name for row in self.rows.values() for name in (*row.cells, *row.keys)}


@lru_cache(maxsize=4096)
def _column_name(column: str) -> str:
    return _COLUMN_TYPE.sub("", column)


def _tables(facts: Sequence[Fact]) -> list[_Table]:
    tables: dict[tuple[str, str, str], _Table] = {}
    for fact in facts:
        if not fact.column or not fact.row or fact.caveat:
            continue
        row_place = fact.location.rpartition(", column ")[0]
        place = table_place(fact.location)
        table = tables.setdefault(
            (fact.file, place, fact.section),
            _Table(fact.file, place, place_tokens=frozenset(tokens(f"{fact.file} {fact.section}"))),
        )
        row = table.rows.setdefault(row_place, _Row())
        row.cells.setdefault(_column_name(fact.column), fact)
        for part in fact.row.split(", "):
            name, equals, value = part.partition("=")
            if equals:
                row.keys.setdefault(_column_name(name), value)
    return [table for table in tables.values() if len(table.rows) > 1]


_CACHE: "weakref.WeakKeyDictionary[FactIndex, list[_Table]]" = weakref.WeakKeyDictionary()


def _cached_tables(index: FactIndex) -> list[_Table]:
    if index not in _CACHE:
        _CACHE[index] = _tables([item.fact for item in index.facts])
    return _CACHE[index]


def _order_value(text: str | float | int) -> float | None:
    """A number, or a date (`2026-01-01`, `2026-01-01T00:00:00Z`, a year) as a number that sorts alike."""
    if not isinstance(text, str):
        return float(text) if math.isfinite(float(text)) else None
    number = parse_number(text)
    if number is not None:
        return float(number)
    if _DATE.fullmatch(text.strip()):
        stamp = text.strip()
        try:
            return datetime.fromisoformat(stamp if len(stamp) > 4 else f"{stamp}-01-01").timestamp()
        except ValueError:
            return None
    return None


def _spelt_codes(text: str) -> dict[str, frozenset[str]]:
    """Short codes the question spells with a word and the initials of the words after it, each with the
    question's tokens that spell it ("US dollar": `usd`; "mean squared error": `mse`)."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    codes: dict[str, frozenset[str]] = {}
    for start, word in enumerate(words):
        for end in range(start + 2, min(start + 4, len(words)) + 1):
            spelling = words[start:end]
            rest = "".join(later[0] for later in spelling[1:])
            for code in (word + rest, word[0] + rest):
                if len(code) in _CODE_LENGTHS:
                    codes.setdefault(code, frozenset(tokens(" ".join(spelling))))
    return codes


def _names_value(word: str, value: str) -> bool:
    if word == value:
        return True
    shorter, longer = sorted((word, value), key=len)
    if len(shorter) >= _MIN_PREFIX and longer.startswith(shorter):
        return True
    shared = next((k for k, (a, b) in enumerate(zip(word, value, strict=False)) if a != b), len(shorter))
    return shared >= max(_MIN_SHARED, len(shorter) - 1)


@dataclass(frozen=True)
class _Reading:
    score: float
    extreme: float
    table: _Table
    row: _Row
    column: str
    order: str


def _column_tokens(column: str) -> set[str]:
    return set(tokens(column))


def _read(
    table: _Table, question: Question, codes: dict[str, frozenset[str]], named: set[str], highest: bool
) -> _Reading | None:
    """The reading of `table`: the row with the extreme value of the column `named` names, among the rows
    the question's other words name, and the column the question names."""
    asked = set(question.terms)
    words = asked | codes.keys()
    columns = table.columns()
    order_columns = [c for c in columns if (t := _column_tokens(c)) and t <= named | words and t & named]
    if not order_columns:
        return None
    order = max(order_columns, key=lambda c: len(_column_tokens(c) & named))
    wanted = [
        c
        for c in columns
        if c != order and (t := _column_tokens(c) - FILLER) and t <= words and not t <= named
    ]
    # "The temperature on the day with ...": the column named first is the one asked for.
    column = (
        min(wanted, key=lambda c: (_first_named(c, question, codes), -len(_column_tokens(c)), c))
        if wanted
        else order
    )
    # A code the question spells (`usd`) stands for the words spelling it.
    used = {
        spelt
        for token in _column_tokens(order) | _column_tokens(column)
        for spelt in (codes[token] if token in codes and token not in asked else {token})
    }
    # The question's other words that name a row's key (`Uruguay` in `name=Uruguay`).
    key_values = frozenset().union(*(row.key_tokens for row in table.rows.values()))
    named_by = {
        word: {value for value in key_values if _names_value(word, value)}
        for word in asked - used - named - FILLER
        if word.isalpha()
    }
    filters = [word for word, values in named_by.items() if values]
    rows = [row for row in table.rows.values() if all(row.key_tokens & named_by[word] for word in filters)]
    ordered = [(value, row) for row in rows if (value := _row_order(row, order)) is not None]
    if not ordered:
        return None
    extreme = (max if highest else min)(value for value, _ in ordered)
    chosen = [row for value, row in ordered if value == extreme]
    values = {_cell(row, column) for row in chosen}
    if len(values) != 1 or None in values:
        return None  # several rows share the extreme and differ in what is asked: no single answer
    weight = question.terms
    found = sum(weight.get(t, 0.0) for t in used | set(filters)) + _PLACE_WEIGHT * sum(
        weight.get(t, 0.0) for t in table.place_tokens - used
    )
    return _Reading(found, extreme if highest else -extreme, table, chosen[0], column, order)


def _first_named(column: str, question: Question, codes: dict[str, frozenset[str]]) -> int:
    order = list(question.terms)
    spelt = {t for token in _column_tokens(column) for t in codes.get(token, {token})}
    return min((order.index(t) for t in spelt if t in order), default=len(order))


def _row_order(row: _Row, column: str) -> float | None:
    if column in row.keys:
        return _order_value(row.keys[column])
    fact = row.cells.get(column)
    return None if fact is None else _order_value(fact.value)


def _cell(row: _Row, column: str) -> str | float | int | None:
    if column in row.cells:
        return row.cells[column].value
    return row.keys.get(column)


def table_answer(question: Question, index: FactIndex, ranked: Sequence[Candidate]) -> AnswerChoice | None:
    """The answer read from a table row the question selects by a superlative, or None."""
    found = list(_SUPERLATIVE.finditer(question.text))
    if len(found) != 1:
        return None
    match = found[0]
    superlative = (match.group("high") or match.group("low") or match.group("timely")).lower()
    named = set(tokens(match.group("named"))) - FILLER
    # A printed `Latest price: 8.76` names the superlative itself; its direct match is better.
    if not named or (ranked and set(tokens(superlative)) & set(ranked[0].matched)):
        return None
    highest = match.group("low") is None and superlative != "first"
    codes = _spelt_codes(question.text)
    readings = [
        reading
        for table in _cached_tables(index)
        if (reading := _read(table, question, codes, named, highest)) is not None
    ]
    if not readings:
        return None
    best = max(readings, key=lambda r: (round(r.score, 9), r.extreme, -index.file_rank.get(r.table.file, 0)))
    row, column = best.row, best.column
    fact = row.cells.get(column)
    value = _cell(row, column)
    if value is None:
        return None
    where = fact.provenance if fact else f"{best.table.file} ({best.table.place or 'table'})"
    keys = ", ".join(f"{name}={text}" for name, text in row.keys.items())
    reason = (
        f"table query: the {'highest' if highest else 'lowest'} {best.order!r} among the rows "
        f"named by the question is in row {keys!r}; its {column!r} in {where} is {value!r}"
    )
    return AnswerChoice(
        question=question.text,
        value=value,
        fact=fact,
        score=min(1.0, best.score / question.total) if question.total else 0.0,
        reason=reason,
        matched=sorted(set(question.terms) & (best.table.place_tokens | _column_tokens(column))),
        alternatives=list(ranked[:3]),
    )
