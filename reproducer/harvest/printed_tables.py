"""Tables printed as aligned text: pandas and R data frames, `summary()`, scikit-learn's classification
report, lavaan estimates, tabulate. A header line of words, then rows whose values sit under the headers.
Tables drawn with pipes go to `pipe_tables`."""

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise

from reproducer.harvest.build import clip, has_letter
from reproducer.harvest.fact import Fact
from reproducer.harvest.limits import HarvestLimits
from reproducer.harvest.numbers import NUMBER, is_number
from reproducer.harvest.pipe_tables import is_pipe_row, read_pipe_table
from reproducer.harvest.printed_headers import (
    ELIDED,
    Token,
    header_over_index,
    header_under_name,
    read_header,
    split_tokens,
    stack,
)
from reproducer.harvest.tables import TableRow, table_facts

# scikit-learn's report puts one blank line between its class rows and its averages.
_MAX_BLANK_LINES_INSIDE = 1
_RULE = re.compile(r"^[\s\-=+]+$")
_MATRIX_ROW = re.compile(r"\[(\d+),\]")
_MISSING = frozenset({"NA", "<NA>", "NaN", "nan", "None"})
# A tibble prints its columns' types under their names (`<int>  <dbl>`): a rule, like tabulate's dashes.
_TYPE_ROW = re.compile(r"^\s*(?:<[\w/ ]+>\s*)+$")


def _column_of(token: Token, header: Sequence[Token]) -> int | None:
    """The header the token sits under; when it spans two, the one sharing its right edge (right-aligned)."""
    under = [k for k, h in enumerate(header) if token.start < h.end and h.start < token.end]
    return min(under, key=lambda k: (abs(header[k].end - token.end), k)) if under else None


@dataclass(frozen=True)
class _Row:
    line: int
    label: str
    cells: dict[int, str]
    cell_keys: dict[int, str]


def _row(line: str, number: int, header: Sequence[Token]) -> _Row | None:
    """The line's cells by column, or None if it does not fit under the header."""
    label: list[str] = []
    texts: dict[int, list[str]] = {}
    numbers: dict[int, list[str]] = {}
    # Words under no header wait for the next value: R's summary() prints `1st Qu.:43.28` across a gap.
    loose: list[str] = []
    keys: dict[int, list[str]] = {}
    tokens = split_tokens(line)
    # `Mean richness, forest: 13.08` printed after a table is a `label: value` line, not one of its rows
    # (R's summary() glues its colon to the value instead: `Mean   :13.08`).
    if any(a.text.endswith(":") and b.number == b.text for a, b in pairwise(tokens)):
        return None
    missing = False
    for token in tokens:
        column = _column_of(token, header)
        if column is not None and token.text in _MISSING:
            missing = True  # R's and pandas' empty cell: the row goes on, the cell has no value
            continue
        if column is None:
            if token.end <= header[0].start and not texts and not numbers:
                label.append(token.text)
            elif token.number is not None:
                return None  # a value under no header: this line is not part of the table
            if token.number is None and has_letter(token.text):
                loose.append(token.text)
            continue  # stray marks such as R's significance stars
        value = token.number
        (numbers if value is not None else texts).setdefault(column, []).append(value or token.text)
        if value is not None:
            keys[column], loose = [*loose, *texts.get(column, [])], []
    if not (numbers or missing) or any(len(values) > 1 for values in numbers.values()):
        return None
    cells = {k: " ".join(values) for k, values in texts.items()}
    cells.update({k: values[0] for k, values in numbers.items()})
    cell_keys = {k: " ".join(keys[k]).rstrip(":").strip() for k in numbers if k in texts}
    return _Row(number, " ".join(label), cells, cell_keys)


def _column_names(header: Sequence[Token], rows: Sequence[_Row]) -> list[str]:
    """Header words; a word no value sits under joins the next one (`Std. Error`, `t value`)."""
    used = {k for row in rows for k in row.cells}
    names, pending = [], ""
    for k, token in enumerate(header):
        joins_next = k not in used and k + 1 < len(header) and header[k + 1].start == token.end + 1
        if joins_next:
            pending = f"{pending} {token.text}".strip()
            names.append("")
            continue
        names.append(f"{pending} {token.text}".strip())
        pending = ""
    return names


def _read_table(lines: Sequence[str], start: int, header: Sequence[Token]) -> tuple[list[_Row], int, str]:
    """Rows under the header at `start` (0-based), the index of the first line after the table, and the
    index's name when pandas printed it on a line of its own."""
    rows: list[_Row] = []
    index_name = ""
    blanks, index_name_allowed = 0, True
    end = position = start + 1
    while position < len(lines):
        line = lines[position]
        if not line.strip():
            blanks += 1
            if blanks > _MAX_BLANK_LINES_INSIDE:
                break
        elif _RULE.match(line):
            pass  # the dashes under a header (tabulate's `simple` format)
        else:
            row = _row(line, position + 1, header)
            if row is None:
                # pandas prints a named index on its own line under the header.
                words = [token.text for token in split_tokens(line) if token.text != ELIDED]
                if not (index_name_allowed and not rows and len(words) == 1):
                    break
                index_name = words[0]
            else:
                rows.append(row)
                end = position + 1
            blanks, index_name_allowed = 0, False
        position += 1
    return rows, end, index_name


def _ruled_name(lines: Sequence[str], position: int) -> list[Token] | None:
    """A one-column table's header: a lone name ruled off from its rows (a tibble's `<int>` under it)."""
    tokens = split_tokens(lines[position])
    ruled = position + 1 < len(lines) and lines[position + 1].strip() and _RULE.match(lines[position + 1])
    if ruled and len(tokens) == 1 and tokens[0].number is None and has_letter(tokens[0].text):
        return tokens
    return None


def _accepted(rows: Sequence[_Row], ruled: bool) -> bool:
    """Two rows, or one of two values; a header ruled off from its rows declares a table of one value."""
    if len(rows) == 1 and ruled:
        return True
    return len(rows) >= 2 or (len(rows) == 1 and sum(is_number(cell) for cell in rows[0].cells.values()) >= 2)


def _index(index_name: str, label: str) -> str:
    if (matrix_row := _MATRIX_ROW.fullmatch(label)) is not None:
        return f"row {matrix_row.group(1)}"
    return f"{index_name}={label}" if index_name and label else label


def printed_table_facts(
    lines: Sequence[str], *, file: str, where: str, limits: HarvestLimits
) -> Iterator[tuple[int, list[Fact]]]:
    """The facts of every row of every printed table in `lines`, with the row's 1-based line number,
    in line order."""
    lines = ["-" * len(line) if _TYPE_ROW.match(line) else line for line in lines]
    position = 0
    while position < len(lines):
        line = lines[position]
        if len(line) <= limits.max_line_chars and is_pipe_row(line):
            found, end = read_pipe_table(lines, position, file=file, where=where)
            if found:
                yield from sorted(found.items())
                position = end
                continue
        fits = len(line) <= limits.max_line_chars
        header = (
            (read_header(line) or header_over_index(lines, position) or _ruled_name(lines, position))
            if fits
            else None
        )
        named_index = ""
        if header is None and fits and (under := header_under_name(lines, position)) is not None:
            header, named_index = under
        if header is None:
            position += 1
            continue
        start = position
        stacked = read_header(lines[position + 1]) if fits and position + 1 < len(lines) else None
        if stacked is not None and len(stacked) > len(header):
            header, start = stack(header, stacked), position + 1
        rows, end, index_name = _read_table(lines, start, header)
        index_name = index_name or named_index
        ruled = start + 1 < len(lines) and _RULE.match(lines[start + 1]) is not None
        if not _accepted(rows, ruled):
            position += 1
            continue
        title = lines[position - 1].strip() if position and not NUMBER.search(lines[position - 1]) else ""
        names = _column_names(header, rows)
        if NUMBER.search(line):
            yield position + 1, []  # a header of numbers (`cyl  3  4  5`) names columns: no values of its own
        table_rows = [
            TableRow(
                where=f"line {row.line}",
                index=_index(index_name, row.label) or None,
                cells=[row.cells.get(k) for k in range(len(names))],
                context=clip(" | ".join(part for part in (title, line, lines[row.line - 1]) if part.strip())),
                cell_keys=[row.cell_keys.get(k) for k in range(len(names))],
            )
            for row in rows
        ]
        for row, table_row in zip(rows, table_rows, strict=True):
            yield (
                row.line,
                table_facts(
                    names,
                    [table_row],
                    file=file,
                    location=lambda r, column: f'{where}{r.where}, column "{column}"',
                    several_rows=len(rows) > 1,
                    whole_table=table_rows,
                ),
            )
        position = end
