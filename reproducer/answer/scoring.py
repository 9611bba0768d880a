"""How well a fact answers a question: the share of the question's (idf-weighted) words the fact's label
covers, nudged towards labels the question covers whole and towards the kind of value asked for."""

import difflib
import re
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Literal

from reproducer.answer.index import FactIndex, IndexedFact
from reproducer.answer.notation import counted, described_words, glued_terms, ordinal_suffix, spelt_symbols
from reproducer.answer.tokens import tokens
from reproducer.answer.vocabulary import FILLER
from reproducer.harvest.fact import Fact

Kind = Literal["number", "integer", "percent", "string"]

# A word in a row key's `name=` part, or only in the context line, counts for less than one in the label.
SOFT_WEIGHT = 0.8
CONTEXT_WEIGHT = 0.4
FILLER_WEIGHT = 0.3
# A question word no fact has at all is probably phrasing ("after the ten verifications"); it still counts,
# so that a question about something absent does not get a confident answer.
ABSENT_TOKEN_FACTOR = 0.6
# How much the share of the label the question covers matters (0: not at all, 1: as much as recall).
COVERAGE_WEIGHT = 0.3
# A model's formula identifies it: of several models' tables, a question naming some variables fits the
# model with no others best ("mpg on transmission alone" is `mpg ~ am`, not `mpg ~ wt * am + qsec`). At
# most this share of the score goes for the formula's variables the question leaves out.
FORMULA_WEIGHT = 0.2
# A number when a name was asked for (or the reverse) is rarely right.
KIND_MISMATCH_FACTOR = 0.5
# A fraction when a count or a day was asked for, or a bare number when a percentage was, is less likely:
# enough to decide between two labels that fit equally (`Peak day` and `Peak infected`), not more.
NUMBER_MISMATCH_FACTOR = 0.85
# A cell of a table whose rows only numbers name (a printed `df.head()`) answers only a question that
# names its row (below the threshold even when its label is all the question says); else its column, section
# and surroundings match every row alike, and the cell is one sample of them.
SAMPLED_ROW_FACTOR = 0.25
# Misspelt question words (`acccuracy`) match a label word this similar.
FUZZY_MIN_LENGTH = 5
FUZZY_CUTOFF = 0.85

# CORE-Bench asks for text as "Report the name of the model ...", "Report which image type ...",
# "Report the label of the green line"; a "which" inside a longer question does not ask for a name.
_ASKS_FOR_TEXT = re.compile(
    r"\bnames? of\b|^\W*(?:report|give|state)?\s*which\b|\bwho\b|\blabel of\b|\baxis label\b"
    r"|^\W*(?:report|give|state)?\s*what (?:method|model|algorithm|classifier|estimator|variable|feature"
    r"|predictor|group|treatment|condition|category|class|type|kind|country|region|gene|species|dataset)\b",
    re.IGNORECASE,
)
# "per day" and "each day" are a rate's unit, not a day asked for.
_ASKS_FOR_INTEGER = re.compile(
    r"\bhow many\b|\bnumber of\b|\bcount of\b"
    r"|(?<!\bper )(?<!\beach )(?<!\bevery )\b(?:day|days|week|year|epoch|iteration|generation)\b",
    re.IGNORECASE,
)
# A mean or a median of counts ("the median of the total number of steps") is no count: it may be 10766.19.
_ASKS_FOR_STATISTIC = re.compile(
    r"\b(?:mean|median|average|averaged|standard deviation|variance|ratio|rate|proportion|share|fraction"
    r"|correlation|coefficient|estimate|statistic)\b",
    re.IGNORECASE,
)
_ASKS_FOR_PERCENT = re.compile(r"\bpercentage\b|\bpercent of\b|\bin percent\b|\bas a percent", re.IGNORECASE)


def expected_kind(question: str) -> Kind:
    """What the question asks for: a name or a label ("string"), a count or a day ("integer"), a
    percentage, else a number. The ground truth is not consulted: an answer must not depend on what it
    will be graded against."""
    if _ASKS_FOR_TEXT.search(question):
        return "string"
    if _ASKS_FOR_PERCENT.search(question):
        return "percent"
    # What the question names first is what it asks for: "the day on which the rate peaks" is a day.
    count, statistic = _ASKS_FOR_INTEGER.search(question), _ASKS_FOR_STATISTIC.search(question)
    if count is None or (statistic is not None and statistic.start() < count.start()):
        return "number"
    return "integer"


def kind_factor(expects: Kind, value: float | int | str, raw: str) -> float:
    """How much the fact's kind of value fits the question's (1 when it fits)."""
    if isinstance(value, str) != (expects == "string"):
        return KIND_MISMATCH_FACTOR
    if expects == "integer" and not isinstance(value, int):
        return NUMBER_MISMATCH_FACTOR
    if expects == "percent" and not raw.endswith("%"):
        return NUMBER_MISMATCH_FACTOR
    return 1.0


@dataclass(frozen=True)
class Question:
    text: str
    terms: dict[str, float]
    expects: Kind
    # (word, number) pairs the question spells (`part 1`, `95 percent` read as (`95`, `percent`) too).
    names: frozenset[tuple[str, str]] = frozenset()
    # Result words gluing two question words (R's `habitaturban`), with the two.
    glued: dict[str, tuple[str, str]] = field(default_factory=dict)
    # The variables of a model formula the question writes out ("in the model mpg ~ wt + am"), and those
    # of them it names only there: they say which model, not which term (`wt` is no answer to it).
    formula: frozenset[str] = frozenset()
    formula_only: frozenset[str] = frozenset()

    @property
    def total(self) -> float:
        return sum(self.terms.values())


def _nearest(token: str, index: FactIndex) -> str:
    if index.known(token) or len(token) < FUZZY_MIN_LENGTH or not token.isalpha():
        return token
    close = difflib.get_close_matches(token, index.words, n=1, cutoff=FUZZY_CUTOFF)
    return close[0] if close else token


def _joined(words: tuple[str, ...], index: FactIndex, counts: frozenset[str] = frozenset()) -> list[str]:
    """`session 1` is `s1` or `session1` where the labels spell it so (`rt_s1`) and never `session`; a
    count (`counts`, the numbers the question's ordinals gave) joins the word after it the same way
    ("the 2 session" is `s2`), or is spelt `2nd` where the labels do."""
    joined: list[str] = []
    position = 0
    while position < len(words):
        word = words[position]
        after = words[position + 1] if position + 1 < len(words) else ""
        if word.isalpha() and after.isdigit() and not index.known(word):
            spelt = next((form for form in (word + after, word[0] + after) if index.known(form)), None)
            if spelt is not None:
                joined.append(spelt)
                position += 2
                continue
        if word in counts and after.isalpha():
            spelt = next((form for form in (after + word, after[0] + word) if index.known(form)), None)
            if spelt is not None:
                joined.append(spelt)
                position += 2
                continue
        if word in counts and not index.known(word) and index.known(nth := word + ordinal_suffix(int(word))):
            word = nth
        joined.append(word)
        position += 1
    return joined


# A formula written in a question runs from its response to a comma, a question mark or the final stop.
_QUESTION_FORMULA = re.compile(r"[\w.]+\s*~\s*[A-Za-z.(][^,;?]*?(?=[,;?]|\.\s|\.?\s*$)")


def prepare(question: str, index: FactIndex) -> Question:
    terms: dict[str, float] = {}
    text = counted(question)
    counts = frozenset(set(tokens(text)) - set(tokens(question)))
    joined = [_nearest(token, index) for token in _joined(tokens(text), index, counts)]
    described = described_words(joined, index.idf)
    for token in joined:
        weight = index.weight(token) if index.known(token) else index.max_idf * ABSENT_TOKEN_FACTOR
        terms[token] = weight * (FILLER_WEIGHT if token in FILLER or token in described else 1.0)
    words = tokens(text)
    names = {pair for first, second in pairwise(words) for pair in ((first, second), (second, first))}
    glued = glued_terms(terms, index.words, index.reversed_words, index.variables)
    written = _QUESTION_FORMULA.search(question)
    formula = frozenset(tokens(written.group())) if written else frozenset()
    rest = set(tokens(question[: written.start()] + question[written.end() :])) if written else set()
    return Question(
        question, terms, expected_kind(question), frozenset(names), glued, formula, formula - rest
    )


def echoes(question: Question, fact: Fact) -> bool:
    """Whether the fact's value is a number the question itself names with the label's word next to it:
    in "flagged by either Part 1 or Part 2", prose printing `... flagged by either Part 1` gives `1`
    labelled `... Part`, which is the question's own wording, not its answer."""
    if isinstance(fact.value, str) or not question.names:
        return False
    label, value = tokens(fact.label), tokens(fact.raw)
    return bool(label) and len(value) == 1 and (label[-1], value[0]) in question.names


def _unglued(strong: frozenset[str], question: Question) -> frozenset[str]:
    """The label's words with each glued one (`habitaturban`) read as its parts."""
    glued = strong & question.glued.keys() if question.glued else set()
    return (strong - glued) | {part for word in glued for part in question.glued[word]}


@dataclass(frozen=True)
class Match:
    score: float
    matched: tuple[str, ...]


def _label_weight(token: str, index: FactIndex) -> float:
    return index.weight(token) * (FILLER_WEIGHT if token in FILLER else 1.0)


def score(question: Question, item: IndexedFact, index: FactIndex) -> Match | None:
    """The fact's score in [0, 1], or None when no word of its label (or row key) is in the question."""
    strong = _unglued(item.strong, question)
    if not question.terms or not (question.terms.keys() & (strong | item.soft)):
        return None
    if echoes(question, item.fact):
        return None
    spelt = spelt_symbols(item.symbols, list(question.terms), strong | item.soft) if item.symbols else {}
    # A subscripted letter stands for the question's word: the label is read with that word in its place.
    strong = (strong - set(spelt.values())) | spelt.keys()
    found, matched = 0.0, []
    for token, weight in question.terms.items():
        if token in strong and token not in question.formula_only:
            found += weight
        elif token in item.soft:
            found += weight * SOFT_WEIGHT
        elif token in item.context:
            found += weight * CONTEXT_WEIGHT
        else:
            continue
        matched.append(token)
    label = sum(_label_weight(token, index) for token in strong)
    covered = sum(
        _label_weight(token, index)
        for token in strong
        if token in question.terms and token not in question.formula_only
    )
    coverage = covered / label if label else 0.0
    value = found / question.total * (1 - COVERAGE_WEIGHT + COVERAGE_WEIGHT * coverage)
    value *= kind_factor(question.expects, item.fact.value, item.fact.raw)
    value *= _formula_factor(question, item, index)
    if item.sampled and not _names_row(question, item):
        value *= SAMPLED_ROW_FACTOR
    return Match(value, tuple(matched))


def _names_row(question: Question, item: IndexedFact) -> bool:
    """Whether the question names a numbered row: its number, or a number in the row's other cells."""
    numbers = {token for token in question.terms if token[:1].isdigit()}
    return bool(numbers & (item.soft | item.context | set(tokens(item.fact.row))))


def _formula_factor(question: Question, item: IndexedFact, index: FactIndex) -> float:
    """Less for each variable of the fact's model formula the question does not name (idf-weighted)."""
    if not item.formula:
        return 1.0
    if question.formula:
        # The question writes the formula out: the variables either has and the other lacks count.
        union = item.formula | question.formula
        differ = item.formula ^ question.formula
        return 1 - FORMULA_WEIGHT * sum(map(index.weight, differ)) / sum(map(index.weight, union))
    named = question.terms.keys() | {part for word in question.glued.values() for part in word}
    total = sum(index.weight(token) for token in item.formula)
    left_out = sum(index.weight(token) for token in item.formula if token not in named)
    return 1 - FORMULA_WEIGHT * left_out / total if total else 1.0
