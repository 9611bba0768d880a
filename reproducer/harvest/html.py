"""HTML: tables (pandas' `to_html`, R's knitr/kable) cell by cell, then the text around them line by line."""

import html as html_lib
import re

from bs4 import BeautifulSoup, Tag

from reproducer.harvest.build import clip
from reproducer.harvest.fact import Fact
from reproducer.harvest.limits import HarvestLimits
from reproducer.harvest.numbers import is_number
from reproducer.harvest.tables import TableRow, table_facts
from reproducer.harvest.text import text_facts

# A cell spanning more columns than this is a layout trick, not data.
_MAX_COLSPAN = 50
# Scripts and styles hold no results; plotting libraries embed megabytes of them, too slow to parse.
_SCRIPTS = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
# A page with more tags than this is not a results table a person reads (a hostile file has millions, and
# building a tree of them takes minutes and gigabytes): its text is read without a tree.
MAX_TAGS = 100_000
_TAG = re.compile(r"<[^>]*>")
_BREAKS = re.compile(r"<(?:br|p|div|tr|li|h[1-6])\b[^>]*>", re.IGNORECASE)


def _cells(row: Tag) -> list[tuple[str, bool]]:
    """The row's cells as (text, is_header_cell), a cell with colspan=n repeated n times."""
    cells = []
    for cell in row.find_all(["th", "td"], recursive=False):
        span = str(cell.get("colspan") or "1")
        repeat = min(int(span), _MAX_COLSPAN) if span.isdigit() and int(span) > 0 else 1
        cells += [(cell.get_text(" ", strip=True), cell.name == "th")] * repeat
    return cells


def _header_rows(table: Tag, rows: list[list[tuple[str, bool]]]) -> int:
    head = table.find("thead")
    if isinstance(head, Tag):
        return len(head.find_all("tr"))
    if rows and (all(is_th for _, is_th in rows[0]) or any(t and not is_number(t) for t, _ in rows[0])):
        return 1
    return 0


def _table_facts(table: Tag, number: int, *, file: str, where: str) -> list[Fact]:
    rows = [cells for tr in table.find_all("tr") if (cells := _cells(tr))]
    count = _header_rows(table, rows)
    header_rows, body = rows[:count], rows[count:]
    if not body:
        return []
    width = max(len(row) for row in rows)
    # Stacked header rows (pandas puts the index's name on a row of its own) merge column by column.
    header = [
        " ".join(row[k][0] for row in header_rows if k < len(row) and row[k][0]).strip() for k in range(width)
    ]
    has_index = bool(header_rows) and (not header[0] or all(row[0][1] for row in body))
    columns = [name or f"column {k + 1}" for k, name in enumerate(header)]
    columns = columns[1:] if has_index else columns
    header_text = " | ".join(header)
    table_rows = []
    for position, row in enumerate(body, start=1):
        values: list[str | None] = [text for text, _ in row] + [None] * (width - len(row))
        table_rows.append(
            TableRow(
                where=f"row {position}",
                index=values[0] if has_index else None,
                cells=values[1:] if has_index else values,
                context=clip(f"{header_text} || {' | '.join(text for text, _ in row)}"),
            )
        )
    return table_facts(
        columns,
        table_rows,
        file=file,
        location=lambda r, column: f'{where}table {number}, {r.where}, column "{column}"',
    )


# Source code shown with its output: knitr's `<pre class="r">`, pandoc's `<pre class="sourceCode python">`,
# nbconvert's input areas. Outputs are bare `<pre>`s. The prompts (`In [3]:`, `Out[3]:`) name nothing.
_SOURCE = "pre[class], div.jp-InputArea, div.input_area"
_PROMPTS = "div.jp-InputPrompt, div.jp-OutputPrompt, div.prompt"


_WRAPPED = re.compile(r"[ \t]*\n\s*")
_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n){3,}")
_BLOCKS = [
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "pre", "blockquote", "section", "article", "header",
    "footer", "main", "nav", "aside", "figure", "figcaption", "title", "tr", "td", "th", "hr",
]  # fmt: skip


def _mark_source(soup: BeautifulSoup) -> None:
    """Source lines read as commands at a prompt (`> median(x)`): they label the output below them, and
    the numbers in them are arguments, not results."""
    for prompt in soup.select(_PROMPTS):
        prompt.decompose()
    for code in soup.select(_SOURCE):
        lines = code.get_text().splitlines()
        code.replace_with("\n".join(f"> {line}" if line.strip() else line for line in lines) + "\n")


_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_INPUT_AREAS = frozenset({"jp-InputArea", "input_area"})
_COMMENT = re.compile(r"^\s*#+\s*(\S.*?)\s*$")


def _is_source(tag: Tag) -> bool:
    classes = set(tag.get("class") or [])
    return (tag.name == "pre" and bool(classes)) or (tag.name == "div" and bool(classes & _INPUT_AREAS))


def _table_sections(soup: BeautifulSoup) -> dict[int, str]:
    """Each table's section, by `id`: the headings above it (`Protocol 2`, then `Analysis`) and the comments
    of the code just before it (`# Performing one-way ANOVA`), which say what the table is, as the
    headings and echoed code do for printed text. One pass over the page in document order."""
    headings = [""] * len(_HEADINGS)
    comments = ""
    sections: dict[int, str] = {}
    for tag in soup.find_all(True):
        if tag.name in _HEADINGS:
            level = _HEADINGS.index(tag.name)
            headings[level:] = [
                tag.get_text(" ", strip=True).rstrip("¶ "),
                *[""] * (len(_HEADINGS) - level - 1),
            ]
            comments = ""
        elif _is_source(tag):
            found = (_COMMENT.match(line) for line in tag.get_text().splitlines())
            comments = "; ".join(match.group(1) for match in found if match)
        elif tag.name == "table":
            # The page's title (h1) names every table on it alike, which tells none apart.
            sections[id(tag)] = clip(", ".join(part for part in (*headings[1:], comments) if part))
    return sections


def html_facts(text: str, *, file: str, limits: HarvestLimits, where: str = "") -> list[Fact]:
    """Facts of every table, then of the text around them.

    Locations read `table T, row R, column "C"` and `text line N`.
    """
    text = _SCRIPTS.sub("", text)
    if text.count("<") > MAX_TAGS:
        flat = html_lib.unescape(_TAG.sub(" ", _BREAKS.sub("\n", text)))
        return text_facts(flat, file=file, limits=limits, where=f"{where}text ")[: limits.max_facts_per_file]
    soup = BeautifulSoup(text, "html.parser")
    facts: list[Fact] = []
    sections = _table_sections(soup)
    for number, table in enumerate(soup.find_all("table"), start=1):
        found = _table_facts(table, number, file=file, where=where)
        if section := sections.get(id(table), ""):
            found = [fact.model_copy(update={"section": section}) for fact in found]
        facts += found
    for element in soup.find_all(["table", "script", "style"]):
        element.decompose()
    # Outside <pre>, a newline in the page's source is a space: a wrapped sentence stays one line.
    for string in soup.find_all(string=True):
        if "\n" in string and string.find_parent("pre") is None:
            string.replace_with(_WRAPPED.sub(" ", string))
    _mark_source(soup)
    # A heading names the section below it (R Markdown's `## Imputing missing values`); the text reader
    # knows it as one by its `==` marks.
    for heading in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"]):
        heading.replace_with(f"\n== {heading.get_text(' ', strip=True)} ==\n")
    # Lines break at blocks only: a sentence with a bold word or inline code stays one line.
    for block in soup.find_all(_BLOCKS):
        block.insert_before("\n")
        block.insert_after("\n")
    for br in soup.find_all("br"):
        br.replace_with("\n")
    text = _BLANK_LINES.sub("\n\n\n", soup.get_text())
    facts += text_facts(text, file=file, limits=limits, where=f"{where}text ")
    return facts[: limits.max_facts_per_file]
