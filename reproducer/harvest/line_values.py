"""The labelled numbers of one printed line, as a person reads them.

- A number is labelled by the words between it and the value before it (`loss: 0.25 acc: 0.91`); a value
  with no words of its own continues its neighbour's label (`F1 after epoch 200 0.947`).
- A number inside a label is not a value: in `95% CI: 0.12, 0.40`, `Model 2 R-squared: 0.41` or
  `Epoch 3 train acc: 0.88` the 95, 2 and 3 name what follows.
- Fixed-width `key: value` grids (statsmodels' summary header, R's `Multiple R-squared:  0.52,  Adjusted
  R-squared:  0.50`) label each value with its own key only.
- An interval's two ends are its lower and upper bound, owned by the value they follow (`Risk ratio: 0.6
  (95% CI: 0.41, 0.86)`); a bracketed list takes the names printed beside it (`Mean, SD: (12.5, 3.2)`,
  or a list of names printed before it), else its position.
"""

import re
from collections.abc import Sequence

from reproducer.harvest.build import clean_label, has_letter
from reproducer.harvest.numbers import NUMBER, is_number, parse_number

# numpy 2 prints the items of a list of scalars as `np.float64(0.81)`.
_NUMPY_SCALAR = re.compile(r"\bnp\.(?:float|int|uint|bool_)\d*\(\s*([^()]*?)\s*\)")
# A line ending in a bracketed list of numbers: `coef: [0.81, -0.04]`, `CI (0.12, 0.40)`, `[0.1 0.2 0.3]`.
_SEQUENCE = re.compile(r"^(?P<label>.*?[^\s:=])?\s*[:=]?\s*[\[(](?P<items>[^\[\]()]*)[\])]\s*,?\s*$")
_ITEM_SPLIT = re.compile(r"[,;\s]+")
# A list of quoted names (`['intercept', 'age']`, R's `"a" "b"`), whose order names a list printed later.
_QUOTED = re.compile(r"""(['"])(.*?)\1""")
_NAME_LIST = re.compile(r"""^[^'"]*?[\[(]?\s*(?:(['"]).*?\1[\s,]*)+[\])]?[^'"]*$""")
_INTERVAL = re.compile(r"\b(?:ci|cis|interval|confidence|credible|hpd|hdi|bounds?|range|limits?)\b", re.I)
# What joins the two ends of an interval: `0.41, 0.86`, `0.41 to 0.86`, `0.41 - 0.86`, `[0.41; 0.86]`.
_INTERVAL_JOIN = re.compile(r"^\s*(?:[,;]|to|and|-|–|—)\s*$")
_PLUS_MINUS = re.compile(r"^\s*(?:±|\+/-|\+-)\s*$")
_QUARTILES = re.compile(r"\b(?:iqr|interquartile|quartiles?)\b", re.I)
_SPREAD = re.compile(_INTERVAL.pattern + r"|" + _QUARTILES.pattern, re.I)
# `Epoch 2/3 - loss: 0.25`: a progress counter names the line, its numbers are not values.
_COUNTER = re.compile(r"^\s*[A-Za-z][A-Za-z ]*?\s(\d+)\s*/\s*(\d+)(?![\w.])(?=.*\d)")
_COLUMN_GAP = re.compile(r"\s{2,}")
_MAX_TAIL_WORDS = 3
# `Bootstrapped slopes (mean, 2.5%, 97.5%)`: the names of a tuple's items, in brackets after its label.
_PARENTHESISED_NAMES = re.compile(r"^(.*?)\(([^()]*,[^()]*)\)\s*$")
_MEDIAN_PERCENT = 50
_NAMED_PAIRS = re.compile(r"^([^:=]*[^\W\d_][^:=]*):\s*[^:=]+?\s*=\s*$")
# scipy's results print as `TtestResult(statistic=-2.4, pvalue=0.018, df=58.0)`.
_RESULT_REPR = re.compile(r"^\s*([A-Za-z_][\w.]*)\(\s*\w+\s*=")
_MIN_SEQUENCE = 2
# In a sentence the noun follows its number (`Of the 5,400 lengths, 15,200 breaks were recorded on loom 1.`):
# the words after a value, up to the next number or punctuation, also describe it.
_SENTENCE_END = re.compile(r"[.!?]\s*$")
_PROSE_WORDS = re.compile(
    r"^\s*(?:\([^()A-Za-z]*\)\s*)?\s(?!(?:and|or|but|while|whereas)\b)"
    r"([a-z][A-Za-z' -]*[A-Za-z])(?=\s*(?:[,.;:()]|$|[-+]?\d))"
)
_MIN_PROSE_WORDS = 2
_ASIDE = re.compile(r"\s*\(\s*")
_TRAILING_CONJUNCTION = re.compile(
    r"(?:\s+(?:and|or|but|while|whereas|of|the|a|an|to|in|on|at|for|by|with))+$"
)


def unwrap(line: str) -> str:
    return _NUMPY_SCALAR.sub(r"\1", line)


def name_list(line: str) -> list[str] | None:
    """The names of a printed list of strings (`names: ['a', 'b']`, `[1] "a" "b"`), else None."""
    names = [match.group(2) for match in _QUOTED.finditer(line)]
    if len(names) >= _MIN_SEQUENCE and _NAME_LIST.match(line) and all(has_letter(name) for name in names):
        return names
    return None


def _percentile_end(name: str) -> str:
    """`2.5%` of a bootstrap is its lower end, `97.5%` its upper."""
    value = parse_number(name)
    if value is None or not name.endswith("%") or value == _MEDIAN_PERCENT:
        return name
    return f"{name} ({'lower' if value < _MEDIAN_PERCENT else 'upper'})"


def _item_names(label: str, count: int, names: Sequence[str] | None) -> list[str]:
    if count == _MIN_SEQUENCE and _INTERVAL.search(label):
        return [f"{label} lower", f"{label} upper"]
    if count == _MIN_SEQUENCE and re.search(r"\bshape\b", label, re.I):
        # pandas' and numpy's `.shape`: (samples, features).
        return [f"{label} rows (samples)", f"{label} columns (features)"]
    named = _PARENTHESISED_NAMES.match(label)
    if named is not None:
        inner = [part.strip() for part in named.group(2).split(",")]
        if len(inner) == count and all(inner):
            return [f"{named.group(1).strip()} {_percentile_end(part)}" for part in inner]
    parts = [part.strip() for part in re.split(r",|/|\band\b", label) if part.strip()]
    if len(parts) == count and all(has_letter(part) for part in parts):
        return parts
    if names is not None and len(names) == count:
        return [f"{label}, {name}" for name in names]
    return [f"{label} [{position}]" for position in range(1, count + 1)]


def _sequence(body: str, names: Sequence[str] | None) -> list[tuple[str, str]] | None:
    match = _SEQUENCE.match(body)
    if match is None or not match.group("label"):
        return None
    items = [item for item in _ITEM_SPLIT.split(match.group("items")) if item]
    raw_label = match.group("label").strip()
    label = raw_label if _PARENTHESISED_NAMES.match(raw_label) else clean_label(raw_label)
    if len(items) < _MIN_SEQUENCE or not all(is_number(item) for item in items) or not has_letter(label):
        return None
    return list(zip(_item_names(label, len(items), names), items, strict=True))


def _own_key(text: str) -> str:
    """In a fixed-width grid of `key: value` pairs the text before a value holds the previous pair's
    leftovers (`wage   R-squared:`); the value's own key is the last column."""
    pieces = [piece for piece in _COLUMN_GAP.split(text.strip()) if piece]
    if len(pieces) > 1 and pieces[-1].rstrip().endswith((":", "=")) and has_letter(pieces[-1]):
        return pieces[-1]
    return text


def _names_what_follows(before: str, after: str, is_last: bool) -> bool:
    """`95` in `(95% CI: 0.1`, `2` in `Model 2 R2: 0.4`: words before it (or an opening bracket, or the
    line start) and words after it that end in the separator of the next value."""
    head = before.rstrip()
    opens = not head or head.endswith("(") or head[-1].isalpha()
    return not is_last and opens and has_letter(after) and after.rstrip().endswith((":", "="))


def number_labels(body: str, above: str, names: Sequence[str] | None = None) -> list[tuple[str, str]]:
    """(label, number text) for each value in the line; `above` labels a line of bare values (the heading
    before it), `names` the last list of names printed before it."""
    body = unwrap(body)
    sequence = _sequence(body, names)
    if sequence is not None:
        return sequence
    matches = list(NUMBER.finditer(body))
    # R's t.test(): `95 percent confidence interval:` over a line of its two ends.
    if len(matches) == _MIN_SEQUENCE and not has_letter(body) and _INTERVAL.search(above):
        return [(f"{above} lower", matches[0].group()), (f"{above} upper", matches[1].group())]
    counter = _COUNTER.match(body)
    counted = {counter.start(1), counter.start(2)} if counter else set()
    values = []
    for position, match in enumerate(matches):
        if match.start() in counted:
            continue
        start = matches[position - 1].end() if position else 0
        end = matches[position + 1].start() if position + 1 < len(matches) else len(body)
        is_last = position + 1 == len(matches)
        if not _names_what_follows(body[start : match.start()], body[match.end() : end], is_last):
            values.append(match)
    # `Epoch 3 train acc: 0.88 test acc: 0.86`: the numbers naming the line's start qualify all its values.
    leading = [match for match in matches if not values or match.start() < values[0].start()]
    named = [match for match in leading if match not in values]
    qualifier = clean_label(body[: named[-1].end()]) if named else ""
    # `t-test: t = 5.81, p = 1.6e-08`: the name before the colon qualifies each `key = value` after it.
    test = _NAMED_PAIRS.match(body[: values[0].start()]) if values else None
    if test is not None and not qualifier:
        qualifier = clean_label(test.group(1))
    if (result := _RESULT_REPR.match(body)) is not None and not qualifier:
        qualifier = result.group(1)
    found: list[tuple[str, str]] = []
    joins: list[str] = []
    start, label_start, label = 0, 0, ""
    for match in values:
        text = body[start : match.start()]
        if has_letter(text):
            label_start = start
            label = clean_label(_own_key(text))
        elif label:
            label = clean_label(body[label_start : match.start()])
        else:
            label = above
        joins.append(text)
        start = match.end()
        if qualifier and label and qualifier not in label:
            label = f"{qualifier} {label}"
        found.append((label, match.group()))
    if _SENTENCE_END.search(body):
        found = _prose_nouns(body, values, found)
    # A few words after the last value describe it: `Class balance: 62.7% benign`, `took 12.5 s`.
    tail = body[values[-1].end() :] if values else ""
    if (
        found
        and found[-1][0]
        and has_letter(tail)
        and len(tail.split()) <= _MAX_TAIL_WORDS
        and ":" not in tail
        and not found[-1][0].endswith((clean_label(tail), f"({clean_label(tail)})"))
    ):
        found[-1] = (f"{found[-1][0]} ({clean_label(tail)})", found[-1][1])
    return _intervals(found, joins)


def _prose_nouns(
    body: str, values: Sequence[re.Match[str]], found: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    """In a sentence the words after a number (past an aside in brackets) are its noun: `Of the 129,814
    total elements, 1,417 (1.09%) elements were flagged` labels 129,814 `total elements` and 1,417 `total
    elements (elements were flagged)`."""
    result = list(found)
    for position, match in enumerate(values):
        after = _PROSE_WORDS.match(body[match.end() :])
        noun = _TRAILING_CONJUNCTION.sub("", after.group(1).strip()) if after else ""
        noun = noun if len(noun.split()) >= _MIN_PROSE_WORDS else ""
        label, raw = found[position]
        if noun:
            label = f"{label} ({noun})" if label else noun
        if position and _ASIDE.fullmatch(body[values[position - 1].end() : match.start()]):
            label = result[position - 1][0]  # `1,417 (1.09%) elements`: the share of the same elements
        result[position] = (label or found[position][0], raw)
    return result


def _split_plus_minus(label: str) -> tuple[str, str]:
    """`Age, mean ± SD` names `Age, mean` and `Age, SD`; a plain label's second value is its spread."""
    left, sign, right = label.partition("±")
    if not sign or not right.strip():
        return label, f"{label} ± (sd)"
    words = left.split()
    prefix = " ".join(words[:-1])
    return left.strip(), f"{prefix} {right.strip()}".strip()


def _ends(owner: str, label: str) -> tuple[str, str]:
    name = f"{owner} {label}".strip()
    if _QUARTILES.search(name):
        return f"{name} lower quartile", f"{name} upper quartile"
    return f"{name} lower", f"{name} upper"


def _intervals(found: list[tuple[str, str]], joins: Sequence[str]) -> list[tuple[str, str]]:
    """Pairs of values: an interval's ends (`Risk ratio: 0.6 (95% CI: 0.41, 0.86)` gives `Risk ratio 95% CI
    lower/upper`; `Median (IQR): 13.4 (11.7–15.8)` the quartiles) and a mean with its spread (`61.2 ± 9.8`).
    """
    result = [pair for pair in found if pair[0]]
    labelled = [(label, raw, join) for (label, raw), join in zip(found, joins, strict=True) if label]
    position = 0
    while position + 1 < len(labelled):
        label, raw, join = labelled[position]
        following = labelled[position + 1]
        owner = labelled[position - 1][0] if position and join.lstrip().startswith("(") else ""
        if _PLUS_MINUS.match(following[2]):
            first, second = _split_plus_minus(label)
        elif _INTERVAL_JOIN.match(following[2]) and (
            (_INTERVAL.search(label) and has_letter(join))
            or (owner and not has_letter(join) and _SPREAD.search(owner))
        ):
            first, second = _ends(owner, label if has_letter(join) else "")
        else:
            position += 1
            continue
        result[position], result[position + 1] = (first, raw), (second, following[1])
        position += 2
    return result
