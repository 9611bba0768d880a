"""Figures for the page, embedded as data URIs: the ones the agent looked at, else the capsule's results."""

import base64
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from reproducer.agent.images import render
from reproducer.errors import ReproducerError
from reproducer.report.limits import (
    IMAGE_LONG_EDGE_PX,
    IMAGE_MAX_BYTES,
    IMAGES_PER_TASK,
    JPEG_QUALITY,
    RESULT_IMAGE_SUFFIXES,
)
from reproducer.report.records import inside, mapping
from reproducer.report.text import clean

# Each further try scales the figure by this much, until it fits in IMAGE_MAX_BYTES.
SHRINK = 0.7
MIN_EDGE_PX = 64


@dataclass(frozen=True)
class Figure:
    """A figure and where it was seen; `data_uri` is empty and `problem` says why when it cannot be shown."""

    path: str
    seen: str
    data_uri: str = ""
    width: int = 0
    height: int = 0
    problem: str = ""


def figures(run_dir: Path, capsule_dir: Path, trajectory: dict[str, Any] | None) -> list[Figure]:
    """The figures the agent viewed (in order, once each), or the capsule's result images without an agent."""
    wanted = list(_viewed(trajectory)) if trajectory else []
    if not wanted:
        results = capsule_dir / "results"
        found = sorted(
            p for p in results.rglob("*") if p.suffix.lower() in RESULT_IMAGE_SUFFIXES and p.is_file()
        )
        wanted = [(p.relative_to(capsule_dir).as_posix(), 1, "in the capsule's results") for p in found]
    unique = list({(path, page): seen for path, page, seen in wanted}.items())
    return [
        _figure(run_dir, capsule_dir, path, page, seen) for (path, page), seen in unique[:IMAGES_PER_TASK]
    ]


def _viewed(trajectory: dict[str, Any]) -> Iterator[tuple[str, int, str]]:
    steps = [step for step in trajectory.get("steps") or [] if isinstance(step, dict)]
    for step in steps:
        for call in step.get("tool_calls") or []:
            if not isinstance(call, dict) or call.get("name") != "view_image" or call.get("is_error"):
                continue
            details = mapping(call.get("details"))
            page = details["page"] if isinstance(details.get("page"), int) else 1
            for image in call.get("images") or []:
                path = mapping(image).get("path")
                if isinstance(path, str):
                    yield path, page, f"viewed by the agent at step {step.get('step', '?')}"


def figure_of(run_dir: Path, folder: Path, name: str, seen: str) -> Figure:
    """The first page of `folder/name` as a Figure, if it is inside the run directory."""
    return _figure(run_dir, folder, name, 1, seen)


def _figure(run_dir: Path, capsule_dir: Path, name: str, page: int, seen: str) -> Figure:
    shown = clean(name) + (f" (page {page})" if page != 1 else "")
    path = inside(run_dir, capsule_dir / name)
    if path is None:
        return Figure(shown, seen, problem="the file is not in the run directory any more")
    try:
        rendered = render(run_dir.resolve(), path, page)
        with Image.open(io.BytesIO(rendered.png)) as opened:
            image = opened.convert("RGBA") if "A" in opened.getbands() else opened.convert("RGB")
    except (ReproducerError, OSError, ValueError, Image.DecompressionBombError) as error:
        return Figure(shown, seen, problem=clean(f"cannot be shown: {error}"))
    encoded = _encode(image)
    if encoded is None:
        return Figure(shown, seen, problem=f"larger than {IMAGE_MAX_BYTES} bytes even when scaled down")
    media, data, size = encoded
    uri = f"data:{media};base64,{base64.b64encode(data).decode('ascii')}"
    return Figure(shown, seen, uri, size[0], size[1])


def _encode(image: Image.Image) -> tuple[str, bytes, tuple[int, int]] | None:
    """PNG (JPEG when the PNG is too large), scaled down until it fits in IMAGE_MAX_BYTES."""
    scale = min(1.0, IMAGE_LONG_EDGE_PX / max(image.width, image.height, 1))
    while max(image.width, image.height) * scale >= MIN_EDGE_PX or scale == 1.0:
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        resized = image.resize(size, Image.Resampling.LANCZOS) if size != image.size else image
        for media, kind in (("image/png", "PNG"), ("image/jpeg", "JPEG")):
            buffer = io.BytesIO()
            if kind == "JPEG":
                resized.convert("RGB").save(buffer, format=kind, quality=JPEG_QUALITY)
            else:
                resized.save(buffer, format=kind, optimize=True)
            if buffer.tell() <= IMAGE_MAX_BYTES:
                return media, buffer.getvalue(), size
        scale *= SHRINK
    return None
