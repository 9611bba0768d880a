"""Extract a PDF's text in a child process: `python -m reproducer.harvest.pdf_worker FILE [MAX_CHARS]`.

pypdf can loop or eat memory on a hostile file, so the parent runs this with a time limit. Prints one JSON
object: {"state": "ok", "pages": [...]}, or {"state": "encrypted" | "broken", "reason": ...}.
"""

import json
import resource
import sys
from pathlib import Path
from typing import Any, BinaryIO

from reproducer.harvest.limits import MAX_PDF_TEXT_CHARS

# The worker's address space: pypdf on a decompression bomb would otherwise take the machine's memory.
PDF_WORKER_MEMORY_BYTES = 2 * 1024 * 1024 * 1024


def extract(path: Path | BinaryIO, max_chars: int) -> dict[str, Any]:
    from pypdf import PdfReader  # imported here so a usage error fails fast, before the import

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


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3) or (len(argv) == 3 and not argv[2].isdigit()):
        print("usage: python -m reproducer.harvest.pdf_worker FILE [MAX_CHARS]", file=sys.stderr)
        return 2
    # Set here rather than by the parent: a pre-exec hook is unsafe in a parent that runs threads.
    resource.setrlimit(resource.RLIMIT_AS, (PDF_WORKER_MEMORY_BYTES, PDF_WORKER_MEMORY_BYTES))
    max_chars = int(argv[2]) if len(argv) == 3 else MAX_PDF_TEXT_CHARS
    sys.stdout.write(json.dumps(extract(Path(argv[1]), max_chars)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
