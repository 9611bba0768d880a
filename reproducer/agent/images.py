"""Rendering a figure for the model: raster images, a PDF page, an SVG, or an image inside an HTML page or
a notebook's outputs, whole or a region of it, as a PNG within the API's image limits.

Everything works on the file's bytes (the tool reads them, confined to the readable folders); an HTML
page's linked images are fetched through the `linked` callback for the same reason.
"""

import base64
import binascii
import io
import json
import re
import shutil
import subprocess
import urllib.parse
from collections.abc import Callable
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
MAX_ZOOM = 8.0
# A vector figure is never drawn larger than this on its long edge before cropping (memory).
MAX_DRAW_PX = 8000
SVG_TIMEOUT_S = 60.0
# A figure file larger than this is not read (a figure is rarely over a few megabytes).
MAX_FIGURE_BYTES = 64 * 1024 * 1024
PDF_SUFFIXES = frozenset({".pdf"})
SVG_SUFFIXES = frozenset({".svg", ".svgz"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
NOTEBOOK_SUFFIXES = frozenset({".ipynb"})
# Notebook output types, in the order one output's representations are preferred.
NOTEBOOK_IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/svg+xml")
# An <img> with its source, or an inline <svg> element, in document order.
_HTML_IMAGE = re.compile(
    r"<img\b[^>]*?\bsrc\s*=\s*(?:\"([^\"]*)\"|'([^']*)')|(<svg\b[\s\S]*?</svg\s*>)", re.IGNORECASE
)
_DATA_URI = re.compile(r"^data:([\w/+.-]+)?((?:;[\w=.-]+)*?)(;base64)?,(.*)$", re.IGNORECASE | re.DOTALL)
# A callback that returns the bytes of a file an HTML page links to (`src`, relative to the page).
Linked = Callable[[str], bytes]


@dataclass(frozen=True)
class Region:
    """A part of a figure, in fractions of its width and height from the top left corner."""

    left: float
    top: float
    right: float
    bottom: float

    def __post_init__(self) -> None:
        inside = 0.0 <= self.left < self.right <= 1.0 and 0.0 <= self.top < self.bottom <= 1.0
        if not inside:
            raise BadInput(
                f"crop {list(self.box)}: give [left, top, right, bottom] as fractions from 0 to 1, "
                "left < right and top < bottom"
            )

    @property
    def box(self) -> tuple[float, float, float, float]:
        return (self.left, self.top, self.right, self.bottom)


WHOLE = Region(0.0, 0.0, 1.0, 1.0)


@dataclass(frozen=True)
class Rendered:
    png: bytes
    width: int
    height: int
    # What was rendered, for the model: e.g. "PNG 3000x2000 px" or "PDF page 2 of 5".
    source: str


def render(root: Path, path: Path, page: int = 1) -> Rendered:
    """The figure at `path` (a resolved path under the resolved `root`, read without following a link out
    of it, and at most MAX_FIGURE_BYTES), whole; see `render_bytes`. BadInput when it cannot be."""
    try:
        data = read_inside(root, path.relative_to(root), MAX_FIGURE_BYTES)
    except Refused as refused:
        raise BadInput(f"{path.name}: not read: {refused}") from None
    except (OSError, ValueError) as error:  # ValueError: not under `root`
        raise BadInput(f"{path.name}: cannot be read ({getattr(error, 'strerror', None) or error})") from None
    # No linked files: an HTML page's links are not followed here.
    return render_bytes(data, path.name, page)


def render_bytes(
    data: bytes,
    name: str,
    page: int = 1,
    *,
    crop: Region | None = None,
    zoom: float = 1.0,
    linked: Linked | None = None,
) -> Rendered:
    """The figure in `data` (file `name`) as a PNG at most MAX_LONG_EDGE_PX on its long edge.

    `page` is a PDF's page, or which image of an HTML page or notebook (1-based). The whole figure is
    fitted to the size limit; `crop` shows only a region of it, at the scale the whole figure would have
    times `zoom` (so a zoomed region shows detail the whole view cannot), within the same limit.
    BadInput when it cannot be rendered.
    """
    if not 1.0 <= zoom <= MAX_ZOOM:
        raise BadInput(f"zoom {zoom:g}: give a factor from 1 to {MAX_ZOOM:g}")
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    region = crop or WHOLE
    described = ""
    if suffix in HTML_SUFFIXES or suffix in NOTEBOOK_SUFFIXES:
        images = _notebook_images(data, name) if suffix in NOTEBOOK_SUFFIXES else _html_images(data, linked)
        kind = "notebook" if suffix in NOTEBOOK_SUFFIXES else "HTML page"
        if not images:
            raise BadInput(f"{name}: the {kind} holds no image this tool can show")
        if not 1 <= page <= len(images):
            raise BadInput(f"{name}: the {kind} holds {len(images)} image(s); image {page} does not exist")
        data, where = images[page - 1]
        described = f"{kind} image {page} of {len(images)} ({where}): "
        suffix, page = (".svg" if _looks_like_svg(data) else ""), 1
    if suffix in PDF_SUFFIXES or data.startswith(b"%PDF-"):
        image, source = _pdf_page(data, name, page, region, zoom)
    elif suffix in SVG_SUFFIXES or _looks_like_svg(data):
        image, source = _svg(data, name, region, zoom)
    else:
        image, source = _raster(data, name, region, zoom)
    if crop is not None:
        source += f", region {list(crop.box)}" + (f" at zoom {zoom:g}" if zoom != 1 else "")
    return _png(image, described + source)


def _looks_like_svg(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in head)


def _scale(width: float, height: float, region: Region, zoom: float, *, upscale: bool) -> float:
    """The scale at which the region is drawn: the whole figure's fitted scale times `zoom`, cut so the
    region stays within MAX_LONG_EDGE_PX."""
    fitted = MAX_LONG_EDGE_PX / max(width, height, 1)
    scale = (fitted if upscale else min(1.0, fitted)) * zoom
    shown = max((region.right - region.left) * width, (region.bottom - region.top) * height) * scale
    return scale * min(1.0, MAX_LONG_EDGE_PX / max(shown, 1e-9))


def _raster(data: bytes, name: str, region: Region, zoom: float) -> tuple[Image.Image, str]:
    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.seek(0)  # the first frame of an animation
            image = opened.convert("RGBA" if "A" in opened.getbands() or opened.mode == "P" else "RGB")
            source = f"{opened.format} {opened.width}x{opened.height} px"
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError) as error:
        raise BadInput(f"{name}: not an image this tool can read ({error})") from None
    width, height = image.size
    box = (
        round(region.left * width),
        round(region.top * height),
        max(round(region.right * width), round(region.left * width) + 1),
        max(round(region.bottom * height), round(region.top * height) + 1),
    )
    part = image.crop(box) if region != WHOLE else image
    scale = _scale(width, height, region, zoom, upscale=False)
    size = (max(1, round(part.width * scale)), max(1, round(part.height * scale)))
    return (part.resize(size, Image.Resampling.LANCZOS) if size != part.size else part), source


def _pdf_page(data: bytes, name: str, page: int, region: Region, zoom: float) -> tuple[Image.Image, str]:
    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        raise BadInput(f"{name}: cannot open the PDF ({error})") from None
    try:
        pages = len(document)
        if not 1 <= page <= pages:
            raise BadInput(f"{name}: has {pages} page(s); page {page} does not exist")
        sheet = document[page - 1]
        width, height = sheet.get_size()
        scale = _scale(width, height, region, zoom, upscale=True)
        # pdfium crops by the points to cut from each side: left, bottom, right, top.
        cut = (
            region.left * width,
            (1 - region.bottom) * height,
            (1 - region.right) * width,
            region.top * height,
        )
        image = sheet.render(scale=scale, crop=cut).to_pil()
        return image, f"PDF page {page} of {pages}"
    finally:
        document.close()


def _svg(data: bytes, name: str, region: Region, zoom: float) -> tuple[Image.Image, str]:
    natural = _rsvg(data, name, [])
    width, height = natural.size
    scale = _scale(width, height, region, zoom, upscale=True)
    scale = min(scale, MAX_DRAW_PX / max(width, height, 1))
    drawn = _rsvg(data, name, ["--zoom", f"{scale:.6f}"])
    box = (
        round(region.left * drawn.width),
        round(region.top * drawn.height),
        max(round(region.right * drawn.width), round(region.left * drawn.width) + 1),
        max(round(region.bottom * drawn.height), round(region.top * drawn.height) + 1),
    )
    return (drawn.crop(box) if region != WHOLE else drawn), "SVG"


def _rsvg(data: bytes, name: str, options: list[str]) -> Image.Image:
    converter = shutil.which("rsvg-convert")
    if converter is None:
        raise BadInput(
            "SVG figures need rsvg-convert, which is not installed here (apt-get install librsvg2-bin); "
            "look for a PNG or PDF version of the figure, or read the SVG's text with read_file"
        )
    try:
        done = subprocess.run(
            [converter, "--format", "png", "--keep-aspect-ratio", *options],
            input=data,
            capture_output=True,
            timeout=SVG_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise BadInput(f"{name}: rsvg-convert took more than {SVG_TIMEOUT_S:g} s") from None
    if done.returncode != 0:
        raise BadInput(f"{name}: rsvg-convert failed: {done.stderr.decode(errors='replace').strip()}")
    with Image.open(io.BytesIO(done.stdout)) as image:
        return image.convert("RGBA")


def _html_images(data: bytes, linked: Linked | None) -> list[tuple[bytes, str]]:
    """The images of an HTML page in document order: inline ones decoded, linked ones read."""
    text = data.decode("utf-8", errors="replace")
    found: list[tuple[bytes, str]] = []
    for match in _HTML_IMAGE.finditer(text):
        inline_svg = match.group(3)
        if inline_svg:
            svg = inline_svg if "xmlns=" in inline_svg else inline_svg.replace("<svg", _SVG_OPEN, 1)
            found.append((svg.encode(), "inline <svg>"))
            continue
        source = (match.group(1) or match.group(2) or "").strip()
        decoded = _data_uri(source)
        if decoded is not None:
            found.append((decoded, f"inline {source[5 : source.find(',')].split(';')[0] or 'data'} image"))
        elif source and linked is not None and "://" not in source:
            found.append((linked(urllib.parse.unquote(source.split("?")[0].split("#")[0])), source))
    return found


_SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg"'


def _data_uri(source: str) -> bytes | None:
    match = _DATA_URI.match(source)
    if not source.lower().startswith("data:") or match is None:
        return None
    payload = match.group(4)
    if match.group(3):
        try:
            return base64.b64decode(payload, validate=False)
        except (binascii.Error, ValueError):
            return None
    return urllib.parse.unquote(payload).encode()


def _notebook_images(data: bytes, name: str) -> list[tuple[bytes, str]]:
    """The images of a notebook's outputs, in cell order: one per output, its preferred representation."""
    try:
        notebook = json.loads(data)
    except ValueError as error:
        raise BadInput(f"{name}: not a notebook (not JSON: {error})") from None
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    found: list[tuple[bytes, str]] = []
    for number, cell in enumerate(cells if isinstance(cells, list) else [], start=1):
        outputs = cell.get("outputs") if isinstance(cell, dict) else None
        for output in outputs if isinstance(outputs, list) else []:
            bundle = output.get("data") if isinstance(output, dict) else None
            if not isinstance(bundle, dict):
                continue
            kind = next((kind for kind in NOTEBOOK_IMAGE_TYPES if kind in bundle), None)
            if kind is None:
                continue
            value = bundle[kind]
            text = "".join(value) if isinstance(value, list) else str(value)
            payload = text.encode() if kind == "image/svg+xml" else _base64(text)
            if payload is not None:
                found.append((payload, f"cell {number}, {kind}"))
    return found


def _base64(text: str) -> bytes | None:
    try:
        return base64.b64decode("".join(text.split()), validate=False)
    except (binascii.Error, ValueError):
        return None


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
