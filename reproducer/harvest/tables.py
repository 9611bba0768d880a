"""Tables of any origin (CSV, HTML, printed data frames) to facts labelled `row key, column header`."""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reproducer.harvest.build import MISSING, make_fact
from reproducer.harvest.fact import Fact
from reproducer.harvest.numbers import NUMBER, is_number

_INTEGER = re.compile(r"\s*\d+\s*")
_IDENTIFIER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class TableRow:
    """One body row: where it is (`row 3`, `line 12`), its index cell if the table has an index column,
    and one cell per column (None where the row has nothing)."""

    where: str
    index: str | None
    cells: Sequence[str | None]
    context: str = ""
    # A key for single cells, as in R's summary() where each cell names its statistic (`Mean :1.0`).
    cell_keys: Sequence[str | None] = ()


def _is_name(cell: str | None) -> bool:
    """A cell that can name its row (`logreg`, `CTGCN-C`, `Exam1`), unlike `<2e-16` or `0.93 (0.02)`."""
    return cell is not None and cell.strip().lower() not in MISSING and NUMBER.search(cell) is None


def _is_identifier(cell: str | None) -> bool:
    """A cell that starts with a letter and is no number: a name with digits (`NGC 3198`, `S01`) or a name."""
    text = (cell or "").strip()
    return bool(_IDENTIFIER.match(text)) and text.lower() not in MISSING and not is_number(text)


def _identifier_column(rows: Sequence[TableRow]) -> int | None:
    """The first column every row fills with an identifier and some with digits in it (`galaxy`: `NGC 3198`,
    `DDO 154`): it names the rows, which pandas' default 0, 1, 2 index does not. Plain names (`logreg`)
    name their rows already (see `_is_name`)."""
    width = max((len(row.cells) for row in rows), default=0)
    for k in range(width):
        cells = [row.cells[k] if k < len(row.cells) else None for row in rows]
        if all(_is_identifier(cell) for cell in cells) and not all(_is_name(cell) for cell in cells):
            return k
    return None


def _key_parts(
    row: TableRow, columns: Sequence[str], several_rows: bool, identifier: int | None
) -> list[tuple[int | None, str]]:
    """The parts naming a row: its index, then its name cells as `column=name`; else its first cell."""
    texts = [
        (k, f"{columns[k]}={cell.strip()}" if columns[k] else cell.strip())
        for k, cell in enumerate(row.cells)
        if cell is not None and (_is_name(cell) or k == identifier)
    ]
    parts: list[tuple[int | None, str]] = []
    index = (row.index or "").strip()
    # A bare 0, 1, 2 index (pandas' default) says nothing once the row has a name of its own.
    if index and not (texts and _INTEGER.fullmatch(index)):
        parts.append((None, index))
    parts += texts
    named_cell = bool(row.cell_keys and row.cell_keys[0])  # R's summary(): the cell names its own stat
    if not parts and several_rows and len(row.cells) > 1 and row.cells[0] and columns[0] and not named_cell:
        parts.append((0, f"{columns[0]}={row.cells[0].strip()}"))  # e.g. `epoch=9` in a log of epochs
    if not parts and several_rows:
        parts.append((None, row.where))
    return parts


def table_facts(
    columns: Sequence[str],
    rows: Sequence[TableRow],
    *,
    file: str,
    location: Callable[[TableRow, str], str],
    several_rows: bool | None = None,
    whole_table: Sequence[TableRow] = (),
) -> list[Fact]:
    """One fact per non-empty cell: numbers labelled `row key, column`, text cells labelled by the rest
    of the row's key; the key column of an all-number row is not repeated as a fact of its own.
    A caller passing the rows one at a time gives all of them as `whole_table`."""
    facts: list[Fact] = []
    table = whole_table or rows
    identifier = _identifier_column(table) if len(table) > 1 else None
    for row in rows:
        parts = _key_parts(row, columns, len(rows) > 1 if several_rows is None else several_rows, identifier)
        key = ", ".join(text for _, text in parts)
        for k, cell in enumerate(row.cells):
            if cell is None or k >= len(columns):
                continue
            column = columns[k]
            if any(owner == k for owner, _ in parts):
                if is_number(cell):
                    continue
                others = ", ".join(text for owner, text in parts if owner != k)
                label = f"{others}, {column}" if others else column
                fact = make_fact(
                    label,
                    cell,
                    file=file,
                    location=location(row, column),
                    context=row.context,
                    row=others,
                    column=column,
                )
            else:
                cell_key = row.cell_keys[k] if k < len(row.cell_keys) and row.cell_keys[k] else key
                label = f"{cell_key}, {column}" if cell_key else column
                fact = make_fact(
                    label,
                    cell,
                    file=file,
                    location=location(row, column),
                    context=row.context,
                    row=cell_key or "",
                    column=column,
                )
            if fact is not None:
                facts.append(fact)
    return facts
