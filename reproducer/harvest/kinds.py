"""What kind of file an output is: by its suffix, else by its first bytes."""

import codecs
from pathlib import Path

from reproducer.harvest.images import IMAGE_SUFFIXES
from reproducer.harvest.model import FileKind

_SUFFIX_KINDS: dict[str, FileKind] = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".json": "json",
    ".geojson": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".ipynb": "notebook",
}
# Formats that need a library we do not load (or are models and archives): listed, never read.
_BINARY_FORMATS = (
    "npy npz pkl pickle joblib rds rdata rda h5 hdf5 hdf nc mat sav dta sas7bdat parquet feather arrow",
    "xlsx xls ods docx pptx pt pth ckpt onnx pb tflite bin model weights zip gz tgz bz2 xz 7z tar rar db",
    "sqlite sqlite3 so o a dll exe pyc class jar mp4 avi mov mp3 wav",
)
BINARY_SUFFIXES = frozenset(f".{suffix}" for line in _BINARY_FORMATS for suffix in line.split())
SNIFF_BYTES = 8192


def sniff_binary(head: bytes) -> bool:
    """NUL bytes mean binary, unless the text is UTF-16 (which announces itself with a byte-order mark)."""
    return b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


def kind_by_suffix(suffix: str) -> FileKind | None:
    """The kind a suffix alone decides; None when the first bytes must say."""
    suffix = suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        return "image"
    if suffix in BINARY_SUFFIXES:
        return "binary"
    return _SUFFIX_KINDS.get(suffix)


def file_kind(path: Path) -> FileKind:
    known = kind_by_suffix(path.suffix)
    if known is not None:
        return known
    with path.open("rb") as handle:
        return kind_by_head(handle.read(SNIFF_BYTES))


def kind_by_head(head: bytes) -> FileKind:
    """The kind of a file without a telling suffix, from its first SNIFF_BYTES bytes."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "image"
    return "binary" if sniff_binary(head) else "text"


def decode(data: bytes) -> str:
    """Text as written; UTF-8 (or UTF-16 with a byte-order mark), bad bytes replaced rather than fatal."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    return data.decode("utf-8-sig", errors="replace")
