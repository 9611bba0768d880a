"""What heads a table printed as aligned text: a line of column names (pandas, R, statsmodels, scikit-learn)
and the variants real printouts use: R's `[,1]` matrix columns, quantile and confint percents, statsmodels'
`[0.025  0.975]`, pandas' elided `...` columns, two-level column names, and crosstabs whose dimension
names sit beside or above the header."""

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from reproducer.harvest.build import has_letter
from reproducer.harvest.numbers import NUMBER, is_number, parse_number

MAX_COLUMNS = 40
ELIDED = "..."
_TOKEN = re.compile(r"\S+")
_MATRIX_COLUMN = re.compile(r"\[,(\d+)\]")
_INTERVAL_COLUMNS = 2
# A banner (`------BOOTSTRAP SAMPLING------`, `=== Results ===`, `## Scores`) heads a section, not columns.
_BANNER = re.compile(r"^\s*(?:[-=*#]{2,}|#\s)")


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str

    @property
    def number(self) -> str | None:
        # R's summary() glues a value to its stat's colon: `Mean   :1.000`.
        text = self.text.lstrip(":")
        return text if is_number(text) else None


def split_tokens(line: str) -> list[Token]:
    found = []
    for match in _TOKEN.finditer(line):
        # R's summary() glues a two-word stat to its value too: `1st Qu.:43.28`.
        name, colon, value = match.group().rpartition(":")
        if colon and name and is_number(value):
            found.append(Token(match.start(), match.start() + len(name), name))
            found.append(Token(match.end() - len(value) - 1, match.end(), f":{value}"))
        else:
            found.append(Token(match.start(), match.end(), match.group()))
    return found


def _percents_rise(tokens: Sequence[Token]) -> bool:
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


def _glued_percents(tokens: Sequence[Token]) -> list[Token]:
    """R's confint() heads its columns `2.5 %` and `97.5 %`: one name each."""
    glued: list[Token] = []
    for token in tokens:
        if token.text == "%" and glued and is_number(glued[-1].text):
            glued[-1] = Token(glued[-1].start, token.end, f"{glued[-1].text} %")
        else:
            glued.append(token)
    return glued


def _interval_ends(tokens: Sequence[Token]) -> list[Token]:
    """Two rising percents head an interval's ends: `2.5 %` is its lower end, `97.5 %` its upper."""
    if len(tokens) != _INTERVAL_COLUMNS:
        return list(tokens)
    lower, upper = tokens
    return [
        Token(lower.start, lower.end, f"{lower.text} lower"),
        Token(upper.start, upper.end, f"{upper.text} upper"),
    ]


def _matrix_column(text: str) -> str | None:
    """R prints an unnamed matrix's columns `[,1]` and its rows `[1,]`."""
    match = _MATRIX_COLUMN.fullmatch(text)
    return f"column {match.group(1)}" if match else None


def read_header(line: str) -> list[Token] | None:
    if ":" in line or "=" in line or _BANNER.match(line):
        return None
    # pandas elides the middle columns of a wide frame with `...`.
    tokens = [token for token in _glued_percents(split_tokens(line)) if token.text != ELIDED]
    if not 2 <= len(tokens) <= MAX_COLUMNS:
        return None
    if all(token.text.endswith("%") for token in tokens):
        return _interval_ends(tokens) if _percents_rise(tokens) else None
    named = [
        Token(token.start, token.end, name)
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
        Token(token.start, token.end, f"{token.text} percentile") if token.text.endswith("%") else token
        for token in named
    ]
    return named


def stack(upper: Sequence[Token], lower: Sequence[Token]) -> list[Token]:
    """pandas prints a two-level column index on two lines, each upper name over its group from the left
    (`val` over `acc f1`): the columns are `val acc`, `val f1`, ..."""
    stacked = []
    for token in lower:
        over = [name for name in upper if name.start < token.end]
        text = f"{over[-1].text} {token.text}" if over else token.text
        stacked.append(Token(token.start, token.end, text))
    return stacked


def header_over_index(lines: Sequence[str], position: int) -> list[Token] | None:
    """pandas' crosstab and pivot_table print the columns' name first on the header line and the index's
    name alone on the next (`disease  0  1  All` over `smoker`): the columns are `disease=0`, ..."""
    tokens = split_tokens(lines[position])
    below = split_tokens(lines[position + 1]) if position + 1 < len(lines) else []
    if not 2 <= len(tokens) <= MAX_COLUMNS or len(below) != 1 or not has_letter(below[0].text):
        return None
    name = tokens[0].text
    if not has_letter(name) or ":" in lines[position] or "=" in lines[position] or is_number(name):
        return None
    return [Token(token.start, token.end, f"{name}={token.text}") for token in tokens[1:]]


def header_under_name(lines: Sequence[str], position: int) -> tuple[list[Token], str] | None:
    """R's table() and xtabs() with named dimensions print the columns' name alone over the header and the
    rows' name first on it (`   gear` over `cyl  3  4  5`): the columns are `gear=3`, ..., the index `cyl`."""
    tokens = split_tokens(lines[position])
    above = split_tokens(lines[position - 1]) if position else []
    if len(tokens) < _INTERVAL_COLUMNS or len(above) != 1 or not has_letter(above[0].text):
        return None
    name = tokens[0]
    if not has_letter(name.text) or is_number(name.text) or above[0].start < name.end:
        return None
    return [Token(token.start, token.end, f"{above[0].text}={token.text}") for token in tokens[1:]], name.text
