"""How amounts are written for readers: one formatter for labels and tables, one for rounded estimates."""

from decimal import Decimal

import pytest

from calculator.numbers import amount_text, estimate_text


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
