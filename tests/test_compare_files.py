"""compare_outputs on output files of every format, without running anything: a published folder beside
a regenerated one."""

import json
import os
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from reproducer.compare import CompareOptions, compare_outputs
from reproducer.compare.headline import headline
from reproducer.compare.numbers import relative_error

OUTPUTS = Path(__file__).parent / "fixtures" / "outputs"
ALL = sorted(p.name for p in OUTPUTS.iterdir())


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    """`published/results/` and `capsule/results/`, both holding the fixture outputs."""
    published, capsule = tmp_path / "published", tmp_path / "capsule"
    for root in (published, capsule):
        shutil.copytree(OUTPUTS, root / "results")
    return published, capsule


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_identical_outputs_reproduce_exactly_in_every_format(pair: tuple[Path, Path]) -> None:
    published, capsule = pair
    result = compare_outputs(published, capsule, [f"results/{name}" for name in ALL], CompareOptions())
    assert result.numbers_compared > 20 and result.numbers_exact == result.numbers_compared
    assert result.differences == [] and result.reproduced
    assert set(result.files_compared) == {f"results/{name}" for name in ALL}
    compared = {n.file for n in result.numbers}
    for name in ("metrics.csv", "metrics.json", "results.html", "analysis.ipynb", "report.pdf", "run.log"):
        assert f"results/{name}" in compared, name
    assert [(f.file, f.verdict) for f in result.figures] == [
        ("results/figure.png", "same"),
        ("results/report.pdf", "same"),
    ]


def test_each_changed_number_is_found_at_its_place(pair: tuple[Path, Path]) -> None:
    published, capsule = pair
    _edit(capsule / "results/results.html", "<td>401.5</td>", "<td>402.5</td>")
    notebook = json.loads((capsule / "results/analysis.ipynb").read_text())
    notebook["cells"][1]["outputs"][0]["text"][1] = "F1-score after epoch 200: 0.94745\n"
    (capsule / "results/analysis.ipynb").write_text(json.dumps(notebook))
    _edit(capsule / "results/metrics.csv", "0.9210", "0.9200")
    result = compare_outputs(published, capsule, [f"results/{name}" for name in ALL], CompareOptions())
    found = {(d.file, d.location, d.published, d.reproduced) for d in result.differences}
    assert (
        found
        == {
            ("results/results.html", "row DTW, column HyperETA RMSE", 401.5, 402.5),
            ("results/metrics.csv", "row model=random forest, column f1", 0.921, 0.92),
            (
                "results/analysis.ipynb",
                "cell 2, output 1, line 2, F1-score after epoch 200",
                0.94743,
                0.94745,
            ),
        }
        or found
    )
    assert result.numbers_different == 3 and not result.reproduced
    errors = [d.relative_error for d in result.differences]
    assert errors == sorted(errors, reverse=True), "largest first"
    assert headline(result).startswith(f"{result.numbers_compared - 3} of {result.numbers_compared} numbers")


def test_rows_in_another_order_still_match_by_their_labels(pair: tuple[Path, Path]) -> None:
    published, capsule = pair
    lines = (capsule / "results/metrics.csv").read_text().splitlines()
    (capsule / "results/metrics.csv").write_text("\n".join([lines[0], lines[3], lines[1], lines[2]]) + "\n")
    result = compare_outputs(published, capsule, ["results/metrics.csv"], CompareOptions())
    assert result.numbers_compared > 0 and result.numbers_exact == result.numbers_compared


def test_tolerances_are_reported_per_number(pair: tuple[Path, Path]) -> None:
    published, capsule = pair
    (published / "results/m.json").write_text(json.dumps({"a": 1.0, "b": 2.0, "c": 3.0, "d": 4.0}))
    (capsule / "results/m.json").write_text(json.dumps({"a": 1.0, "b": 2.0000000001, "c": 3.003, "d": 5.0}))
    result = compare_outputs(published, capsule, ["results/m.json"], CompareOptions(loose=0.01))
    verdicts = {n.location.split(",")[0]: n.verdict for n in result.numbers}
    assert verdicts == {"$.a": "exact", "$.b": "within_tolerance", "$.c": "within_loose", "$.d": "different"}
    assert (result.numbers_exact, result.numbers_within_tolerance, result.numbers_different) == (1, 2, 1)
    assert headline(result).split(";")[0] == (
        "1 of 4 numbers reproduced exactly, 1 within 1e-06, 1 within 0.01, 1 different: "
        "results/m.json $.d: 4.0 -> 5.0"
    )
    assert relative_error(0.0, 1e-9) == 1e-9, "against a published zero, the absolute difference"


def test_run_times_are_listed_but_not_compared(pair: tuple[Path, Path]) -> None:
    published, capsule = pair
    (published / "results/train.log").write_text(
        "accuracy: 0.91\nelapsed: 12.5\nTraining took 30.1 seconds\n"
    )
    (capsule / "results/train.log").write_text("accuracy: 0.91\nelapsed: 11.0\nTraining took 28.4 seconds\n")
    result = compare_outputs(published, capsule, ["results/train.log"], CompareOptions())
    assert (result.numbers_compared, result.numbers_exact, result.numbers_run_time) == (1, 1, 2)
    assert result.differences == [] and result.reproduced
    assert [n.verdict for n in result.numbers] == ["exact", "run_time", "run_time"]
    assert headline(result).startswith(
        "1 of 1 numbers reproduced exactly, 0 different; 2 run times not compared"
    )


def test_a_number_that_vanished_comes_first(pair: tuple[Path, Path]) -> None:
    published, capsule = pair
    (published / "results/m.json").write_text(json.dumps({"a": 1.0, "b": 2.0}))
    (capsule / "results/m.json").write_text(json.dumps({"a": 1.5, "c": 2.0}))
    result = compare_outputs(published, capsule, ["results/m.json"], CompareOptions())
    assert [(d.location, d.reproduced) for d in result.differences] == [("$.b", None), ("$.a", 1.5)]
    assert result.numbers_new == 1


def test_a_changed_figure_is_different_and_a_resized_one_alike(pair: tuple[Path, Path]) -> None:
    published, capsule = pair
    with Image.open(OUTPUTS / "figure.png") as original:
        size = original.size
        original.resize((size[0] * 2, size[1] * 2)).save(capsule / "results/figure.png")
    result = compare_outputs(published, capsule, ["results/figure.png"], CompareOptions())
    assert result.figures[0].verdict == "same"
    changed = Image.new("RGB", size, "white")
    ImageDraw.Draw(changed).rectangle((0, size[1] // 2, size[0] // 2, size[1]), fill="black")
    changed.save(capsule / "results/figure.png")
    result = compare_outputs(published, capsule, ["results/figure.png"], CompareOptions())
    assert result.figures[0].verdict == "different" and not result.reproduced
    expected = "no numbers compared; 0 of 1 figures alike (results/figure.png changed)"
    assert headline(result).startswith(expected)


def test_files_not_regenerated_and_new_files_are_listed(pair: tuple[Path, Path]) -> None:
    published, capsule = pair
    (published / "data").mkdir()
    (published / "data/input.csv").write_text("x\n1\n")
    (capsule / "results/extra.txt").write_text("new: 1\n")
    result = compare_outputs(
        published, capsule, ["results/metrics.json", "results/extra.txt"], CompareOptions()
    )
    assert result.files_new == ["results/extra.txt"]
    assert "data/input.csv" not in result.files_not_regenerated, "an input is not an output"
    assert set(result.files_not_regenerated) == {f"results/{n}" for n in ALL if n != "metrics.json"}


SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">'
    '<rect width="200" height="100" fill="white"/>{}</svg>'
)


def test_svg_figures_are_rendered_then_compared(tmp_path: Path) -> None:
    published, capsule = tmp_path / "published", tmp_path / "capsule"
    bars = '<rect x="10" y="40" width="30" height="60"/><rect x="60" y="10" width="30" height="90"/>'
    for root in (published, capsule):
        (root / "figures").mkdir(parents=True)
        (root / "figures/bars.svg").write_text(SVG.format(bars))
    result = compare_outputs(published, capsule, ["figures/bars.svg"], CompareOptions())
    assert [(f.verdict, f.difference) for f in result.figures] == [("same", 0.0)]
    (capsule / "figures/bars.svg").write_text(
        SVG.format(bars.replace('y="10"', 'y="80"').replace('"90"', '"20"'))
    )
    result = compare_outputs(published, capsule, ["figures/bars.svg"], CompareOptions())
    assert result.figures[0].verdict == "different" and not result.reproduced


def test_a_regenerated_link_out_or_fifo_is_never_read(pair: tuple[Path, Path], tmp_path: Path) -> None:
    published, capsule = pair
    secret = tmp_path / "secret.json"
    secret.write_text('{"token": 12345}')
    for name in ("metrics.json", "figure.png"):
        (capsule / "results" / name).unlink()
    (capsule / "results/metrics.json").symlink_to(secret)
    os.mkfifo(capsule / "results/figure.png")
    names = ["results/metrics.json", "results/figure.png"]
    result = compare_outputs(published, capsule, names, CompareOptions())
    assert sorted(result.files_unreadable) == sorted(names)
    assert result.numbers == [] and result.figures == [] and not result.reproduced
