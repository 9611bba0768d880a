"""Plain text and logs: `Accuracy: 0.93`, `test acc = 0.91`, `AUC 0.87`, R's `[1] 0.5`, `Best model: rf`,
and tables printed by pandas, R or scikit-learn (see `printed_tables`)."""

import re

from reproducer.harvest.build import clean_label, clip, has_letter, make_fact
from reproducer.harvest.fact import Fact
from reproducer.harvest.keep import HeadAndTail
from reproducer.harvest.latex_macros import macro_facts
from reproducer.harvest.limits import HarvestLimits
from reproducer.harvest.line_values import name_list, number_labels
from reproducer.harvest.numbers import NUMBER, is_number, parse_number
from reproducer.harvest.printed_headers import read_header
from reproducer.harvest.printed_tables import printed_table_facts

# R prints vectors with their index (`[1] 0.5`) and its console prompt before commands (`> mean(x)`).
_R_INDEX = re.compile(r"^\s*\[\[?\d+\]?\]\s*")
_R_PROMPT = re.compile(r"^\s*[>+]\s")
# `Best model: random forest`: a short label, a colon or equals sign, and a value with no number in it.
_TEXT_PAIR = re.compile(r"^\s*([A-Za-z][^:=]{0,60}?)\s*[:=]\s*(\S.*?)\s*$")
_MAX_TEXT_LABEL_WORDS = 10
# A heading that opens a section: `=== Model 2 ===`, `## Results`, `**Test**`, or a line ending in a colon
# (`Variances:`, `Top 10 features by importance:`). Its numbers name the section; they are not values.
_MARKED = re.compile(r"^(?:#{1,6}\s|={2,}|-{2,}|\*{2,})")
# A caption names the block below it: `Table 2: group means`, `Model 3. Full controls`.
_CAPTION = re.compile(
    r"^(?:table|tab|figure|fig|model|panel|step|part|section|experiment)\.?\s+\w+[.:]\s+\D+$", re.I
)
_MAX_HEADING_WORDS = 12
_TITLE_LEVEL = 2
# A `name: value` line; a line of words opening a paragraph of these names them (a script's
# `Trend of monthly mean nitrate (mg/L per year)` over `Upper Weir: -0.0789`).
_NAME_VALUE = re.compile(r"^\s*[^:\s][^:]*:\s+[-+]?\.?\d")
# How much further the lines under an outline heading are indented, at least.
_OUTLINE_STEP = 2
# pandas' `[3 rows x 8 columns]` under a frame it elided, a tibble's `# A tibble: 6 × 2` over it, and
# R's `data:  x and y` under a test's title.
_PANDAS_FOOTER = re.compile(r"^\s*\[\d+ rows x \d+ columns\]\s*$|^\s*#?\s*A tibble: [\d,]+ [×x] [\d,]+\s*$")
# A tibble prints its columns' types under their names (`<int>  <dbl>`): no words of a heading.
_TIBBLE_TYPES = re.compile(r"^\s*(?:<[\w/ ]+>\s*)+$")
_R_DATA = re.compile(r"^data:\s+(.+?)\s*$")
# R's tests name the groups they compare below their values: `alternative hypothesis: true difference in
# means between group A and group B is not equal to 0`; looked up this many lines after `data:`.
_R_ALTERNATIVE = re.compile(
    r"^alternative hypothesis: true (.+?) (?:is|are) (?:not equal to|less than|greater than)"
)
_R_ALTERNATIVE_LOOKAHEAD = 4
# R's model summaries open with `Call:` over the model's call; its formula names every table below it
# (`lm(formula = y ~ x + z, data = d)`), until the next model or heading.
_R_CALL = re.compile(r"^\s*[\w.:]+\((?:formula\s*=\s*)?([^(),]*~[^,]*?)(?:,.*)?\)\s*$")
# statsmodels' summaries name their model by its dependent variable; the tables printed after the summary
# (`anova_lm(model)`) belong to that model too, until the next model or heading.
_DEPENDENT = re.compile(r"^\s*Dep\. Variable:\s+(\S+)")
# knitr prefixes what R printed with `## ` in R Markdown's html and md (`## [1] 37`). A run of such lines
# (or one R-indexed line) is output; a lone `## Results` over a blank line is a Markdown heading.
_KNITR = re.compile(r"^##(?: |$)")
_KNITR_MIN_RUN = 2
_PAIR = 2
_FENCE = re.compile(r"^\s*```+\s*\{?\s*([\w+-]*)")
# Python's traceback runs from this line to the exception's own line, the first back at column 0.
_TRACEBACK_START = "Traceback (most recent call last):"
_TRACEBACK_CONTINUES = ("Traceback", "During handling", "The above exception")
# R's errors: `Error in f(x) : message`, `Calls: ...`, `Execution halted`.
_R_ERROR = re.compile(r"^(?:Error(?: in .*?)?\s*:|Calls:|Execution halted|In addition: Warning)")
TRACEBACK = "printed inside a traceback or an error message"
_SENTENCE = re.compile(r"[A-Za-z][.!?]\s*$")


def _bare(line: str) -> str:
    return _R_PROMPT.sub("", _R_INDEX.sub("", line)).strip()


def _fenced_source(lines: list[str]) -> list[str]:
    """Markdown's fenced source (```` ```r ````, ```` ```python ````) as commands at a prompt; a fence with no
    language holds output (knitr's md), which stays as it is. The fences themselves become blank lines."""
    result, inside = [], False
    for line in lines:
        fence = _FENCE.match(line)
        if fence is not None:
            inside = not inside and bool(fence.group(1))
            line = ""  # markup, not prose: its language (`r`) must not describe the code below
        elif inside and line.strip():
            line = f"> {line}"
        result.append(line)
    return result


def _knitr_output(lines: list[str]) -> list[str]:
    """The lines with knitr's `## ` output prefix removed."""
    result = list(lines)
    start = 0
    while start < len(lines):
        end = start
        while end < len(lines) and _KNITR.match(lines[end]):
            end += 1
        if end - start >= _KNITR_MIN_RUN or (end > start and _R_INDEX.match(lines[start][2:])):
            result[start:end] = [line[3:] for line in lines[start:end]]
        start = max(end, start + 1)
    return result


def _named_values(line: str, below: str) -> list[tuple[str, str]] | None:
    """R prints a named vector as names over values, each name right-aligned over its value (`mean in group
    1 mean in group 2` over `23.09 18.85`): the names, cut at the values' right edges, label them."""
    values = list(NUMBER.finditer(below))
    if not values or NUMBER.sub("", below).strip() or not has_letter(line) or len(line.rstrip()) > len(below):
        return None
    names, start = [], 0
    for value in values:
        name = line[start : value.end()].strip()
        if not has_letter(name):
            return None
        names.append((clean_label(name), value.group()))
        start = value.end()
    return names if not line[start:].strip() else None


def _heading(line: str) -> str | None:
    """A line that names what follows (`Variances:`, `Test results`): words and no number."""
    text = _bare(line)
    if text and has_letter(text) and not NUMBER.search(text) and len(text.split()) <= _MAX_HEADING_WORDS:
        return clean_label(text)
    return None


def _section_heading(line: str) -> tuple[int, str] | None:
    """(level, name) of a line opening a section: 1 for a marked heading, 2 for one ending in a colon."""
    text = _bare(line)
    marked = _MARKED.match(text) is not None
    inner = text.strip("#=*- \t").rstrip(":").strip()
    if _CAPTION.match(text) and len(text.split()) <= _MAX_HEADING_WORDS:
        return 3, clean_label(text)
    if not has_letter(text) or len(text.split()) > _MAX_HEADING_WORDS or re.search(r"[:=]", inner):
        return None
    if marked:
        return 1, clean_label(inner)
    return (3, clean_label(inner)) if text.endswith(":") else None


def _title(line: str, below: str, above: str = "") -> tuple[int, str] | None:
    """An indented title over a blank line or a rule (R's `\tWelch Two Sample t-test`, statsmodels'
    centred `OLS Regression Results`): words, no number, no colon. Between blank lines one space of
    indent will do (R's tab, rendered by pandoc as a space in knitr's html). A paragraph's first line of
    words over `name: value` lines is the title of those pairs."""
    text = line.strip()
    indented = line.startswith(("\t", "    ")) or (line.startswith(" ") and not above.strip())
    closed = not below.strip() or set(below.strip()) <= set("=-")
    opens_pairs = not above.strip() and _NAME_VALUE.match(below) is not None
    if ((indented and closed) or opens_pairs) and (heading := _heading(line)) is not None and ":" not in text:
        return 2, heading
    return None


class _Sections:
    """The section a line sits in: the last marked heading (level 1), the title of its block (level 2,
    R's `Welch Two Sample t-test` with its `data:` line) and the colon heading inside that (level 3)."""

    def __init__(self) -> None:
        self.levels = ["", "", ""]
        self.model = ""
        self.fresh = False
        # The words a program printed just above a block's title (`Three-way ANOVA` over statsmodels'
        # `OLS Regression Results`): what that model is, carried with its dependent variable.
        self.caption = ""

    def update(self, heading: tuple[int, str]) -> None:
        level, name = heading
        self.levels = [*self.levels[: level - 1], name, *[""] * (len(self.levels) - level)]
        self.model = "" if level == 1 else self.model
        self.fresh = True

    def call(self, line: str) -> bool:
        """Whether `line` is the model call under R's `Call:`; if so its formula names what follows."""
        match = _R_CALL.match(line) if self.levels[2] == "Call" else None
        if match is not None:
            self.model = f"model {match.group(1).strip()}"
        return match is not None

    def title(self, caption: str) -> None:
        self.caption = caption

    def dependent(self, variable: str) -> None:
        self.model = ", ".join(part for part in (self.caption, f"model {variable}") if part)

    def describe(self, data: str) -> None:
        """R's tests name what they test on a `data:` line below their title."""
        if self.levels[1]:
            self.levels[1] = f"{self.levels[1]}, {data}"

    def content(self) -> None:
        self.fresh = False

    def blank(self) -> None:
        """A block (a title, a colon heading) ends at a blank line, except one straight after its heading."""
        if not self.fresh:
            self.levels[1:] = ["", ""]

    @property
    def name(self) -> str:
        return ", ".join(part for part in (self.levels[0], self.model, *self.levels[1:]) if part)


class _Outline:
    """Lines heading the more indented lines below them: a loop that prints `L = 1.0 m` and then, indented,
    that item's values (`  gamma = 0.045`) names their section with its first line, value or not."""

    def __init__(self) -> None:
        self.open: list[tuple[int, str]] = []

    def enter(self, indent: int) -> None:
        """A line at `indent` closes the headings indented as much or more."""
        while self.open and self.open[-1][0] >= indent:
            self.open.pop()

    def head(self, line: str, below: str) -> None:
        """`line` heads what follows when the next non-blank line, `below`, is indented further and is no
        table's header (an R data frame prints right-aligned, indented under whatever came before)."""
        text, indent = _bare(line), _indent(line)
        if (
            _indent(below) >= indent + _OUTLINE_STEP
            and has_letter(text)
            and len(text.split()) <= _MAX_HEADING_WORDS
            and read_header(below) is None
        ):
            self.open.append((indent, clean_label(text)))

    @property
    def name(self) -> str:
        return ", ".join(name for _, name in self.open)


def _bare_runs(lines: list[str]) -> dict[int, str]:
    """What tells apart the bare values printed one a line under a heading (`------BOOTSTRAP------` over
    `68.29` and `73.47`), by 1-based line number: two rising values are an interval's `lower` and `upper`
    ends (the names `line_values` gives `CI: (a, b)`), more are `[1]`, `[2]`, ...; a lone value needs none."""
    names: dict[int, str] = {}
    for position, line in enumerate(lines):
        if _R_PROMPT.match(line) or _section_heading(line) is None:
            continue
        run = []
        for later in range(position + 1, len(lines)):
            if _R_PROMPT.match(lines[later]) or not is_number(_bare(lines[later])):
                break
            run.append(later + 1)
        values = [parse_number(_bare(lines[number - 1])) for number in run]
        if len(run) == _PAIR and values[0] is not None and values[1] is not None and values[0] < values[1]:
            names.update({run[0]: "lower", run[1]: "upper"})
        elif len(run) >= _PAIR:
            names.update({number: f"[{order}]" for order, number in enumerate(run, start=1)})
    return names


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _next_lines(lines: list[str]) -> list[str]:
    """For each line, the next non-blank line after it ("" at the end)."""
    below, following = [""] * len(lines), ""
    for position in range(len(lines) - 1, -1, -1):
        below[position] = following
        if lines[position].strip():
            following = lines[position]
    return below


class _Traceback:
    """Whether a line belongs to a Python traceback or an R error."""

    def __init__(self) -> None:
        self.inside = False

    def covers(self, line: str) -> bool:
        if line.startswith(_TRACEBACK_START):
            self.inside = True
            return True
        if self.inside:
            if line.strip() and not line[0].isspace() and not line.startswith(_TRACEBACK_CONTINUES):
                self.inside = False  # the exception's own line closes the traceback
            return True
        return _R_ERROR.match(line) is not None


def _line_facts(
    line: str, *, above: str, names: list[str] | None, file: str, location: str, context: str
) -> list[Fact]:
    """The line's labelled numbers, or else its `label: text` pair (`Best model: random forest`)."""
    body = _bare(line)
    facts = [
        fact
        for label, raw in number_labels(body, above, names)
        if (fact := make_fact(label, raw, file=file, location=location, context=context)) is not None
    ]
    pair = _TEXT_PAIR.match(body)
    if not facts and pair and len(pair.group(1).split()) <= _MAX_TEXT_LABEL_WORDS:
        fact = make_fact(
            clean_label(pair.group(1)), pair.group(2), file=file, location=location, context=context
        )
        if fact is not None and isinstance(fact.value, str):
            facts.append(fact)
    return facts


def text_facts(
    text: str,
    *,
    file: str,
    limits: HarvestLimits,
    where: str = "",
    above: str = "",
    names: list[str] | None = None,
) -> list[Fact]:
    """All facts in `text`; locations read `{where}line N`. `above` labels a bare value on the first
    line (a notebook passes the cell's last source line); `names` names the items of a printed list (a
    notebook passes the last list of names its code assigned). Past the cap, the first and last facts
    are kept."""
    lines = _knitr_output(_fenced_source([line.expandtabs() for line in text.splitlines()]))
    # A command at a prompt is no table's header or row; it ends any table above it.
    bare_output = ["" if _R_PROMPT.match(line) else line for line in lines]
    tables = printed_table_facts(bare_output, file=file, where=where, limits=limits)
    table = next(tables, None)
    kept = HeadAndTail(limits.max_facts_per_file)
    sections, traceback, outline = _Sections(), _Traceback(), _Outline()
    next_lines = _next_lines(lines)
    runs = _bare_runs(lines)
    lead, commanded, skip = "", False, 0
    # The sentence and command that printed the output below, until a heading, another command, a value
    # line or a sentence ends it (a table's header line, words alone, does not).
    printed_by = ""
    # What the last prose line said, whole (`above` keeps a label's last few words).
    told = above
    for number, line in enumerate(lines, start=1):
        caveat = TRACEBACK if traceback.covers(line) else ""
        if line.strip():
            outline.enter(_indent(line))
        if not caveat and (dependent := _DEPENDENT.match(line)) is not None:
            sections.dependent(dependent.group(1))
        section = ", ".join(name for name in (sections.name, outline.name) if name)
        extra = {"section": section, "caveat": caveat}
        if table is not None and table[0] == number:
            # A table row's cells are better labelled by their headers than by the words beside them; the
            # echoed command that printed the table and the sentence before it (`Find the interval with
            # the most steps` over `avg[which.max(avg$avg), ]`) say what its values are.
            kept.extend(
                fact.model_copy(
                    update={
                        **extra,
                        "context": clip(f"{printed_by} | {fact.context}") if printed_by else fact.context,
                    }
                )
                for fact in table[1]
            )
            table = next(tables, None)
            sections.content()
            continue
        if not line.strip():
            sections.blank()
            continue
        if len(line) > limits.max_line_chars or _PANDAS_FOOTER.match(line) or _TIBBLE_TYPES.match(line):
            continue
        if (macros := macro_facts(line, file=file, location=f"{where}line {number}")) is not None:
            kept.extend(macro.model_copy(update=extra) for macro in macros)
            continue
        if (data := _R_DATA.match(line)) is not None:
            ahead = (
                _R_ALTERNATIVE.match(later) for later in lines[number : number + _R_ALTERNATIVE_LOOKAHEAD]
            )
            compared = next((match.group(1) for match in ahead if match), "")
            sections.describe(f"{data.group(1)}, {compared}" if compared else data.group(1))
        if sections.call(line):
            continue
        if _R_ALTERNATIVE.match(line):
            continue  # the null hypothesis's value (`is not equal to 0`) is not a result
        if _R_PROMPT.match(line) and not caveat:
            # A command echoed at a prompt (R's `> t.test(x, mu = 0)`) labels the output below it; its
            # numbers are the command's arguments. The sentence before the commands (a report's
            # `Calculate the median steps per day after imputing.`) says what they compute.
            lead = lead if commanded else (told if told and not told.startswith("==") else "")
            above, commanded = clean_label(_bare(line)) or above, True
            # The command's numbers are its arguments (`airquality[3:6, ]`), which say nothing of a row.
            printed_by = " | ".join(part for part in (lead, NUMBER.sub(" ", above)) if part.strip())
            sections.content()
            continue
        below = lines[number] if number < len(lines) else ""
        heading = (
            None
            if caveat
            else _section_heading(line) or _title(line, below, lines[number - 2] if number > 1 else "")
        )
        if heading is not None:
            sections.update(heading)
            if heading[0] == _TITLE_LEVEL:
                caption = _heading(lines[number - 2]) if number > 1 and lines[number - 2].strip() else None
                sections.title(caption or "")
            above, commanded, printed_by = heading[1], False, ""
            told = above
            continue
        said = f"{lead} | {line}" if commanded and lead else line
        context = clip(f"{section} | {said}" if section else said)
        if (named := _named_values(line, below)) is not None and len(named) > 1:
            # The values line below takes these names; this line has none of its own.
            location = f"{where}line {number + 1}"
            value_context = clip(f"{section} | {line.strip()} | {below.strip()}")
            found = [
                fact
                for label, raw in named
                if (fact := make_fact(label, raw, file=file, location=location, context=value_context))
            ]
            kept.extend(fact.model_copy(update=extra) for fact in found)
            skip = number + 1
            continue
        if number == skip:
            continue
        found = _line_facts(
            line,
            above=f"{above} {runs[number]}" if number in runs else above,
            names=names,
            file=file,
            location=f"{where}line {number}",
            context=context,
        )
        kept.extend(fact.model_copy(update=extra) for fact in found)
        if found or _SENTENCE.search(line):
            printed_by = ""
        if not caveat:
            outline.head(line, next_lines[number - 1])
        sections.content()
        names = name_list(_bare(line)) or names
        # A sentence with no value of its own (`Find the 5-minute interval with the most steps.`) says what
        # the commands below it compute, as a heading does.
        sentence = not found and _SENTENCE.search(line) is not None
        if prose := _heading(line) or (clean_label(line) if sentence else ""):
            above, commanded, told = prose, False, _bare(line) if sentence else prose
    return kept.facts()
