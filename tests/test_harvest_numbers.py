"""Numbers are found where a person sees them and parsed from their exact text."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reproducer.harvest.numbers import NUMBER, parse_number


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Accuracy is 0.93.", ["0.93"]),
        ("RMSE=1.2e-3, loss=-0.5", ["1.2e-3", "-0.5"]),
        ("acc 93%", ["93%"]),
        ("F1 model2 10ms x86_64", []),
        ("2024-05-01 run", []),
        ("p < 2e-16", ["2e-16"]),
    ],
)
def test_numbers_in_text(text: str, found: list[str]) -> None:
    assert [match.group() for match in NUMBER.finditer(text)] == found


def test_parsing_keeps_kinds_and_refuses_non_numbers() -> None:
    assert parse_number("12") == 12 and isinstance(parse_number("12"), int)
    assert parse_number("12.0") == 12.0 and isinstance(parse_number("12.0"), float)
    assert parse_number("93.5%") == 93.5
    assert parse_number("1e999") is None  # infinity cannot go into a JSON report
    assert parse_number("0.9 (0.1)") is None and parse_number("nan") is None and parse_number("") is None


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_every_printed_float_parses_back_bit_exact(value: float) -> None:
    for text in (repr(value), f"{value:.17g}", f"{value:.16e}"):
        assert parse_number(text) == value


@pytest.mark.parametrize("value", [1417, 1234567, 12345.5, -1000])
def test_thousands_separators_are_part_of_the_number(value: float) -> None:
    # Python's `{:,}` prints what R's `format(x, big.mark = ",")` does.
    text = f"In all, {value:,} elements would have been flagged."
    assert [parse_number(match.group()) for match in NUMBER.finditer(text)] == [value]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("sizes (100,200) and [1,234]", ["100", "200", "1", "234"]),  # a pair in brackets, not a thousand
        ("1,2345 and 1,23", ["1", "2345", "1", "23"]),  # groups of other than three digits
        ("the 5-minute interval with a 10-fold cross-validation", []),  # compound names
        ("a 5 - minute gap", ["5"]),
    ],
)
def test_what_is_not_a_thousands_number_or_a_value(text: str, found: list[str]) -> None:
    assert [match.group() for match in NUMBER.finditer(text)] == found
