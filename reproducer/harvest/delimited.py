"""CSV and TSV: a header row when the first row has words, an index column when its header is blank
(pandas' `to_csv`, R's `write.csv`), and each cell labelled `row key, column`."""

import csv
import io
import itertools
from collections import deque
from collections.abc import Iterator

from reproducer.harvest.build import clip
from reproducer.harvest.fact import Fact
from reproducer.harvest.limits import HarvestLimits
from reproducer.harvest.numbers import is_number
from reproducer.harvest.tables import TableRow, table_facts

# How pandas names a blank header when reading a CSV back and writing it again.
_INDEX_HEADERS = frozenset({"", "unnamed: 0", "index", "row.names", "rownames"})


def guess_delimiter(text: str, suffix: str) -> str:
    if suffix in {".tsv", ".tab"}:
        return "\t"
    first = text.split("\n", 1)[0]
    # Semicolons separate fields where the decimal mark is a comma.
    candidates = [",", ";", "\t"]
    return max(candidates, key=lambda sep: (first.count(sep), -candidates.index(sep)))


def _kept_rows(rows: Iterator[list[str]], cap: int) -> list[tuple[int, list[str]]]:
    """The first and the last rows past the cap, numbered from 1: a table sorted by date or by epoch has
    its latest rows at the end, where a question about "the latest date" looks."""
    head: list[tuple[int, list[str]]] = []
    tail: deque[tuple[int, list[str]]] = deque(maxlen=cap // 2)
    for number, row in enumerate(rows, start=1):
        if len(head) < cap - cap // 2:
            head.append((number, row))
        else:
            tail.append((number, row))
    return [*head, *tail]


def delimited_facts(text: str, *, file: str, delimiter: str, limits: HarvestLimits) -> list[Fact]:
    """Facts of every cell (of the first and last rows when there are more than the cap allows); raises
    csv.Error on a malformed file."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = (row for row in reader if any(cell.strip() for cell in row))
    first = next(rows, None)
    if first is None:
        return []
    has_header = any(cell.strip() and not is_number(cell) for cell in first)
    # Every row gives at least one fact and about one per column: rows past the cap are never labelled.
    cap = max(2, limits.max_facts_per_file // max(1, len(first)))
    body = _kept_rows(rows if has_header else itertools.chain([first], rows), cap)
    width = max(len(row) for row in [first, *(row for _, row in body)])
    header = [cell.strip() for cell in first] if has_header else []
    # R's write.table leaves the row names' column out of the header: the body is one wider.
    if has_header and len(header) == width - 1:
        header = ["", *header]
    header += [""] * (width - len(header))
    has_index = has_header and header[0].lower() in _INDEX_HEADERS
    columns = [name or f"column {k + 1}" for k, name in enumerate(header)]
    columns = columns[1:] if has_index else columns
    header_text = delimiter.join(header) if has_header else ""
    table_rows = []
    for number, row in body:
        cells: list[str | None] = [*row, *[None] * (width - len(row))]
        table_rows.append(
            TableRow(
                where=f"row {number}",
                index=cells[0] if has_index else None,
                cells=cells[1:] if has_index else cells,
                context=clip(
                    f"{header_text} | {delimiter.join(row)}" if header_text else delimiter.join(row)
                ),
            )
        )
    facts = table_facts(
        columns, table_rows, file=file, location=lambda r, column: f'{r.where}, column "{column}"'
    )
    if len(facts) <= limits.max_facts_per_file:
        return facts
    half = limits.max_facts_per_file // 2
    return [*facts[: limits.max_facts_per_file - half], *facts[len(facts) - half :]]
