"""Numbers as printed: find them in text and parse them without losing a digit."""

import math
import re

# A decimal or exponent number standing on its own: not part of a word (`F1`, `model2`, `10ms`), not a
# piece of a date or range (`2024-01-02`), optionally followed by a percent sign. A trailing full stop
# (`is 0.93.`) ends the number. Thousands separators (`1,417`, R's `format(big.mark = ",")`) belong to it
# when every group has three digits and no bracket holds it (`(100,200)` is a pair). A number joined to a
# word by a hyphen (`5-minute interval`, `10-fold`) is part of a compound name, not a value. An exponent
# (`m/s^2`, `s^-1`, `x**2`) belongs to the unit or term before it: a label's unit is never a value.
_THOUSANDS = r"(?<![(\[])\d{1,3}(?:,\d{3})+(?![\d,\])])"
NUMBER = re.compile(
    r"(?<![\w.+\-^])(?<!\*\*)[-+]?(?:" + _THOUSANDS + r"(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?"
    r"(?![\w]|\.\d|-\d|-[A-Za-z])%?"
)
_WHOLE_NUMBER = re.compile(
    r"\s*[-+]?(?:" + _THOUSANDS + r"(?:\.\d+)?|\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?\s*%?\s*"
)
_INTEGER = re.compile(r"[-+]?\d+")


def parse_number(raw: str) -> float | int | None:
    """The number `raw` spells (ints stay ints, `93%` is 93), or None if `raw` is not exactly a finite number.

    `float(text)` is correctly rounded, so a value printed with 17 significant digits comes back bit-exact.
    """
    if not _WHOLE_NUMBER.fullmatch(raw):
        return None
    digits = raw.strip().removesuffix("%").strip().replace(",", "")
    if _INTEGER.fullmatch(digits):
        return int(digits)
    number = float(digits)
    # `1e999` overflows to infinity, which JSON (and so the report) cannot hold.
    return number if math.isfinite(number) else None


def is_number(raw: str) -> bool:
    return parse_number(raw) is not None
