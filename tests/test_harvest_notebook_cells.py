"""Notebooks as researchers leave them: bare results labelled by their expression, the comment above it
and what it computes; headings and the markdown lead-in as section and context; failed cells never
used, and later cells computed from them marked; a notebook's HTML conversion not read twice."""

import json
from pathlib import Path
from typing import Any

from reproducer.answer.choose import answer_question
from reproducer.answer.index import FactIndex
from reproducer.harvest import harvest
from reproducer.harvest.fact import Fact
from reproducer.harvest.limits import HarvestLimits
from reproducer.harvest.notebook import notebook_facts


def _markdown(text: str) -> dict[str, Any]:
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def _code(source: str, *outputs: dict[str, Any]) -> dict[str, Any]:
    return {
        "cell_type": "code",
        "metadata": {},
        "execution_count": 1,
        "source": source,
        "outputs": list(outputs),
    }


def _result(text: str) -> dict[str, Any]:
    return {
        "output_type": "execute_result",
        "execution_count": 1,
        "metadata": {},
        "data": {"text/plain": text},
    }


def _stream(text: str) -> dict[str, Any]:
    return {"output_type": "stream", "name": "stdout", "text": text}


def _error(name: str) -> dict[str, Any]:
    return {"output_type": "error", "ename": name, "evalue": "no such thing", "traceback": []}


def _notebook(*cells: dict[str, Any], language: str = "python") -> str:
    metadata = {"kernelspec": {"name": "k", "language": language, "display_name": "k"}}
    return json.dumps({"cells": list(cells), "metadata": metadata, "nbformat": 4, "nbformat_minor": 5})


def _facts(text: str) -> dict[object, Fact]:
    return {fact.value: fact for fact in notebook_facts(text, file="a.ipynb", limits=HarvestLimits())}


STORES = _notebook(
    _markdown("# Promotion study"),
    _code("%matplotlib inline\nimport statistics"),
    _markdown("## Revenue in the north store\n\nRevenue is compared before and after the promotion."),
    _code(
        "north_before = statistics.mean([9.0, 11.0])\nnorth_after = statistics.mean([14.0, 15.0])\n\n"
        "north_after - north_before",
        _result("4.5"),
    ),
    _code("stores = ['north', 'south', 'east']\nlen(stores)", _result("3")),
    _markdown("## Returns"),
    _code("sold, returned = 80, 6\n# share of items returned\n100 * returned / sold", _result("7.5")),
    _code("returned", _result("6")),
)


def test_a_bare_result_is_labelled_by_its_expression_and_what_it_computes() -> None:
    facts = _facts(STORES)
    assert facts[4.5].label == "difference: north_after - north_before"
    assert facts[4.5].section == "Revenue in the north store"
    assert "compared before and after the promotion" in facts[4.5].context, "the markdown lead-in"
    assert "north_after = statistics.mean([14.0, 15.0])" in facts[4.5].context, "what its names are"
    assert "Promotion study" in facts[4.5].context, "the title above the section, as context"
    assert facts[3].label == "count: len(stores)"
    assert facts[7.5].label == "share of items returned, percent: 100 * returned / sold"
    assert facts[7.5].section == "Returns"
    assert facts[6].label == "returned", "a bare name says no more than itself"


def test_the_answerer_matches_the_words_a_result_is_labelled_with() -> None:
    index = FactIndex(list(_facts(STORES).values()))
    assert answer_question("Report the percentage of items returned.", index).value == 7.5
    assert answer_question("Report the number of stores.", index).value == 3
    # No result is labelled with what the question asks: no answer rather than a guess.
    assert answer_question("Report the p-value of the regression slope.", index).value is None


FAILED = _notebook(
    _code(
        "rates = [0.5, 0.25]\nnames = ['a', 'b']",
    ),
    _code(
        "rates = rates + [0.25]\nprint('rows', 41)\nrates.to_clipboard()",
        _stream("rows 41\n"),
        _error("AttributeError"),
    ),
    _code("# how many names\nlen(names)", _result("2")),
    _code("# sum of rates\nsum(rates)", _result("1.0")),
    _code("total = sum(rates)\ntotal * 3", _result("3.0")),
    _code("undefined_name", _error("NameError")),
)


def test_nothing_of_a_failed_cell_is_used_and_what_depends_on_it_is_marked() -> None:
    facts = _facts(FAILED)
    assert 41 not in facts, "printed by the cell that failed"
    assert facts[2].caveat == "", "reads nothing the failed cell sets"
    assert facts[1.0].caveat == "computed after cell 2 (AttributeError) failed, from rates, which it sets"
    assert "from rates" in facts[3.0].caveat, "computed from a cell computed from the failed one"


def test_a_failed_cell_that_cannot_be_read_as_python_puts_every_later_cell_in_doubt() -> None:
    r_notebook = _notebook(
        _code("x <- c(1, 2)\nwrite.csv(x, '/nowhere/x.csv')", _error("error")),
        _code("length(names)", _result("[1] 2")),
        language="R",
    )
    [fact] = notebook_facts(r_notebook, file="a.ipynb", limits=HarvestLimits()).__iter__()
    assert fact.value == 2 and fact.caveat == "computed after cell 1 (error) failed"


def test_a_notebooks_html_conversion_is_not_read_twice(tmp_path: Path) -> None:
    (tmp_path / "study.ipynb").write_text(STORES)
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "study.html").write_text(
        "<html><body><pre>north_after - north_before</pre><pre>4.5</pre></body></html>"
    )
    (tmp_path / "other.html").write_text("<html><body><p>Accuracy: 0.9</p></body></html>")
    found = harvest(tmp_path)
    files = {fact.file for fact in found.facts}
    assert files == {"study.ipynb", "other.html"}
    [record] = [record for record in found.files if record.file == "results/study.html"]
    assert record.facts == 0 and "conversion" in record.reason


PROTOCOLS = _notebook(
    _markdown("# Replication report"),
    _markdown("## Protocol 1\n### Download data"),
    _code("# one-way ANOVA of the positive cells\nprint('p =', 0.011)", _stream("p = 0.011\n")),
    _markdown("## Protocol 2\n### Download data"),
    _code("# one-way ANOVA of the positive cells\nprint('p =', 0.3349)", _stream("p = 0.3349\n")),
)


def test_a_subsection_that_names_nothing_is_qualified_by_the_headings_above_it() -> None:
    facts = _facts(PROTOCOLS)
    # Both subsections are called `Download data`: only the heading above tells the protocols apart;
    # the notebook's title holds for every cell and stays context.
    assert facts[0.3349].section == "Protocol 2 / Download data"
    assert facts[0.011].section == "Protocol 1 / Download data"
    assert "Replication report" in facts[0.3349].context
    assert "one-way ANOVA of the positive cells" in facts[0.3349].context, "the cell's own comment"
    index = FactIndex(list(facts.values()))
    question = "Report the p value of the one-way ANOVA in protocol 2."
    assert answer_question(question, index).value == 0.3349
