"""Facts prepared for matching: each label's tokens split by strength, and idf weights over the labels."""

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from reproducer.answer.notation import subscripted_symbols
from reproducer.answer.tokens import tokens
from reproducer.harvest.fact import Fact


@dataclass(frozen=True)
class IndexedFact:
    """A fact's tokens. `strong`: the label's own words; `soft`: the names in `name=value` row keys (a
    question rarely repeats them) and the section heading; `context`: the surrounding text, less weight
    still."""

    position: int
    fact: Fact
    strong: frozenset[str]
    soft: frozenset[str]
    context: frozenset[str]
    # Subscripted symbols in the label, (letter, subscript word): `v_flat` gives (`v`, `flat`).
    symbols: frozenset[tuple[str, str]] = frozenset()
    # The variables of the model formula the value's section names (`model mpg ~ wt + am`).
    formula: frozenset[str] = frozenset()
    # A cell of a table whose rows are named by their numbers only (pandas' `df.head()`, R's `1`, `2`):
    # one of several rows alike, which its column, section and surroundings cannot tell apart.
    sampled: bool = False


def _parts(label: str) -> list[str]:
    """A label's `, `-separated parts, but a comma inside brackets (`np.power(tenure, 2)`) separates none."""
    parts, depth, start = [], 0, 0
    for position, char in enumerate(label):
        depth += (char in "([{") - (char in ")]}")
        if char == "," and depth <= 0 and label[position + 1 : position + 2] == " ":
            parts.append(label[start:position])
            start = position + 2
    return [*parts, label[start:]]


def _label_tokens(label: str) -> tuple[set[str], set[str]]:
    strong: set[str] = set()
    soft: set[str] = set()
    for part in _parts(label):
        # A row key's `name=value`; an `=` inside brackets is a call's argument (`median(x, na.rm = T)`).
        name, equals, value = part.partition("=")
        if equals and name.count("(") <= name.count(")"):
            soft.update(tokens(name))
            strong.update(tokens(value))
        else:
            strong.update(tokens(part))
    return strong, soft - strong


# Tables name a test statistic by its letter (statsmodels' `F` and `t`, R's `F value`); questions say
# "the F statistic of treatment".
_STATISTIC_COLUMNS = frozenset({"F", "t", "z", "F value", "t value", "z value"})


# The harvest names a section after R's model call: `model mpg ~ wt * am + qsec` (see harvest/text.py).
_FORMULA = re.compile(r"\bmodel ([^,]*~[^,]*)")


def formula_variables(section: str) -> frozenset[str]:
    """The words of the model formula in a section's name (`mpg`, `wt`, `am`, `qsec`), else none."""
    match = _FORMULA.search(section)
    return frozenset(tokens(match.group(1))) if match else frozenset()


_ROW_PART = re.compile(r"(?:^|, )(?:row|line) \d+, column .*$")
_ROW_NUMBER = re.compile(r"(?:(?:row|line) )?\d+")


def table_place(location: str) -> str:
    """Where a table cell's table is (`cell 3, output 1, table 1`), without the cell's row and column."""
    return _ROW_PART.sub("", location)


def numbered_row(fact: Fact) -> bool:
    """Whether a table cell's row is named by its number only (`4`, `row 4`)."""
    return bool(fact.column) and _ROW_NUMBER.fullmatch(fact.row) is not None


def _sampled(facts: Sequence[Fact]) -> set[tuple[str, str, str]]:
    """The table columns (file, table, column) with several rows named by their numbers only."""
    rows: Counter[tuple[str, str, str]] = Counter(
        (fact.file, table_place(fact.location), fact.column) for fact in facts if numbered_row(fact)
    )
    return {column for column, count in rows.items() if count > 1}


def index_fact(position: int, fact: Fact, sampled: bool = False) -> IndexedFact:
    strong, soft = _label_tokens(fact.label)
    if fact.column.strip() in _STATISTIC_COLUMNS:
        strong.add("statistic")
    if fact.row.isdigit() and fact.row in strong:
        # R's and pandas' row numbers (`1`, `2`, ...) place a row; they do not name what it holds.
        strong, soft = strong - {fact.row}, soft | {fact.row}
    # The section heading (`Model 2`) qualifies the label like a row key does.
    soft.update(set(tokens(fact.section)) - strong)
    if fact.raw.endswith("%"):
        soft.add("percent")
    # The fact's own value is in its context line; it must not match a number in the question.
    context = set(tokens(fact.context)) - strong - soft - set(tokens(fact.raw))
    symbols = subscripted_symbols(fact.label)
    formula = formula_variables(fact.section)
    return IndexedFact(
        position, fact, frozenset(strong), frozenset(soft), frozenset(context), symbols, formula, sampled
    )


class FactIndex:
    """All facts, with inverse document frequencies over their labels and contexts."""

    def __init__(self, facts: Sequence[Fact]) -> None:
        sampled = _sampled(facts)
        self.facts = [
            index_fact(position, fact, (fact.file, table_place(fact.location), fact.column) in sampled)
            for position, fact in enumerate(facts)
        ]
        self.file_rank: dict[str, int] = {}
        for fact in facts:
            self.file_rank.setdefault(fact.file, len(self.file_rank))
        # A word's weight is how rarely it appears in this run's labels, so that the word telling two
        # labels apart (`day` in `Peak day` and `Peak infected`) outweighs the word they share; a word
        # found only in context lines is weighed by those.
        in_labels: Counter[str] = Counter()
        in_context: Counter[str] = Counter()
        for item in self.facts:
            in_labels.update(item.strong | item.soft)
            in_context.update(item.context - item.strong - item.soft)
        frequency = Counter({**in_context, **in_labels})
        count = len(self.facts)
        self.idf = {token: math.log((count + 1) / (seen + 1)) + 1 for token, seen in frequency.items()}
        self.max_idf = math.log(count + 1) + 1
        # The words a misspelt question word may be matched to (numbers are never near-misses).
        self.words = sorted(token for token in self.idf if token.isalpha())
        self.reversed_words = sorted(word[::-1] for word in self.words)
        # The variables the results name (table columns, row keys' names), to which R glues a factor's level.
        self.variables = frozenset(
            token
            for fact in facts
            for text in (
                fact.column,
                *(part.partition("=")[0] for part in fact.row.split(", ") if "=" in part),
            )
            for token in tokens(text)
        )

    def weight(self, token: str) -> float:
        return self.idf.get(token, self.max_idf)

    def known(self, token: str) -> bool:
        return token in self.idf
