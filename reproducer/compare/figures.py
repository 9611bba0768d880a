"""Figures compared by eye, roughly: both downscaled to a small grey image, then the mean difference.

Downscaling forgives anti-aliasing, fonts and a changed resolution; a moved line, a new bar or other
colours still shift many of the small image's pixels. SVGs and a PDF's first page are rendered first,
as the report and the agent render them.
"""

import io
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter, UnidentifiedImageError

from reproducer.agent.images import render
from reproducer.compare.model import FIGURE_THRESHOLD, FigureComparison
from reproducer.errors import ReproducerError

SIDE_PX = 64


def _small(path: Path) -> "np.ndarray[tuple[int, int], np.dtype[np.float64]]":
    with Image.open(io.BytesIO(render(path).png)) as image:
        grey = image.convert("RGBA")
        # Transparent pixels count as white, as they are shown on a page.
        flat = Image.new("RGBA", grey.size, (255, 255, 255, 255))
        flat.alpha_composite(grey)
        small = (
            flat.convert("L").filter(ImageFilter.BoxBlur(1)).resize((SIDE_PX, SIDE_PX), Image.Resampling.BOX)
        )
    return np.asarray(small, dtype=np.float64) / 255.0


def compare_figure(file: str, published: Path, reproduced: Path) -> FigureComparison:
    try:
        difference = float(np.mean(np.abs(_small(published) - _small(reproduced))))
    except (
        ReproducerError,
        OSError,
        UnidentifiedImageError,
        ValueError,
        Image.DecompressionBombError,
    ) as error:
        reason = f"cannot be read as an image: {type(error).__name__}: {error}"[:300]
        return FigureComparison(file=file, difference=None, verdict="unreadable", reason=reason)
    verdict = "different" if difference > FIGURE_THRESHOLD else "same"
    return FigureComparison(file=file, difference=round(difference, 6), verdict=verdict)
