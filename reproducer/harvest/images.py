"""Figures for vision questions: format, byte size, and pixel size read from the file's header
(PNG, GIF, JPEG and SVG headers are cheap to read; nothing is decoded)."""

import re
import struct
from pathlib import Path

from reproducer.harvest.model import Image

IMAGE_SUFFIXES = frozenset(
    {".png", ".jpg", ".jpeg", ".gif", ".svg", ".bmp", ".tif", ".tiff", ".webp", ".eps"}
)
# JPEG keeps its size in a start-of-frame segment, after any EXIF thumbnail; this is far enough.
HEADER_BYTES = 256 * 1024
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Start-of-frame markers C0-CF, except C4 (Huffman tables), C8 (reserved) and CC (arithmetic coding).
_JPEG_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_SVG_TAG = re.compile(rb"<svg\b[^>]*>", re.IGNORECASE | re.DOTALL)
_SVG_LENGTH = r'\b{}\s*=\s*["\']\s*([0-9.]+)\s*(?:px)?\s*["\']'
_SVG_VIEWBOX = re.compile(rb'\bviewBox\s*=\s*["\']\s*[-0-9.]+[\s,]+[-0-9.]+[\s,]+([0-9.]+)[\s,]+([0-9.]+)')

Size = tuple[int, int] | None


def _png(head: bytes) -> Size:
    if head.startswith(_PNG_SIGNATURE) and head[12:16] == b"IHDR":
        width, height = struct.unpack(">II", head[16:24])
        return int(width), int(height)
    return None


def _gif(head: bytes) -> Size:
    if head[:6] in (b"GIF87a", b"GIF89a"):
        width, height = struct.unpack("<HH", head[6:10])
        return int(width), int(height)
    return None


def _jpeg(head: bytes) -> Size:
    if not head.startswith(b"\xff\xd8"):
        return None
    position = 2
    while position + 9 <= len(head):
        if head[position] != 0xFF:
            return None
        marker = head[position + 1]
        if marker == 0xFF:  # fill byte before a marker
            position += 1
            continue
        if marker in _JPEG_FRAMES:
            height, width = struct.unpack(">HH", head[position + 5 : position + 9])
            return int(width), int(height)
        (length,) = struct.unpack(">H", head[position + 2 : position + 4])
        position += 2 + length
    return None


def _svg(head: bytes) -> Size:
    tag = _SVG_TAG.search(head)
    if tag is None:
        return None
    found = [re.search(_SVG_LENGTH.format(name).encode(), tag.group()) for name in ("width", "height")]
    if found[0] and found[1]:
        return round(float(found[0].group(1))), round(float(found[1].group(1)))
    box = _SVG_VIEWBOX.search(tag.group())
    return (round(float(box.group(1))), round(float(box.group(2)))) if box else None


_READERS = {"png": _png, "gif": _gif, "jpg": _jpeg, "jpeg": _jpeg, "svg": _svg}


def describe_image(path: Path, file: str, size: int) -> Image:
    """The image's entry; the pixel size stays None when the header is not one we read or is damaged."""
    head = b""
    if path.suffix.lower().lstrip(".") in _READERS:
        with path.open("rb") as handle:
            head = handle.read(HEADER_BYTES)
    return image_from_head(path.suffix, head, file, size)


def image_from_head(suffix: str, head: bytes, file: str, size: int) -> Image:
    """The entry of an image whose first HEADER_BYTES bytes are `head`."""
    kind = suffix.lower().lstrip(".")
    reader = _READERS.get(kind)
    pixels: Size = None
    if reader is not None:
        try:
            pixels = reader(head)
        except (struct.error, ValueError):
            pixels = None
    width, height = pixels if pixels else (None, None)
    return Image(file=file, format=kind, bytes=size, width=width, height=height)
