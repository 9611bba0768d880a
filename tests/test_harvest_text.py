"""Plain text and logs: labelled numbers, printed tables, R output, exact values."""

from pathlib import Path

from reproducer.harvest.fact import Fact
from reproducer.harvest.limits import HarvestLimits
from reproducer.harvest.text import text_facts

FIXTURES = Path(__file__).parent / "fixtures" / "outputs"
LIMITS = HarvestLimits()


def facts_of(text: str, limits: HarvestLimits = LIMITS) -> list[Fact]:
    return text_facts(text, file="out.log", limits=limits)


def by_label(facts: list[Fact]) -> dict[str, list[Fact]]:
    found: dict[str, list[Fact]] = {}
    for fact in facts:
        found.setdefault(fact.label, []).append(fact)
    return found


def test_mixed_log_lines_give_labelled_values_with_their_lines() -> None:
    facts = by_label(text_facts((FIXTURES / "run.log").read_text(), file="run.log", limits=LIMITS))
    [test_acc] = facts["test acc"]
    assert (test_acc.value, test_acc.raw, test_acc.location, test_acc.file) == (
        0.91,
        "0.91",
        "line 5",
        "run.log",
    )
    assert facts["AUC"][0].value == 0.87
    [rmse] = facts["RMSE"]
    assert (rmse.raw, rmse.value) == ("1.2e-3", 1.2e-3)
    [best] = facts["Best model"]
    assert (best.value, best.location) == ("random forest", "line 8")
    percent = next(fact for fact in facts["Accuracy: 9850/10000"] if fact.raw == "98%")
    assert percent.value == 98 and isinstance(percent.value, int)
    [income] = facts["mean(df$income)"]
    assert (income.raw, income.location) == ("1.25", "line 21")


def test_the_dates_and_times_of_log_prefixes_are_not_values() -> None:
    facts = facts_of("2024-05-01 10:00:00 INFO started\n")
    assert [fact.raw for fact in facts] == []


def test_printed_classification_report_is_read_as_a_table() -> None:
    facts = by_label(text_facts((FIXTURES / "run.log").read_text(), file="run.log", limits=LIMITS))
    [recall] = facts["macro avg, recall"]
    assert (recall.raw, recall.location, recall.row, recall.column) == (
        "0.91",
        'line 17, column "recall"',
        "macro avg",
        "recall",
    )
    assert facts["weighted avg, support"][0].value == 150
    assert facts["accuracy, f1-score"][0].raw == "0.93"  # the accuracy row's lone value sits under f1-score


def test_lavaan_estimates_keep_their_section_in_the_context() -> None:
    facts = by_label(text_facts((FIXTURES / "run.log").read_text(), file="run.log", limits=LIMITS))
    [estimate] = facts[".Exam1, Estimate"]
    assert estimate.raw == "118.195" and estimate.context.startswith("Variances:")


def test_pandas_frame_with_a_text_column_and_default_index() -> None:
    facts = by_label(
        facts_of("    model  accuracy    f1\n0  logreg      0.91  0.88\n1      rf      0.93  0.90\n")
    )
    assert facts["model=logreg, accuracy"][0].raw == "0.91"
    assert facts["model=rf, f1"][0].location == 'line 3, column "f1"'
    assert [fact.value for fact in facts["model"]] == ["logreg", "rf"]


def test_r_coefficient_table_joins_two_word_headers() -> None:
    text = (
        "            Estimate Std. Error t value Pr(>|t|)    \n"
        "(Intercept)  1.23456    0.12345  10.000   <2e-16 ***\n"
        "age          0.01234    0.00123    2.51   0.0120 *  \n"
    )
    facts = by_label(facts_of(text))
    assert facts["age, Std. Error"][0].raw == "0.00123"
    assert facts["age, t value"][0].raw == "2.51"
    assert facts["age, Pr(>|t|)"][0].value == 0.012


def test_r_summary_cells_name_their_statistic() -> None:
    text = (
        "     income          gender     \n Min.   :0.000   Min.   :0.00  \n Mean   :1.000   Mean   :0.46  \n"
    )
    facts = by_label(facts_of(text))
    assert facts["Mean, gender"][0].raw == "0.46"
    assert facts["Min., income"][0].raw == "0.000"


def test_r_vector_output_takes_the_label_printed_above() -> None:
    facts = facts_of('[1] "Mean gender:"\n[1] 0.46\n')
    assert [(fact.label, fact.raw) for fact in facts] == [("Mean gender", "0.46")]


def test_a_value_without_words_continues_the_label_before_it() -> None:
    facts = facts_of("F1-score after epoch 200: 0.94743\n")
    assert [(fact.label, fact.raw) for fact in facts] == [
        ("F1-score after epoch", "200"),
        ("F1-score after epoch 200", "0.94743"),
    ]


def test_seventeen_significant_digits_survive_bit_exact() -> None:
    raw = "0.12345678901234567"
    [fact] = facts_of(f"Mean error {raw}\n")
    assert fact.raw == raw and fact.value == float(raw) and repr(fact.value) == repr(float(raw))


def test_overlong_lines_and_the_fact_cap_are_respected() -> None:
    limits = HarvestLimits(max_line_chars=50, max_facts_per_file=3)
    assert facts_of("x " * 40 + "accuracy 0.9\n", limits) == []
    many = "".join(f"metric{n}: {n}.5\n" for n in range(10))
    # Past the cap the start and the end are kept: a long log prints its final results last.
    assert [fact.label for fact in facts_of(many, limits)] == ["metric0", "metric1", "metric9"]


def test_tables_drawn_with_pipes_and_dashes() -> None:
    text = (
        "| model  |   accuracy |\n|--------|-----------:|\n"
        "| logreg |       0.91 |\n| rf     |       0.93 |\n\n"
        "+-------+----------+\n| model | accuracy |\n+=======+==========+\n| svm   |     0.87 |\n"
        "+-------+----------+\n| knn   |     0.80 |\n+-------+----------+\n\n"
        "model      accuracy\n-------  ----------\nnb             0.71\nlda            0.75\n"
    )
    facts = {fact.label: (fact.raw, fact.location) for fact in facts_of(text)}
    assert facts["model=rf, accuracy"] == ("0.93", 'line 4, column "accuracy"')
    assert facts["model=knn, accuracy"] == ("0.80", 'line 11, column "accuracy"')
    assert facts["model=lda, accuracy"] == ("0.75", 'line 17, column "accuracy"')


def test_knitr_html_source_labels_output_and_prose_stays_one_line() -> None:
    """Our own R Markdown report (fixtures/printed/sources/knitr_report.Rmd) rendered to html by rmarkdown."""
    from reproducer.harvest.html import html_facts

    page = Path(__file__).resolve().parent / "fixtures" / "printed" / "knitr" / "knitr_report.html"
    facts = html_facts(page.read_text(), file="knitr_report.html", limits=HarvestLimits())
    # Echoed source (`airquality[3:6, ...]`) labels the output below it; its numbers are arguments.
    assert not [fact for fact in facts if "airquality[" in fact.label or "as_tibble" in fact.label]
    median = next(fact for fact in facts if fact.raw == "31.5")
    assert median.label == "median(airquality$Ozone, na.rm = TRUE)"
    assert median.section == "Ozone ignoring missing values"
    # The sentence before a chunk says what its commands compute.
    assert "Count the missing ozone readings" in next(fact for fact in facts if fact.raw == "37").context
    # A sentence with inline code is one line, and the noun after a number names it.
    breaks = next(fact for fact in facts if fact.raw == "15,200")
    assert breaks.value == 15200 and "breaks were recorded" in breaks.label
    # R's test title (a tab pandoc renders as one space) and the groups it compares name its values.
    welch = next(fact for fact in facts if fact.raw == "0.0479")
    assert "Welch Two Sample t-test" in welch.section and "group ctrl and group trt2" in welch.section
    # A tibble's shape line (`# A tibble: 4 × 3`) gives no values.
    assert not [fact for fact in facts if "tibble" in fact.label]
    # The null hypothesis's `equal to 0` is no result.
    assert not [fact for fact in facts if "is not equal to" in fact.label]


def test_a_sentence_names_its_numbers_by_the_words_after_them() -> None:
    total, flagged = 52_311, 873
    # Printed as a notebook's f-string would print it.
    line = (
        f"Of the {total:,} total measured parts, {flagged:,} ({flagged / total:.2%}) parts would be"
        " rejected by either Rule 1 or Rule 2."
    )
    facts = {fact.raw: fact for fact in text_facts(line, file="out.log", limits=HarvestLimits())}
    rejected = facts[f"{flagged:,}"]
    assert rejected.value == flagged and "parts would be rejected" in rejected.label
    assert facts[f"{flagged / total:.2%}"].label == rejected.label  # the share of the same parts
    assert "total measured parts" in facts[f"{total:,}"].label
    # An enumeration with a trailing conjunction names nothing.
    [(trained), (epochs)] = text_facts(
        "We trained 3 models and 12 epochs each.", file="o", limits=HarvestLimits()
    )
    assert trained.label == "We trained" and epochs.label.count("epochs each") == 1


def test_r_named_vector_names_with_numbers_label_the_values_below() -> None:
    # print() of named vectors in R 4.2 (names right-aligned over their values).
    printed = (
        "mean in group 1 mean in group 2 \n"
        "          5.032           4.661 \n"
        "median dose 0.5           ratio \n"
        "           12.5             3.0 \n"
    )
    facts = text_facts(printed, file="out.txt", limits=HarvestLimits())
    assert [(fact.label, fact.raw) for fact in facts] == [
        ("mean in group 1", "5.032"),
        ("mean in group 2", "4.661"),
        ("median dose 0.5", "12.5"),
        ("ratio", "3.0"),
    ]


def test_bare_values_under_a_heading_are_named_by_it_and_their_place() -> None:
    text = (
        "[79, 54, 74, 62, 85]\n"
        "------BOOTSTRAP SAMPLING------\n68.29374999999999\n73.47575\n"
        "## Falling pair\n0.9\n0.4\n"
        "Top scores:\n12\n15\n11\n"
        "Sample size:\n40\n"
    )
    found = [(fact.label, fact.raw, fact.value, fact.location) for fact in facts_of(text)]
    assert found == [
        # Two rising values are an interval's ends, named as `CI: (a, b)` names them; every digit stays.
        ("BOOTSTRAP SAMPLING lower", "68.29374999999999", 68.29374999999999, "line 3"),
        ("BOOTSTRAP SAMPLING upper", "73.47575", 73.47575, "line 4"),
        # Two falling values, or more than two, are told apart by their place.
        ("Falling pair [1]", "0.9", 0.9, "line 6"),
        ("Falling pair [2]", "0.4", 0.4, "line 7"),
        ("Top scores [1]", "12", 12, "line 9"),
        ("Top scores [2]", "15", 15, "line 10"),
        ("Top scores [3]", "11", 11, "line 11"),
        ("Sample size", "40", 40, "line 13"),
    ]
