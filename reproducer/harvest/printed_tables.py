"""Tables printed as aligned text: pandas and R data frames, `summary()`, scikit-learn's classification
report, lavaan estimates, tabulate. A header line of words, then rows whose values sit under the headers.
Tables drawn with pipes go to `pipe_tables`."""

import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from reproducer.harvest.build import clip, has_letter
from reproducer.harvest.fact import Fact
from reproducer.harvest.limits import HarvestLimits
from reproducer.harvest.numbers import NUMBER, is_number, parse_number
from reproducer.harvest.pipe_tables import is_pipe_row, read_pipe_table
from reproducer.harvest.tables import TableRow, table_facts

_MAX_COLUMNS = 40
# scikit-learn's report puts one blank line between its class rows and its averages.
_MAX_BLANK_LINES_INSIDE = 1
_TOKEN = re.compile(r"\S+")
_RULE = re.compile(r"^[\s\-=+]+$")
_ELIDED = "..."
_MATRIX_COLUMN = re.compile(r"\[,(\d+)\]")
_MATRIX_ROW = re.compile(r"\[(\d+),\]")
_INTERVAL_COLUMNS = 2


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    text: str

    @property
    def number(self) -> str | None:
        # R's summary() glues a value to its stat's colon: `Mean   :1.000`.
        text = self.text.lstrip(":")
        return text if is_number(text) else None


def _tokens(line: str) -> list[_Token]:
    found = []
    for match in _TOKEN.finditer(line):
        # R's summary() glues a two-word stat to its value too: `1st Qu.:43.28`.
        name, colon, value = match.group().rpartition(":")
        if colon and name and is_number(value):
            found.append(_Token(match.start(), match.start() + len(name), name))
            found.append(_Token(match.end() - len(value) - 1, match.end(), f":{value}"))
        else:
            found.append(_Token(match.start(), match.end(), match.group()))
    return found


def _percents_rise(tokens: Sequence[_Token]) -> bool:
    """R's quantile() heads its values with `0%  25%  50%  75%  100%`: percents in rising order."""
    values = [parse_number(token.text.replace(" ", "")) for token in tokens]
    numbers = [value for value in values if value is not None]
    return len(numbers) == len(tokens) and all(a < b for a, b in itertools.pairwise(numbers))


def _interval_header(text: str) -> str | None:
    """statsmodels heads an interval's ends `[0.025  0.975]`; they become `ci lower`/`ci upper`."""
    if text.startswith("[") and is_number(text[1:]):
        return f"ci lower {text}"
    if text.endswith("]") and is_number(text[:-1]):
        return f"ci upper {text}"
    return None


def _glued_percents(tokens: Sequence[_Token]) -> list[_Token]:
    """R's confint() heads its columns `2.5 %` and `97.5 %`: one name each."""
    glued: list[_Token] = []
    for token in tokens:
        if token.text == "%" and glued and is_number(glued[-1].text):
            glued[-1] = _Token(glued[-1].start, token.end, f"{glued[-1].text} %")
        else:
            glued.append(token)
    return glued


def _interval_ends(tokens: Sequence[_Token]) -> list[_Token]:
    """Two rising percents head an interval's ends: `2.5 %` is its lower end, `97.5 %` its upper."""
    if len(tokens) != _INTERVAL_COLUMNS:
        return list(tokens)
    lower, upper = tokens
    return [
        _Token(lower.start, lower.end, f"{lower.text} lower"),
        _Token(upper.start, upper.end, f"{upper.text} upper"),
    ]


def _matrix_column(text: str) -> str | None:
    """R prints an unnamed matrix's columns `[,1]` and its rows `[1,]`."""
    match = _MATRIX_COLUMN.fullmatch(text)
    return f"column {match.group(1)}" if match else None


def _header(line: str) -> list[_Token] | None:
    if ":" in line or "=" in line:
        return None
    # pandas elides the middle columns of a wide frame with `...`.
    tokens = [token for token in _glued_percents(_tokens(line)) if token.text != _ELIDED]
    if not 2 <= len(tokens) <= _MAX_COLUMNS:
        return None
    if all(token.text.endswith("%") for token in tokens):
        return _interval_ends(tokens) if _percents_rise(tokens) else None
    named = [
        _Token(token.start, token.end, name)
        if (name := _interval_header(token.text) or _matrix_column(token.text))
        else token
        for token in tokens
    ]
    # pandas' describe() mixes percentiles into its header: `count  mean  std  25%  50%  75%  max`.
    if any(
        NUMBER.search(token.text) and not has_letter(token.text) and not token.text.endswith("%")
        for token in named
    ):
        return None
    if not any(has_letter(token.text) for token in named):
        return None
    named = [
        _Token(token.start, token.end, f"{token.text} percentile") if token.text.endswith("%") else token
        for token in named
    ]
    return named


def _column_of(token: _Token, header: Sequence[_Token]) -> int | None:
    """The header the token sits under; when it spans two, the one sharing its right edge (right-aligned)."""
    under = [k for k, h in enumerate(header) if token.start < h.end and h.start < token.end]
    return min(under, key=lambda k: (abs(header[k].end - token.end), k)) if under else None


@dataclass(frozen=True)
class _Row:
    line: int
    label: str
    cells: dict[int, str]
    cell_keys: dict[int, str]


def _row(line: str, number: int, header: Sequence[_Token]) -> _Row | None:
    """The line's cells by column, or None if it does not fit under the header."""
    label: list[str] = []
    texts: dict[int, list[str]] = {}
    numbers: dict[int, list[str]] = {}
    # Words under no header wait for the next value: R's summary() prints `1st Qu.:43.28` across a gap.
    loose: list[str] = []
    keys: dict[int, list[str]] = {}
    for token in _tokens(line):
        column = _column_of(token, header)
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
    if not numbers or any(len(values) > 1 for values in numbers.values()):
        return None
    cells = {k: " ".join(values) for k, values in texts.items()}
    cells.update({k: values[0] for k, values in numbers.items()})
    cell_keys = {k: " ".join(keys[k]).rstrip(":").strip() for k in numbers if k in texts}
    return _Row(number, " ".join(label), cells, cell_keys)


def _column_names(header: Sequence[_Token], rows: Sequence[_Row]) -> list[str]:
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


def _stack(upper: Sequence[_Token], lower: Sequence[_Token]) -> list[_Token]:
    """pandas prints a two-level column index on two lines, each upper name over its group from the left
    (`val` over `acc f1`): the columns are `val acc`, `val f1`, ..."""
    stacked = []
    for token in lower:
        over = [name for name in upper if name.start < token.end]
        text = f"{over[-1].text} {token.text}" if over else token.text
        stacked.append(_Token(token.start, token.end, text))
    return stacked


def _header_over_index(lines: Sequence[str], position: int) -> list[_Token] | None:
    """pandas' crosstab and pivot_table print the columns' name first on the header line and the index's
    name alone on the next (`disease  0  1  All` over `smoker`): the columns are `disease=0`, ..."""
    tokens = _tokens(lines[position])
    below = _tokens(lines[position + 1]) if position + 1 < len(lines) else []
    if not 2 <= len(tokens) <= _MAX_COLUMNS or len(below) != 1 or not has_letter(below[0].text):
        return None
    name = tokens[0].text
    if not has_letter(name) or ":" in lines[position] or "=" in lines[position] or is_number(name):
        return None
    return [_Token(token.start, token.end, f"{name}={token.text}") for token in tokens[1:]]


def _header_under_name(lines: Sequence[str], position: int) -> tuple[list[_Token], str] | None:
    """R's table() and xtabs() with named dimensions print the columns' name alone over the header and the
    rows' name first on it (`   gear` over `cyl  3  4  5`): the columns are `gear=3`, ..., the index `cyl`."""
    tokens = _tokens(lines[position])
    above = _tokens(lines[position - 1]) if position else []
    if len(tokens) < _INTERVAL_COLUMNS or len(above) != 1 or not has_letter(above[0].text):
        return None
    name = tokens[0]
    if not has_letter(name.text) or is_number(name.text) or above[0].start < name.end:
        return None
    return [
        _Token(token.start, token.end, f"{above[0].text}={token.text}") for token in tokens[1:]
    ], name.text


def _read_table(lines: Sequence[str], start: int, header: Sequence[_Token]) -> tuple[list[_Row], int, str]:
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
                words = [token.text for token in _tokens(line) if token.text != _ELIDED]
                if not (index_name_allowed and not rows and len(words) == 1):
                    break
                index_name = words[0]
            else:
                rows.append(row)
                end = position + 1
            blanks, index_name_allowed = 0, False
        position += 1
    return rows, end, index_name


def _accepted(rows: Sequence[_Row]) -> bool:
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
        header = (_header(line) or _header_over_index(lines, position)) if fits else None
        named_index = ""
        if header is None and fits and (under := _header_under_name(lines, position)) is not None:
            header, named_index = under
        if header is None:
            position += 1
            continue
        start = position
        stacked = _header(lines[position + 1]) if fits and position + 1 < len(lines) else None
        if stacked is not None and len(stacked) > len(header):
            header, start = _stack(header, stacked), position + 1
        rows, end, index_name = _read_table(lines, start, header)
        index_name = index_name or named_index
        if not _accepted(rows):
            position += 1
            continue
        title = lines[position - 1].strip() if position and not NUMBER.search(lines[position - 1]) else ""
        names = _column_names(header, rows)
        if NUMBER.search(line):
            yield position + 1, []  # a header of numbers (`cyl  3  4  5`) names columns: no values of its own
        for row in rows:
            context = clip(" | ".join(part for part in (title, line, lines[row.line - 1]) if part.strip()))
            table_row = TableRow(
                where=f"line {row.line}",
                index=_index(index_name, row.label) or None,
                cells=[row.cells.get(k) for k in range(len(names))],
                context=context,
                cell_keys=[row.cell_keys.get(k) for k in range(len(names))],
            )
            yield (
                row.line,
                table_facts(
                    names,
                    [table_row],
                    file=file,
                    location=lambda r, column: f'{where}{r.where}, column "{column}"',
                    several_rows=len(rows) > 1,
                ),
            )
        position = end
