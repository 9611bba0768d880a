"""The harvest's reader process: `python -m reproducer.harvest.worker MEMORY_BYTES`.

A hostile output (a million HTML tags, a JSON document of millions of labels, a PDF bomb) can make a
parser run for minutes or take gigabytes. The runner therefore parses nothing itself: this process
does, under an address-space limit, one file per request, and the parent kills it when a file takes
longer than its budget. A request is a JSON line {"name", "kind", "bytes", "limits"} followed by that
many bytes of the file (which the runner read through the workspace's files, capped: see
`reproducer.backends.files`); the answer is a JSON line {"state", "reason", "facts": [...]}.
"""

import io
import json
import resource
import sys
from pathlib import Path
from typing import Any

from reproducer.harvest.fact import Fact
from reproducer.harvest.kinds import decode
from reproducer.harvest.limits import HarvestLimits

# The first line, once the parsers are loaded: a file's time budget is spent parsing, not importing.
READY = "ready\n"


def _pdf(data: bytes, name: str, limits: HarvestLimits) -> dict[str, Any]:
    from reproducer.harvest.pdf import extract  # pypdf is loaded only when a PDF comes
    from reproducer.harvest.text import text_facts

    answer = extract(io.BytesIO(data), limits.max_pdf_text_chars)
    if answer["state"] != "ok":
        return {"state": answer["state"], "reason": answer["reason"], "facts": []}
    facts: list[Fact] = []
    for number, text in enumerate(answer["pages"], start=1):
        facts += text_facts(text, file=name, limits=limits, where=f"page {number}, ")
    return {"state": "ok", "reason": "", "facts": facts}


def read(request: dict[str, Any], data: bytes) -> dict[str, Any]:
    """Facts of one file's bytes, as the answer to send back."""
    from reproducer.harvest.readers import TEXT_READERS

    limits = HarvestLimits.model_validate(request["limits"])
    kind, name = request["kind"], request["name"]
    if kind == "pdf":
        answer = _pdf(data, name, limits)
    else:
        try:
            facts = TEXT_READERS[kind](decode(data), Path(name), name, limits)
            answer = {"state": "ok", "reason": "", "facts": facts}
        except (MemoryError, RecursionError):  # the budget's own answer, in `main`
            raise
        # One damaged output must not cost the facts of all the others: any reader failure is recorded.
        except Exception as error:
            reason = f"cannot be read as {kind}: {type(error).__name__}: {error}"[:500]
            answer = {"state": "broken", "reason": reason, "facts": []}
    answer["facts"] = [fact.model_dump(mode="json") for fact in answer["facts"][: limits.max_facts_per_file]]
    return answer


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not argv[1].isdigit():
        print("usage: python -m reproducer.harvest.worker MEMORY_BYTES", file=sys.stderr)
        return 2
    memory = int(argv[1])
    # Set here rather than by the parent: a pre-exec hook is unsafe in a parent that runs threads.
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    from reproducer.harvest.readers import TEXT_READERS  # noqa: F401 - loaded before the clock starts

    sys.stdout.write(READY)
    sys.stdout.flush()
    requests = sys.stdin.buffer
    while line := requests.readline():
        request = json.loads(line)
        data = requests.read(int(request["bytes"]))
        try:
            answer = read(request, data)
        except MemoryError:
            answer = {"state": "broken", "reason": f"over the reader's memory budget of {memory} bytes"}
        except RecursionError:
            answer = {"state": "broken", "reason": "nested too deeply to be read"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
