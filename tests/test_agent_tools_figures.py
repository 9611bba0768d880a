"""view_image beyond plain files: a region of a figure (crop) shown larger (zoom), images inside HTML pages
(linked files, base64, inline SVG) and notebook outputs, all as PNGs within the API's image limits, and
an HTML page's links confined like any path."""

import base64
import io
import json
import random
import shutil
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from reproducer.agent.images import MAX_LONG_EDGE_PX, MAX_PNG_BYTES
from reproducer.agent.limits import AgentLimits
from reproducer.agent.tools import ToolBox, ToolCall, ToolContext, make_toolbox
from reproducer.sandbox import LocalSandbox
from reproducer.tasks.model import Task

TASK = Task(capsule_id="capsule-figures", task_prompt="Run it.", questions=["Report the answer."])
RED, GREEN, BLUE, WHITE = (220, 20, 20), (20, 200, 20), (20, 20, 220), (255, 255, 255)
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">'
    '<rect width="100" height="50" fill="#ff0000"/><rect x="100" width="100" height="50" fill="#00ff00"/>'
    '<rect y="50" width="200" height="50" fill="#0000ff"/></svg>'
)
needs_rsvg = pytest.mark.skipif(shutil.which("rsvg-convert") is None, reason="rsvg-convert is not installed")


@pytest.fixture
def toolbox(tmp_path: Path) -> ToolBox:
    run = tmp_path / "run"
    capsule = run / "workspace" / TASK.capsule_id
    (capsule / "results").mkdir(parents=True)
    (run / "logs").mkdir()
    (tmp_path / "outside.png").write_bytes(png(Image.new("RGB", (10, 10), RED)))
    sandbox = LocalSandbox(capsule, run / "logs", use_bwrap=False)
    return make_toolbox(ToolContext(TASK, run, capsule, sandbox, AgentLimits()))


def results(toolbox: ToolBox) -> Path:
    return toolbox.tools["view_image"].context.capsule_dir / "results"


def view(toolbox: ToolBox, **arguments: Any) -> tuple[ToolCall, Image.Image | None]:
    record, result = toolbox.call({"type": "tool_use", "id": "t1", "name": "view_image", "input": arguments})
    blocks = [block for block in result["content"] if block["type"] == "image"]
    if not blocks:
        return record, None
    data = base64.b64decode(blocks[0]["source"]["data"])
    assert len(data) <= MAX_PNG_BYTES and blocks[0]["source"]["media_type"] == "image/png"
    return record, Image.open(io.BytesIO(data)).convert("RGB")


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def quadrants(width: int, height: int) -> Image.Image:
    """Top left red, top right green, bottom half blue."""
    image = Image.new("RGB", (width, height), BLUE)
    image.paste(RED, (0, 0, width // 2, height // 2))
    image.paste(GREEN, (width // 2, 0, width, height // 2))
    return image


def colours(image: Image.Image) -> set[tuple[int, int, int]]:
    """The colours at the centre of each quarter of the image, roughly."""
    w, h = image.size
    return {image.getpixel((x, y)) for x in (w // 4, 3 * w // 4) for y in (h // 4, 3 * h // 4)}  # type: ignore[misc]


def test_a_crop_shows_only_its_region_at_the_whole_figures_scale_and_zoom_enlarges_it(
    toolbox: ToolBox,
) -> None:
    quadrants(800, 600).save(results(toolbox) / "fig.png")

    record, image = view(toolbox, path="results/fig.png", crop=[0.5, 0, 1, 0.5])
    assert image is not None and image.size == (400, 300) and colours(image) == {GREEN}
    assert "region [0.5, 0.0, 1.0, 0.5]" in record.output and record.details["crop"] == [0.5, 0, 1, 0.5]
    _, zoomed = view(toolbox, path="results/fig.png", crop=[0.5, 0, 1, 0.5], zoom=3)
    assert zoomed is not None and zoomed.size == (1200, 900) and colours(zoomed) == {GREEN}
    # However large the zoom, the region stays within the API's size.
    _, capped = view(toolbox, path="results/fig.png", crop=[0, 0.5, 1, 1], zoom=8)
    assert capped is not None and max(capped.size) == MAX_LONG_EDGE_PX and colours(capped) == {BLUE}


def test_a_bad_crop_or_zoom_is_a_clear_error(toolbox: ToolBox) -> None:
    quadrants(80, 60).save(results(toolbox) / "fig.png")
    record, image = view(toolbox, path="results/fig.png", crop=[0.6, 0, 0.4, 1])
    assert image is None and record.is_error and "left < right and top < bottom" in record.output
    record, _ = view(toolbox, path="results/fig.png", zoom=20)
    assert record.is_error and record.malformed


def test_a_pdf_region_is_drawn_sharper_when_zoomed(toolbox: ToolBox) -> None:
    quadrants(400, 300).save(results(toolbox) / "fig.pdf")
    _, whole = view(toolbox, path="results/fig.pdf")
    _, corner = view(toolbox, path="results/fig.pdf", crop=[0, 0, 0.5, 0.5], zoom=2)
    assert whole is not None and corner is not None
    assert max(whole.size) == MAX_LONG_EDGE_PX and corner.size == whole.size
    assert all(colour == pytest.approx(RED, abs=8) for colour in colours(corner))


@needs_rsvg
def test_an_svg_region_is_cropped(toolbox: ToolBox) -> None:
    (results(toolbox) / "plot.svg").write_text(SVG)
    _, image = view(toolbox, path="results/plot.svg", crop=[0, 0.5, 1, 1])
    assert image is not None and image.size == (MAX_LONG_EDGE_PX, MAX_LONG_EDGE_PX // 4)
    assert colours(image) == {(0, 0, 255)}


@needs_rsvg
def test_the_images_of_an_html_page_are_shown_in_document_order(toolbox: ToolBox) -> None:
    folder = results(toolbox)
    (folder / "img").mkdir()
    (folder / "img" / "linked.png").write_bytes(png(Image.new("RGB", (60, 40), GREEN)))
    inline = base64.b64encode(png(Image.new("RGB", (50, 50), RED))).decode()
    bare_svg = SVG.replace(' xmlns="http://www.w3.org/2000/svg"', "")  # HTML needs no namespace
    (folder / "report.html").write_text(
        f'<html><body><h1>Results</h1><img alt="a" src="data:image/png;base64,{inline}">'
        f"<p>Figure 2</p><img src='img/linked.png?v=2' width=300>{bare_svg}"
        '<img src="https://example.org/remote.png"></body></html>'
    )

    record, first = view(toolbox, path="results/report.html")
    assert first is not None and first.size == (50, 50) and colours(first) == {RED}
    assert "HTML page image 1 of 3 (inline image/png image)" in record.output
    record, second = view(toolbox, path="results/report.html", page=2)
    assert second is not None and second.size == (60, 40) and "(img/linked.png?v=2)" in record.output
    _, third = view(toolbox, path="results/report.html", page=3, crop=[0, 0.5, 1, 1])
    assert third is not None and colours(third) == {(0, 0, 255)}
    record, _ = view(toolbox, path="results/report.html", page=4)
    assert record.is_error and "holds 3 image(s); image 4 does not exist" in record.output


def test_an_html_pages_links_are_confined_like_any_path(toolbox: ToolBox) -> None:
    (results(toolbox) / "escape.html").write_text('<img src="../../../../outside.png">')
    record, image = view(toolbox, path="results/escape.html")
    assert image is None and record.is_error and "outside the folders you may read" in record.output


@needs_rsvg
def test_notebook_outputs_are_shown_one_image_per_output(toolbox: ToolBox) -> None:
    encoded = base64.b64encode(png(quadrants(120, 80))).decode()
    notebook = {
        "nbformat": 4,
        "cells": [
            {"cell_type": "markdown", "source": ["# Title"]},
            {
                "cell_type": "code",
                "outputs": [
                    {"output_type": "stream", "text": ["acc 0.9\n"]},
                    {
                        "output_type": "display_data",
                        "data": {"text/plain": ["<Figure>"], "image/png": encoded[:40] + "\n" + encoded[40:]},
                    },
                ],
            },
            {
                "cell_type": "code",
                "outputs": [{"output_type": "execute_result", "data": {"image/svg+xml": [SVG]}}],
            },
        ],
    }
    (results(toolbox) / "analysis.ipynb").write_text(json.dumps(notebook))

    record, first = view(toolbox, path="results/analysis.ipynb", crop=[0.5, 0, 1, 0.5])
    assert first is not None and first.size == (60, 40) and colours(first) == {GREEN}
    assert "notebook image 1 of 2 (cell 2, image/png)" in record.output
    record, second = view(toolbox, path="results/analysis.ipynb", page=2)
    assert second is not None and second.size == (MAX_LONG_EDGE_PX, MAX_LONG_EDGE_PX // 2)
    (results(toolbox) / "empty.ipynb").write_text(json.dumps({"cells": []}))
    record, _ = view(toolbox, path="results/empty.ipynb")
    assert record.is_error and "holds no image" in record.output


def test_a_noisy_figure_is_shrunk_until_it_fits_the_apis_limit(toolbox: ToolBox) -> None:
    noise = Image.frombytes("RGB", (1500, 1500), random.Random(0).randbytes(1500 * 1500 * 3))
    noise.save(results(toolbox) / "noise.png")
    _, image = view(toolbox, path="results/noise.png", crop=[0, 0, 1, 1], zoom=1)
    assert image is not None and max(image.size) <= MAX_LONG_EDGE_PX
