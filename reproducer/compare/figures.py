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


def _small(root: Path, name: str) -> "np.ndarray[tuple[int, int], np.dtype[np.float64]]":
    # Read through `render`, which never follows a link out of `root` (the code may have left one).
    root = root.resolve()
    with Image.open(io.BytesIO(render(root, root / name).png)) as image:
        grey = image.convert("RGBA")
        # Transparent pixels count as white, as they are shown on a page.
        flat = Image.new("RGBA", grey.size, (255, 255, 255, 255))
        flat.alpha_composite(grey)
        small = (
            flat.convert("L").filter(ImageFilter.BoxBlur(1)).resize((SIDE_PX, SIDE_PX), Image.Resampling.BOX)
        )
    return np.asarray(small, dtype=np.float64) / 255.0


def compare_figure(file: str, published_dir: Path, capsule_dir: Path) -> FigureComparison:
    """`file` in the published copy against `file` in the capsule."""
    try:
        difference = float(np.mean(np.abs(_small(published_dir, file) - _small(capsule_dir, file))))
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
