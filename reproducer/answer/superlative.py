"""'Which model has the best F1?': compare a table column and answer with the winning row's name."""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reproducer.answer.index import FactIndex, IndexedFact
from reproducer.answer.scoring import Question
from reproducer.answer.tokens import tokens
from reproducer.answer.vocabulary import FILLER, words
from reproducer.harvest.fact import Fact
from reproducer.harvest.numbers import parse_number

_HIGHEST = words("highest best largest greatest maximum max top most higher larger better biggest longest")
_LOWEST = words("lowest smallest minimum min least fewest worst lower smaller worse shortest")
# For these, "best" means the smallest value.
_LOWER_IS_BETTER = words("loss error rmse mse mae mape pvalue time runtime se std")
_WORST = frozenset({"worst", "worse"})


@dataclass(frozen=True)
class Winner:
    value: str | float | int
    item: IndexedFact
    score: float
    matched: tuple[str, ...]
    direction: str


def _direction(words: set[str], column: set[str]) -> str | None:
    if not words & (_HIGHEST | _LOWEST):
        return None
    lowest = bool(words & _LOWEST)
    if words & {"best", "better", "worst", "worse"} and column & _LOWER_IS_BETTER:
        lowest = not bool(words & _WORST)
    return "lowest" if lowest else "highest"


def _row_name(row: str, question: Question) -> str:
    """The part of a row key the question asks for (`model=rf` when it says model), else the first part."""
    parts = [part.partition("=") for part in row.split(", ")]
    for name, equals, value in parts:
        if equals and set(tokens(name)) & question.terms.keys():
            return value
    name, equals, value = parts[0]
    return value if equals else name


def _row_place(fact: Fact) -> tuple[str, str]:
    return fact.file, fact.location.rpartition(", column ")[0]


def _named_cell(
    chosen: IndexedFact, question: Question, index: FactIndex, compared: set[str]
) -> IndexedFact | None:
    """ "Which gamma has the best score?": the winning row's cell under the column the question names
    (`param_gamma`), when the row's name is only a number such as pandas' index."""
    place = _row_place(chosen.fact)
    wanted = question.terms.keys() - compared - FILLER
    for item in index.facts:
        fact = item.fact
        same_row = fact.column and fact.column != chosen.fact.column and _row_place(fact) == place
        if same_row and set(tokens(fact.column)) & wanted:
            return item
    return None


def superlative(question: Question, index: FactIndex, candidates: Sequence[IndexedFact]) -> Winner | None:
    """The row with the highest (or lowest) value in the table column the question names, if any."""
    words = set(re.findall(r"[a-z]+", question.text.lower()))
    terms = {token: weight for token, weight in question.terms.items() if token not in _HIGHEST | _LOWEST}
    total = sum(terms.values())
    columns: dict[tuple[str, str], list[IndexedFact]] = {}
    for item in candidates:
        fact = item.fact
        if fact.column and fact.row and not isinstance(fact.value, str):
            columns.setdefault((fact.file, fact.column), []).append(item)
    best: tuple[float, tuple[str, ...], list[IndexedFact]] | None = None
    for (_, column), items in columns.items():
        column_tokens = set(tokens(column))
        hits = tuple(token for token in terms if token in column_tokens and token not in FILLER)
        if not hits or total <= 0:
            continue
        row_names = {token for item in items for token in item.soft}
        found = sum(terms[token] for token in terms if token in column_tokens or token in row_names)
        if best is None or found / total > best[0]:
            best = (found / total, hits, items)
    if best is None:
        return None
    found_score, hits, items = best
    direction = _direction(words, set(hits))
    if direction is None:
        return None

    def key(item: IndexedFact) -> float:
        value = item.fact.value
        return float(value) if not isinstance(value, str) else 0.0

    chosen = (max if direction == "highest" else min)(items, key=key)
    name = _row_name(chosen.fact.row, question)
    number = parse_number(name)
    if number is not None or name.startswith(("row ", "line ")):
        named = _named_cell(chosen, question, index, set(hits))
        if named is not None:
            return Winner(named.fact.value, chosen, found_score, hits, direction)
    # `alpha=0.10` names its row with a number: the answer is that number, as a value fact would give it.
    return Winner(name if number is None else number, chosen, found_score, hits, direction)
