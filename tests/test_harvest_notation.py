"""How printouts name their values: units with exponents, items heading the indented lines under them,
rows named by a text column under pandas' default index, and R's factor terms. The fixtures were made by
real pandas and R (tests/fixtures/printed/sources/named_rows.py, factor_glm.R, indented_items.py)."""

from pathlib import Path

from reproducer.answer.index import FactIndex
from reproducer.answer.notation import described_words, glued_terms, spelt_symbols, subscripted_symbols
from reproducer.answer.tokens import tokens
from reproducer.harvest import harvest
from reproducer.harvest.fact import Fact
from reproducer.harvest.limits import HarvestLimits
from reproducer.harvest.text import text_facts

PRINTED = Path(__file__).parent / "fixtures" / "printed"


def facts_of(folder: str, file: str) -> list[Fact]:
    return [fact for fact in harvest(PRINTED / folder).facts if fact.file == file]


def test_an_exponent_in_a_unit_is_never_a_value() -> None:
    facts = facts_of("indented_items", "springs.log")
    assert not [fact for fact in facts if fact.raw in {"2", "-2"}]
    [mean] = [fact for fact in facts if fact.label.startswith("mean peak acceleration")]
    assert (mean.label, mean.raw) == ("mean peak acceleration over all springs (m s^-2)", "4.738")


def test_an_item_line_heads_the_indented_lines_under_it_and_keeps_its_value() -> None:
    facts = facts_of("indented_items", "springs.log")
    heads = [fact for fact in facts if fact.label.startswith("k")]
    assert [(fact.raw, fact.section) for fact in heads] == [("20", ""), ("45", ""), ("80", "")]
    acceleration = [fact for fact in facts if fact.label == "peak acceleration (m/s^2)"]
    assert [(fact.raw, fact.section) for fact in acceleration] == [
        ("3.162", "k = 20 N/m"),
        ("4.743", "k = 45 N/m"),
        ("6.310", "k = 80 N/m"),
    ]
    # The line after the last item is back at its indent: no longer under `k = 80 N/m`.
    assert [fact.section for fact in facts][-1] == ""


def test_an_indented_table_is_not_put_under_the_line_before_it() -> None:
    text = "sites counted: 36\n        site  richness\n    forest12        13\n    urban7          12\n"
    facts = text_facts(text, file="out.log", limits=HarvestLimits())
    assert {fact.section for fact in facts} == {""}


def test_pandas_default_index_rows_are_named_by_their_text_column_in_html_and_csv() -> None:
    for file in ("growth_fits.html", "growth_fits.csv"):
        facts = {(fact.row, fact.column): fact for fact in facts_of("named_rows", file)}
        assert facts[("strain=PA14", "t_lag")].raw == "1.87", file
        assert facts[("strain=ATCC 27853", "yield_od")].raw == "1.41", file
        assert ("0", "t_lag") not in facts and ("strain=PA14", "t_lag") in facts


def test_a_label_value_line_after_a_printed_table_is_not_one_of_its_rows() -> None:
    facts = facts_of("factor_glm", "lesion_glm.log")
    [drug] = [fact for fact in facts if fact.raw == "3.60"]
    assert (drug.label, drug.column) == ("Mean lesions, drug", "")
    estimate = next(fact for fact in facts if fact.row == "treatmentdrug" and fact.column == "Estimate")
    assert estimate.raw == "-0.479867"


def test_r_factor_terms_are_read_as_variable_and_level_when_the_question_names_them() -> None:
    index = FactIndex(facts_of("factor_glm", "lesion_glm.csv"))
    terms = tokens("the coefficient for the drug treatment")
    assert glued_terms(terms, index.words, index.reversed_words, index.variables) == {
        "treatmentdrug": ("treatment", "drug")
    }
    # A word glued to something neither asked for nor a variable stays whole.
    assert glued_terms(("rate",), ["ratex", "pirate"], ["etarip", "xetar"], frozenset()) == {}


def test_subscripted_symbols_and_symbols_named_after_their_description() -> None:
    assert subscripted_symbols("strain=PA14, t_lag") == {("t", "lag")}
    assert subscripted_symbols("p_value") == frozenset()  # `p` abbreviates a word of its own
    assert spelt_symbols({("t", "lag")}, ["lag", "time", "strain", "pa14"], frozenset()) == {"time": "t"}
    assert spelt_symbols({("t", "lag")}, ["treatment", "effect"], frozenset()) == {}
    words = list(tokens("the natural frequency omega of the spring"))
    assert described_words(words, {"omega", "spring"}) == {"natural", "frequency"}
    assert described_words(words, {"omega", "frequency", "spring"}) == set()
