"""How amounts are written for readers, in one place: as on labels and in tables, and as rounded estimates."""

from decimal import Decimal


def amount_text(value: Decimal | float | int) -> str:
    """As on a label or in a table, at most one decimal: 1200 -> "1,200", 2.5 -> "2.5", 500.0 -> "500"."""
    return f"{value:,.1f}".removesuffix(".0")


def estimate_text(value: Decimal | float | int) -> str:
    """A rounded estimate: whole numbers, to the nearest 10 from 100 up: 315 -> "320", 90 -> "90"."""
    rounded = round(value, -1) if value >= 100 else round(value)
    return f"{rounded:,.0f}"
