"""Answering a task's questions from harvested facts, deterministically and without a language model."""

import heapq
from collections.abc import Sequence

from reproducer.answer.index import FactIndex
from reproducer.answer.model import AnswerChoice, Candidate
from reproducer.answer.scoring import Question, prepare, score
from reproducer.answer.superlative import superlative
from reproducer.answer.table_query import table_answer
from reproducer.harvest.fact import Fact
from reproducer.tasks.model import Task, is_vision_question

# Below this score the best fact is more likely a coincidence than the answer: the question is left open.
MIN_SCORE = 0.3
ALTERNATIVES = 3
# Scores equal to this many decimals tie (see `_ranked` for who wins a tie).
_SCORE_DECIMALS = 9


def _ranked(question: Question, index: FactIndex, *, doubtful: bool = False) -> list[Candidate]:
    """The best candidates among the facts with no caveat (or, if `doubtful`, among those with one). Ties
    go to the earlier file (the caller lists results before logs) and, within a file, to the later fact:
    a log that prints a metric every epoch prints the final one last."""
    scored = []
    for item in index.facts:
        if bool(item.fact.caveat) != doubtful:
            continue
        match = score(question, item, index)
        if match is not None:
            key = (-round(match.score, _SCORE_DECIMALS), index.file_rank[item.fact.file], -item.position)
            scored.append((key, match))
    top = heapq.nsmallest(ALTERNATIVES + 1, scored, key=lambda entry: entry[0])
    return [
        Candidate(fact=index.facts[-key[2]].fact, score=-key[0], matched=list(match.matched))
        for key, match in top
    ]


def _decimals(raw: str) -> int | None:
    """How many decimals `raw` prints (None for an exponent or a percentage, whose rounding differs)."""
    text = raw.strip()
    if any(mark in text for mark in "eE%"):
        return None
    return len(text.partition(".")[2])


def _rounded_from(full: Fact, short: Fact) -> bool:
    """Whether `short` is `full` printed with fewer decimals (`-0.07951206` of `-0.0795120629277344`)."""
    if isinstance(full.value, str) or isinstance(short.value, str):
        return False
    places, full_places = _decimals(short.raw), _decimals(full.raw)
    if places is None or full_places is None or full_places <= places:
        return False
    return round(float(full.value), places) == float(short.value)


def _fullest(ranked: list[Candidate]) -> list[Candidate]:
    """The same value under the same label twice, rounded in a printout and in full in a file (a script
    prints a table it also writes, `print(coefs)`): the full one goes first, though the printout's
    surroundings (`Coefficients:`) match a word more."""
    best = ranked[0]
    fuller = [
        other
        for other in ranked[1:]
        if other.fact.label == best.fact.label and _rounded_from(other.fact, best.fact)
    ]
    if not fuller:
        return ranked
    chosen = max(fuller, key=lambda other: _decimals(other.fact.raw) or 0)
    return [chosen, *(other for other in ranked if other is not chosen)]


def _describe(candidate: Candidate) -> str:
    fact = candidate.fact
    return f"{fact.raw!r} labelled {fact.label!r} in {fact.provenance} (score {candidate.score:.3f})"


def _runner_up(chosen: Candidate, others: Sequence[Candidate]) -> str:
    different = [other for other in others if other.fact.value != chosen.fact.value]
    return f"; runner-up with another value: {_describe(different[0])}" if different else ""


def _from_superlative(question: Question, index: FactIndex, ranked: list[Candidate]) -> AnswerChoice | None:
    """For "which model has the best F1": the winning row's name, if it beats every direct match."""
    winner = superlative(question, index, index.facts)
    best = ranked[0].score if ranked else 0.0
    if winner is None or winner.score < MIN_SCORE or winner.score < best:
        return None
    fact = winner.item.fact
    reason = (
        f"the {winner.direction} {fact.column!r} in {fact.provenance} is {fact.raw!r}, in row {fact.row!r}"
    )
    return AnswerChoice(
        question=question.text,
        value=winner.value,
        fact=fact,
        score=winner.score,
        reason=reason,
        matched=list(winner.matched),
        alternatives=ranked[:ALTERNATIVES],
    )


def answer_question(question: str, index: FactIndex) -> AnswerChoice:
    """The best-matching fact's value, or an honest None with the reason."""
    if is_vision_question(question):
        reason = "vision question (it mentions a figure): not answered offline; see the harvest's images"
        return AnswerChoice(question=question, reason=reason)
    if not index.facts:
        return AnswerChoice(question=question, reason="no facts were harvested from the run's outputs")
    prepared = prepare(question, index)
    ranked = _ranked(prepared, index)
    # A traceback's `line 12` or a failed command's output is used only when nothing else answers.
    caveat = ""
    if not ranked or ranked[0].score < MIN_SCORE:
        doubtful = _ranked(prepared, index, doubtful=True)
        if doubtful and doubtful[0].score >= MIN_SCORE:
            ranked, caveat = doubtful, f"; nothing else matched, and this value was {doubtful[0].fact.caveat}"
    if prepared.expects == "string" and (choice := _from_superlative(prepared, index, ranked)):
        return choice
    # "The price in Uruguay at the latest date": a row chosen by a superlative, then a column of it.
    if prepared.expects != "string" and (choice := table_answer(prepared, index, ranked)):
        return choice
    if not ranked:
        return AnswerChoice(question=question, reason="no fact's label shares a word with the question")
    ranked = _fullest(ranked)
    best, others = ranked[0], ranked[1:]
    if best.score < MIN_SCORE:
        reason = f"no good match: the best, {_describe(best)}, is below the threshold {MIN_SCORE}"
        return AnswerChoice(
            question=question, score=best.score, reason=reason, alternatives=ranked[:ALTERNATIVES]
        )
    reason = (
        f"best match: {_describe(best)}, matching {', '.join(best.matched)}{_runner_up(best, others)}{caveat}"
    )
    return AnswerChoice(
        question=question,
        value=best.fact.value,
        fact=best.fact,
        score=best.score,
        reason=reason,
        matched=best.matched,
        alternatives=others,
    )


def answer_questions(task: Task, facts: Sequence[Fact]) -> list[AnswerChoice]:
    """One choice per question of `task`, in the task's order. Vision questions and questions no fact
    matches well (score below MIN_SCORE) are left unanswered, with the reason."""
    index = FactIndex(facts)
    return [answer_question(question, index) for question in task.questions]
