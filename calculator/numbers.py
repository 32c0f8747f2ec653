"""How amounts are written for readers, in one place: as on labels and in tables, and as rounded estimates."""

from decimal import ROUND_HALF_UP, Decimal

_ONE = Decimal(1)
_HUNDREDTH = Decimal("0.01")


def amount_text(value: Decimal | float | int) -> str:
    """As on a label or in a table, at most one decimal: 1200 -> "1,200", 2.5 -> "2.5", 500.0 -> "500"."""
    return f"{value:,.1f}".removesuffix(".0")


def estimate_text(value: Decimal | float | int) -> str:
    """A rounded estimate: whole numbers, to the nearest 10 from 100 up: 315 -> "320", 90 -> "90"."""
    rounded = round(value, -1) if value >= 100 else round(value)
    return f"{rounded:,.0f}"


def _decimal(value: Decimal | float | int) -> Decimal:
    # A float by its shortest repr, as Django's floatformat reads it: 0.1 is 0.1, not 0.1000000000000000055...
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def whole_text(value: Decimal | float | int) -> str:
    """Whole, rounded half up, with thousands separators, as Django's ``floatformat:"0g"`` writes it (the Django
    templates' filter, the Jinja2 templates' ``whole_text``): 1234.5 -> "1,235", 0.4 -> "0"."""
    if type(value) is int:
        return f"{value:,}"
    rounded = _decimal(value).quantize(_ONE, ROUND_HALF_UP)
    return f"{abs(rounded) if not rounded else rounded:,}"


def servings_text(value: Decimal | float | int) -> str:
    """A whole number bare, anything else with two decimals, as Django's ``floatformat:"-2"`` writes it (the Jinja2
    templates' ``servings_text``): 2.0 -> "2", 0.5 -> "0.50", 1.25 -> "1.25"."""
    number = _decimal(value)
    if number == number.to_integral_value():
        return str(int(number))
    rounded = number.quantize(_HUNDREDTH, ROUND_HALF_UP)
    return str(abs(rounded) if not rounded else rounded)
