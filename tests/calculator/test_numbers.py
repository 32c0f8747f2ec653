"""How amounts are written for readers: one formatter for labels and tables, one for rounded estimates."""

from decimal import Decimal

import pytest

from calculator.numbers import amount_text, estimate_text, servings_text, whole_text


@pytest.mark.parametrize(
    ("value", "text"),
    [(Decimal("1200"), "1,200"), (Decimal("2.5"), "2.5"), (Decimal("90.0"), "90"), (0, "0"), (1062.0, "1,062")],
    ids=["thousands", "decimal", "trailing-zero", "zero", "float"],
)
def test_amount_text_is_written_as_on_a_label(value, text):
    assert amount_text(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(Decimal("315"), "320"), (Decimal("90"), "90"), (Decimal("94.6"), "95"), (Decimal("1234"), "1,230")],
    ids=["to-ten-from-100", "small-whole", "small-rounded", "thousands"],
)
def test_estimate_text_rounds_to_ten_from_a_hundred(value, text):
    assert estimate_text(value) == text


# Every kind of number the results page writes: ints, floats from the form and the arithmetic, Decimals from the
# database; halves (rounded up, as Django does), thousands, zero, and values that round across a whole number.
NUMBERS = [0, 1, 999, 1000, 1234567, 0.0, 0.4, 0.5, 1.5, 2.5, 0.25, 0.75, 1.0, 1.005, 1.999, 12.345, 999.5, 1062.0]
NUMBERS += [1234.5, 1e-7, 0.1 + 0.2, Decimal("0"), Decimal("2.50"), Decimal("1234.5"), Decimal("0.125")]


@pytest.mark.parametrize("value", NUMBERS, ids=repr)
def test_whole_and_servings_text_write_what_django_floatformat_writes(value):
    from django.template.defaultfilters import floatformat

    assert whole_text(value) == floatformat(value, "0g")
    assert servings_text(value) == floatformat(value, "-2")
