"""CSV, TSV, JSON, HTML, notebooks and images, read from real files in tests/fixtures/outputs."""

import struct
from pathlib import Path

import pytest

from reproducer.harvest import harvest
from reproducer.harvest.fact import Fact
from reproducer.harvest.images import describe_image
from reproducer.harvest.jsonfile import json_facts
from reproducer.harvest.limits import HarvestLimits

FIXTURES = Path(__file__).parent / "fixtures" / "outputs"


@pytest.fixture(scope="module")
def facts() -> dict[tuple[str, str], Fact]:
    """Every fixture fact by (file, location); PDFs are tested in test_harvest_pdf (they start a worker)."""
    paths = sorted(path for path in FIXTURES.iterdir() if path.suffix != ".pdf")
    found = harvest(FIXTURES, paths)
    return {(fact.file, fact.location): fact for fact in found.facts}


def test_csv_with_an_index_column(facts: dict[tuple[str, str], Fact]) -> None:
    fact = facts[("metrics.csv", 'row 2, column "accuracy"')]
    assert (fact.label, fact.value, fact.raw) == ("model=random forest, accuracy", 0.9345, "0.9345")
    assert (fact.row, fact.column) == ("model=random forest", "accuracy")
    percent = facts[("metrics.csv", 'row 3, column "accuracy"')]
    assert (percent.raw, percent.value) == ("93.5%", 93.5)
    # Missing cells (NA, empty) are not facts; text cells are.
    assert ("metrics.csv", 'row 3, column "f1"') not in facts
    assert facts[("metrics.csv", 'row 1, column "note"')].value == "baseline"


def test_tsv_keys_rows_by_their_text_column(facts: dict[tuple[str, str], Fact]) -> None:
    fact = facts[("scores.tsv", 'row 2, column "CN"')]
    assert (fact.label, fact.value) == ("dataset=Wine, CN", 97.22)
    iris = facts[("scores.tsv", 'row 1, column "AA"')]
    assert iris.value == 100 and isinstance(iris.value, int)


def test_nested_json_is_labelled_by_key_path(facts: dict[tuple[str, str], Fact]) -> None:
    auc = facts[("metrics.json", "$.metrics.test.auc")]
    assert (auc.label, auc.raw, auc.value) == ("metrics.test.auc", "0.9375660604380387", 0.9375660604380387)
    assert facts[("metrics.json", "$.metrics.test.loss")].raw == "1.5e-05"
    rmse = facts[("metrics.json", "$.runs[1].rmse")]
    assert (rmse.label, rmse.value, rmse.context) == ("runs[1].rmse", 0.3001, "model=gbm")
    assert facts[("metrics.json", "$.best_model")].value == "rf"
    # Booleans and nulls are not answers.
    assert ("metrics.json", "$.converged") not in facts and ("metrics.json", "$.note") not in facts


def test_json_keeps_every_digit_and_reads_json_lines() -> None:
    limits = HarvestLimits()
    [fact] = json_facts('{"x": 0.10000000000000000555}', file="m.json", limits=limits)
    assert fact.raw == "0.10000000000000000555" and fact.value == 0.1
    lines = json_facts(
        '{"epoch": 1, "loss": 0.5}\n{"epoch": 2, "loss": 0.25}\n', file="m.jsonl", limits=limits, lines=True
    )
    assert [(fact.location, fact.raw) for fact in lines if fact.label == "loss"] == [
        ("line 1: $.loss", "0.5"),
        ("line 2: $.loss", "0.25"),
    ]


def test_html_tables_and_text(facts: dict[tuple[str, str], Fact]) -> None:
    cell = facts[("results.html", 'table 1, row 1, column "HyperETA RMSE"')]
    assert (cell.label, cell.raw) == ("no DTW, HyperETA RMSE", "459.7782074000463")
    [text] = [fact for (file, where), fact in facts.items() if file == "results.html" and "text" in where]
    assert (text.label, text.value, text.section) == ("Overall accuracy", 0.95, "Model comparison")
    assert not any(fact.raw == "42" for (file, _), fact in facts.items() if file == "results.html")  # script


def test_notebook_outputs(facts: dict[tuple[str, str], Fact]) -> None:
    stream = facts[("analysis.ipynb", "cell 2, output 1, line 1")]
    assert (stream.label, stream.raw, stream.value) == (
        "Train loss",
        "0.04598272387846722",
        0.04598272387846722,
    )
    result = facts[("analysis.ipynb", "cell 3, output 1, line 1")]
    assert (result.label, result.raw) == ("exact_match_score", "0.27338983050847454")
    table = facts[("analysis.ipynb", 'cell 4, output 1, table 1, row 1, column "age"')]
    assert (table.label, table.value) == ("mean, age", 35.1)
    # A frame's HTML table is read instead of its text/plain, not as well; markdown is not output.
    labels = [fact.label for (file, _), fact in facts.items() if file == "analysis.ipynb"]
    assert labels.count("mean, age") == 1 and "Accuracy in the paper" not in labels


def _jpeg(width: int, height: int) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof0 + b"\xff\xd9"


def test_images_are_listed_with_their_pixel_size(tmp_path: Path) -> None:
    png = FIXTURES / "figure.png"
    assert describe_image(png, "figure.png", png.stat().st_size).model_dump() == {
        "file": "figure.png",
        "format": "png",
        "bytes": 73,
        "width": 3,
        "height": 2,
    }
    (tmp_path / "photo.jpg").write_bytes(_jpeg(640, 480))
    (tmp_path / "plot.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="400px" height="300"></svg>'
    )
    (tmp_path / "box.svg").write_text('<svg viewBox="0 0 120 80"></svg>')
    (tmp_path / "anim.gif").write_bytes(b"GIF89a" + struct.pack("<HH", 10, 20) + b"\x00" * 10)
    (tmp_path / "bad.png").write_bytes(b"not a png")
    images = {image.file: (image.width, image.height) for image in harvest(tmp_path).images}
    assert images == {
        "anim.gif": (10, 20),
        "bad.png": (None, None),
        "box.svg": (120, 80),
        "photo.jpg": (640, 480),
        "plot.svg": (400, 300),
    }
