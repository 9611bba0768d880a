"""Rendering a figure for the model: raster images, a PDF page or an SVG, as a PNG of bounded size."""

import io
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pypdfium2  # type: ignore[import-untyped]  # ships no type information
from PIL import Image, UnidentifiedImageError

from reproducer.errors import BadInput
from reproducer.safefs import Refused, read_inside

# Anthropic's advice: images beyond 1568 px on the long edge are scaled down anyway.
MAX_LONG_EDGE_PX = 1568
# The API refuses images over 5 MB of base64; PNG bytes grow by a third in base64.
MAX_PNG_BYTES = 3_700_000
# Shrink by this much while the PNG is still too big (a noisy photo compresses badly).
SHRINK_FACTOR = 0.75
SVG_TIMEOUT_S = 60.0
# A figure file larger than this is not read (a figure is rarely over a few megabytes).
MAX_FIGURE_BYTES = 64 * 1024 * 1024
PDF_SUFFIXES = frozenset({".pdf"})
SVG_SUFFIXES = frozenset({".svg", ".svgz"})


@dataclass(frozen=True)
class Rendered:
    png: bytes
    width: int
    height: int
    # What was rendered, for the model: e.g. "PNG 3000x2000 px" or "PDF page 2 of 5".
    source: str


def render(root: Path, path: Path, page: int = 1) -> Rendered:
    """The figure at `path` (a resolved path under the resolved `root`, read without following a link out
    of it, and at most MAX_FIGURE_BYTES) as a PNG at most MAX_LONG_EDGE_PX on its long edge; BadInput when
    it cannot be."""
    try:
        data = read_inside(root, path.relative_to(root), MAX_FIGURE_BYTES)
    except Refused as refused:
        raise BadInput(f"{path.name}: not read: {refused}") from None
    except (OSError, ValueError) as error:  # ValueError: not under `root`
        raise BadInput(f"{path.name}: cannot be read ({getattr(error, 'strerror', None) or error})") from None
    return render_bytes(data, path, page)


def render_bytes(data: bytes, path: Path, page: int = 1) -> Rendered:
    """A figure's bytes (`path` names it, for its suffix and messages) as a PNG, as `render` does."""
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES or data.startswith(b"%PDF-"):
        image, source = _pdf_page(data, path, page)
    elif suffix in SVG_SUFFIXES:
        image, source = _svg(data, path), "SVG"
    else:
        image, source = _raster(data, path)
    return _png(image, source)


def _raster(data: bytes, path: Path) -> tuple[Image.Image, str]:
    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.seek(0)  # the first frame of an animation
            image = opened.convert("RGBA" if "A" in opened.getbands() or opened.mode == "P" else "RGB")
            return image, f"{opened.format} {opened.width}x{opened.height} px"
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError) as error:
        raise BadInput(f"{path.name}: not an image this tool can read ({error})") from None


def _pdf_page(data: bytes, path: Path, page: int) -> tuple[Image.Image, str]:
    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        raise BadInput(f"{path.name}: cannot open the PDF ({error})") from None
    try:
        pages = len(document)
        if not 1 <= page <= pages:
            raise BadInput(f"{path.name}: has {pages} page(s); page {page} does not exist")
        sheet = document[page - 1]
        width, height = sheet.get_size()
        image = sheet.render(scale=MAX_LONG_EDGE_PX / max(width, height, 1)).to_pil()
        return image, f"PDF page {page} of {pages}"
    finally:
        document.close()


def _svg(data: bytes, path: Path) -> Image.Image:
    converter = shutil.which("rsvg-convert")
    if converter is None:
        raise BadInput(
            "SVG figures need rsvg-convert, which is not installed here (apt-get install librsvg2-bin); "
            "look for a PNG or PDF version of the figure, or read the SVG's text with read_file"
        )
    try:
        done = subprocess.run(
            [
                converter,
                "--format",
                "png",
                "--width",
                str(MAX_LONG_EDGE_PX),
                "--keep-aspect-ratio",
            ],
            input=data,
            capture_output=True,
            timeout=SVG_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise BadInput(f"{path.name}: rsvg-convert took more than {SVG_TIMEOUT_S:g} s") from None
    if done.returncode != 0:
        raise BadInput(f"{path.name}: rsvg-convert failed: {done.stderr.decode(errors='replace').strip()}")
    with Image.open(io.BytesIO(done.stdout)) as image:
        return image.convert("RGBA")


def _png(image: Image.Image, source: str) -> Rendered:
    scale = min(1.0, MAX_LONG_EDGE_PX / max(image.width, image.height, 1))
    while True:
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        resized = image.resize(size, Image.Resampling.LANCZOS) if size != image.size else image
        buffer = io.BytesIO()
        resized.save(buffer, format="PNG", optimize=True)
        if buffer.tell() <= MAX_PNG_BYTES or max(size) <= 1:
            return Rendered(buffer.getvalue(), size[0], size[1], source)
        scale *= SHRINK_FACTOR
