"""Tables drawn with pipes: Markdown, and tabulate's `pipe`, `github`, `psql` and `grid` formats.

| model  |   accuracy |        +--------+------------+
|--------|------------|        | model  |   accuracy |
| logreg |     0.91   |        +========+============+
"""

import re
from collections.abc import Sequence

from reproducer.harvest.build import clip, has_letter
from reproducer.harvest.fact import Fact
from reproducer.harvest.tables import TableRow, table_facts

# A border or the line under the header: only dashes, equals, colons, plus signs and pipes.
_RULE = re.compile(r"^\s*[|+]?[\s\-=:+|]*[-=][\s\-=:+|]*$")
_MIN_PIPES = 2


def is_pipe_row(line: str) -> bool:
    """A row between pipes (`| a | b |`, `a | b | c`); R's `Pr(>|t|)` header is not one."""
    stripped = line.strip()
    separated = stripped.startswith("|") or stripped.count(" | ") >= _MIN_PIPES
    return separated and line.count("|") >= _MIN_PIPES and not _RULE.match(line)


def _cells(line: str) -> list[str]:
    cells = [cell.strip() for cell in line.strip().split("|")]
    # `| a | b |` splits into '', 'a', 'b', '': the edge pipes enclose, they do not separate.
    if line.strip().startswith("|"):
        cells = cells[1:]
    if line.strip().endswith("|"):
        cells = cells[:-1]
    return cells


def read_pipe_table(
    lines: Sequence[str], start: int, *, file: str, where: str
) -> tuple[dict[int, list[Fact]], int]:
    """The facts of the table whose header is line `start` (0-based), keyed by 1-based line number, and the
    index of the first line after the table. Returns no facts when the header has no words."""
    header = _cells(lines[start])
    if not any(has_letter(cell) for cell in header):
        return {}, start + 1
    has_index = not header[0]
    columns = [name or f"column {k + 1}" for k, name in enumerate(header)][1 if has_index else 0 :]
    rows: list[TableRow] = []
    position = start + 1
    while position < len(lines) and (is_pipe_row(lines[position]) or _RULE.match(lines[position])):
        if is_pipe_row(lines[position]):
            cells: list[str | None] = [*_cells(lines[position])]
            cells += [None] * (len(header) - len(cells))
            rows.append(
                TableRow(
                    where=f"line {position + 1}",
                    index=cells[0] if has_index else None,
                    cells=cells[1:] if has_index else cells,
                    context=clip(f"{lines[start]} | {lines[position]}"),
                )
            )
        position += 1
    found: dict[int, list[Fact]] = {}
    for row in rows:
        found[int(row.where.split()[-1])] = table_facts(
            columns,
            [row],
            file=file,
            location=lambda r, column: f'{where}{r.where}, column "{column}"',
            several_rows=len(rows) > 1,
            whole_table=rows,
        )
    return found, position
