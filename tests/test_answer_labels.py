"""Which of several values printed alike a question asks for: the kind of value it asks for, the sentence and
command that printed a table, the place an ordinal names. (Models and tests told apart by their formula
and title: tests/fixtures/printed/r_models, in test_answer_printed.)"""

from typing import Any

import pytest

from reproducer.answer import answer_questions
from reproducer.answer.scoring import SAMPLED_ROW_FACTOR, expected_kind
from reproducer.answer.tokens import tokens
from reproducer.harvest.delimited import delimited_facts
from reproducer.harvest.limits import HarvestLimits
from reproducer.harvest.text import text_facts
from reproducer.tasks.model import Task


def facts(text: str, file: str = "report.md") -> list[Any]:
    return text_facts(text, file=file, limits=HarvestLimits())


def answer(question: str, found: list[Any]) -> Any:
    task = Task(capsule_id="capsule-0000001", task_prompt="t", questions=[question])
    [choice] = answer_questions(task, found)
    return choice


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Report the median of the total number of steps taken per day.", "number"),
        ("Report the mean number of visits each day.", "number"),
        ("Report the day on which the infection rate peaks.", "integer"),
        ("Report the number of participants.", "integer"),
        ("How many patients were enrolled?", "integer"),
    ],
)
def test_a_statistic_of_counts_and_a_rate_per_day_are_not_counts(question: str, kind: str) -> None:
    assert expected_kind(question) == kind


def test_a_median_of_counts_may_have_decimals() -> None:
    found = facts(
        "## Total number of readings per day\n\n> median(daily$total, na.rm = TRUE)\n[1] 10400\n\n"
        "## Missing readings imputed\n\n> median(filled$total)\n[1] 10410.5\n"
    )
    question = "Report the median of the total number of readings per day after imputing missing readings."
    assert answer(question, found).value == 10410.5


KNITR_MD = """## Activity

```r
head(by_slot)
```

```
## # A tibble: 3 × 2
##    slot   mean
##   <int>  <dbl>
## 1     0  1.72
## 2     5  0.340
## 3    10  0.132
```

Find the 5-minute slot with the largest number of visits on average over all days.

```r
by_slot[which.max(by_slot$mean), 1]
```

```
## # A tibble: 1 × 1
##    slot
##   <int>
## 1   835
```
"""


def test_the_sentence_and_command_before_a_printed_table_say_what_it_holds() -> None:
    found = facts(KNITR_MD)
    [busiest] = [fact for fact in found if fact.raw == "835"]
    assert "largest number of visits" in busiest.context and "which.max" in busiest.context
    # The fence's language (`r`) and the tibble's types (`<int>`) are no prose describing the output.
    assert not any(fact.context.startswith(("r |", "int |")) for fact in found)
    question = "Report the 5-minute slot that contains the maximum number of visits on average."
    assert answer(question, found).value == 835


def test_a_number_in_a_command_is_not_a_row_key() -> None:
    found = facts(
        "```r\nframe[3:6, c('day', 'wind')]\n```\n\n```\n##   day wind\n## 3   5 14.3\n## 4   6 14.9\n```\n"
    )
    assert answer("Report the wind on day 6.", found).value == 14.9


def test_ordinals_name_printed_positions_and_numbered_labels() -> None:
    models = facts("Model 1 accuracy: 0.81\nModel 2 accuracy: 0.86\nModel 3 accuracy: 0.79\n", file="out.log")
    assert answer("Report the accuracy of the second model.", models).value == 0.86
    sessions = facts("rt_s1: 512.3\nrt_s2: 498.1\nrt_s3: 470.6\n", file="out.log")
    assert answer("Report the reaction time in the third session.", sessions).value == 470.6
    listed = facts("coefficients: [0.52, 1.27, -0.31]\n", file="out.log")
    assert answer("Report the second coefficient.", listed).value == 1.27
    # A quantile and a half are no places in a list.
    quartiles = facts("first quartile: 2.5\nmedian: 4.0\n", file="out.log")
    assert answer("Report the first quartile.", quartiles).value == 2.5


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("I(tenure ** 2)", ("tenure", "squared")),
        ("np.power(tenure, 2)", ("tenure", "squared")),
        ("I(age^2)", ("age", "squared")),
        ("married:female", ("married", "female", "interaction")),
        ("Two Sample t-test", ("student", "ttest")),
        ("Welch Two Sample t-test", ("welch", "two", "sample", "ttest")),
        ("ttest_ind(a, b, equal_var=False)", ("ttest", "ind", "b", "welch")),
        ("R^2", ("r2",)),
        ("median(daily$total, na.rm = TRUE)", ("median", "daily", "total", "narm")),
        ("ignoring missing values", ("narm",)),
    ],
)
def test_code_spellings_read_as_the_words_a_question_uses(code: str, words: tuple[str, ...]) -> None:
    assert tokens(code) == words


def test_the_squared_term_of_a_python_regression_table() -> None:
    # As pandas prints a frame: the index left-aligned, the values right-aligned under their names.
    table = "table:\n" + "\n".join(
        [
            "                          b      se       t    pval",
            "Intercept            0.2160  0.1027  2.1030  0.0359",
            "tenure               0.0291  0.0068  4.3016  0.0000",
            "np.power(tenure, 2) -0.0005  0.0002 -2.3056  0.0215",
        ]
    )
    question = "Report the p value of the squared tenure term."
    assert answer(question, facts(table, file="out.log")).value == 0.0215


def test_an_echoed_call_labels_its_value_whole() -> None:
    """`median(x, na.rm = TRUE)` is one label: its `=` is an argument's, not a row key's `name=value`."""
    found = facts("> median(daily$total, na.rm = TRUE)\n[1] 10400\n> median(daily$total)\n[1] NA\n")
    assert answer("Report the median of the daily total, ignoring missing values.", found).value == 10400


@pytest.mark.parametrize(
    ("identifier", "words"),
    [
        # A quantity's abbreviation glued to a year reads as its parts; a lone `p` there is a proportion.
        ("n2014", ("count", "2014")),
        ("p2014", ("proportion", "2014")),
        ("pct2016", ("percent", "2016")),
        ("visits2019", ("visit", "2019")),
        ("share of appearances", ("proportion", "appearance")),
        ("diff_in_diff", ("diffindiff",)),
        ("difference-in-differences", ("diffindiff",)),
        # Not years: scores, sessions and models keep their numbers.
        ("f1", ("f1",)),
        ("rt_s1", ("rt", "s1")),
        ("resnet50", ("resnet50",)),
    ],
)
def test_identifiers_read_by_their_parts(identifier: str, words: tuple[str, ...]) -> None:
    assert tokens(identifier) == words


def _head(rows: int) -> list[Any]:
    """A printed `df.head()`: rows named by their numbers only, under a section the question echoes."""
    body = "".join(f"{k}  {40 + 3 * k}  {k % 2}\n" for k in range(rows))
    return facts(f"## Rainfall effect on yield\n\n   yield  wet\n{body}")


def test_a_sampled_row_does_not_answer_on_its_section_words() -> None:
    found = _head(5) + facts("## Estimate\n\nrainfall_effect: 2.75\n", file="estimate.md")
    assert answer("Report the estimated rainfall effect on yield.", found).value == 2.75


def test_a_question_naming_the_row_number_still_reads_a_sampled_row() -> None:
    found = _head(5) + facts("## Estimate\n\nrainfall_effect: 2.75\n", file="estimate.md")
    assert answer("Report the yield in row 3 of the rainfall data.", found).value == 49


def test_a_single_numbered_row_is_no_sample() -> None:
    # pandas' `to_csv()`: a one-row frame's row `0` is the whole table; of two rows, `0` is one of them.
    def table(text: str) -> list[Any]:
        return delimited_facts(text, file="yield.csv", delimiter=",", limits=HarvestLimits())

    one = answer("Report the yield.", table(",yield,wet\n0,40,0\n"))
    two = answer("Report the yield.", table(",yield,wet\n0,40,0\n1,43,1\n"))
    assert one.value == 40 and one.score > 0.5
    assert two.value is None and two.alternatives[0].score == pytest.approx(one.score * SAMPLED_ROW_FACTOR)
