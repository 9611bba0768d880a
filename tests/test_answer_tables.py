"""Questions that select a table row by a superlative ("at the latest date", "the day with the highest
rainfall") and read another column of it, over real CSV files in tests/fixtures/tables."""

from pathlib import Path

import pytest

from reproducer.answer.choose import answer_question
from reproducer.answer.index import FactIndex
from reproducer.harvest import harvest
from reproducer.harvest.delimited import delimited_facts
from reproducer.harvest.html import html_facts
from reproducer.harvest.limits import HarvestLimits
from reproducer.harvest.text import text_facts

FIXTURES = Path(__file__).parent / "fixtures" / "tables"


@pytest.fixture(scope="module")
def index() -> FactIndex:
    found = harvest(FIXTURES, sorted(FIXTURES.iterdir()))
    return FactIndex(found.facts)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # A question asking for a date gets the date, not a number from a row of that date.
        ("Report the most recent survey date in the tea price data.", "2024-03-01"),
        # The row is named by a demonym, the column by a code the question spells ("US dollars": usd).
        ("Report the tea price in US dollars in Chile at the most recent survey date.", 2.61),
        ("Report the Peruvian tea price in local currency at the earliest survey date.", 7.5),
        ("Report the temperature on the day with the highest rainfall.", 17.9),
        ("Report the temperature on the day with the lowest rainfall.", 21.4),
    ],
)
def test_a_row_chosen_by_a_superlative(index: FactIndex, question: str, expected: object) -> None:
    choice = answer_question(question, index)
    assert choice.value == expected, choice.reason
    assert choice.reason.startswith("table query")


def test_several_rows_at_the_extreme_that_differ_give_no_table_answer(index: FactIndex) -> None:
    # Three countries share the latest date: which one's price is meant is not said.
    choice = answer_question("Report the tea price in local currency at the latest survey date.", index)
    assert not choice.reason.startswith("table query")


def test_a_long_table_keeps_its_first_and_last_rows() -> None:
    text = (FIXTURES / "tea-prices.csv").read_text()
    limits = HarvestLimits(max_facts_per_file=20)
    facts = delimited_facts(text, file="tea-prices.csv", delimiter=",", limits=limits)
    rows = {fact.location.partition(",")[0] for fact in facts}
    assert len(facts) <= 20
    assert "row 1" in rows and "row 9" in rows and "row 5" not in rows


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Report the R-squared of the two-way ANOVA model of yield_kg.", 0.412),
        ("Report the R-squared of the two-way ANOVA model of height_cm.", 0.287),
        ("Report the F statistic of fertilizer in the two-way ANOVA of height_cm.", 10.412345),
        ("Report the p value of soil in the two-way ANOVA of yield_kg.", 0.261547),
    ],
)
def test_statsmodels_summaries_name_their_model_for_the_tables_after_them(
    question: str, expected: float
) -> None:
    # The caption printed over each summary and its dependent variable label the summary's values and the
    # anova_lm table printed after it: the same statistic of the same term is printed for three models.
    text = (FIXTURES / "anova-printout.txt").read_text()
    facts = text_facts(text, file="anova-printout.txt", limits=HarvestLimits())
    choice = answer_question(question, FactIndex(facts))
    assert choice.value == expected, choice.reason


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Report the p value of light in the one-way ANOVA in the greenhouse trial.", 0.0843),
        ("Report the p value of light in the two-way ANOVA in the greenhouse trial.", 0.0905),
        ("Report the F statistic of light in the one-way ANOVA in the field trial.", 7.914),
    ],
)
def test_html_tables_are_named_by_the_headings_and_code_comments_above_them(
    question: str, expected: float
) -> None:
    text = (FIXTURES / "anova-report.html").read_text()
    facts = html_facts(text, file="anova-report.html", limits=HarvestLimits())
    sections = {fact.section for fact in facts if fact.column == "F"}
    assert sections == {
        "Greenhouse trial, Performing two-way ANOVA",
        "Greenhouse trial, Performing one-way ANOVA",
        "Field trial, Performing one-way ANOVA",
    }
    choice = answer_question(question, FactIndex(facts))
    assert choice.value == expected, choice.reason
