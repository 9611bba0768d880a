"""A PDF's text, page by page, with pypdf. pypdf can loop or eat memory on a hostile file: this runs only
in the harvest's reader process (see worker.py), which has a time and memory budget."""

from pathlib import Path
from typing import Any, BinaryIO


def extract(path: Path | BinaryIO, max_chars: int) -> dict[str, Any]:
    from pypdf import PdfReader  # loaded only when a PDF comes

    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            # An owner password alone still opens with the empty user password; this one needs a real one.
            return {"state": "encrypted", "reason": "the PDF is encrypted and needs a password"}
        pages, used = [], 0
        for page in reader.pages:
            text = page.extract_text() or ""
            pages.append(text[: max(0, max_chars - used)])
            used += len(text)
            if used >= max_chars:
                break
    except Exception as error:  # pypdf raises many kinds on damaged files; all mean "cannot read"
        return {"state": "broken", "reason": f"{type(error).__name__}: {error}"[:500]}
    return {"state": "ok", "pages": pages}
