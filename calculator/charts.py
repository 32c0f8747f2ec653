"""Geometry for the results bar chart (server-rendered SVG): the arithmetic lives here, not in the template."""

from __future__ import annotations

from dataclasses import dataclass

from calculator.intake import Result
from calculator.numbers import amount_text

WIDTH = 640  # viewBox width; the SVG scales to its container
LABEL_WIDTH = 150
BAR_AREA = WIDTH - LABEL_WIDTH - 20
ROW_HEIGHT = 64
BAR_HEIGHT = 26


@dataclass(frozen=True)
class Marker:
    x: float
    label: str
    kind: str  # target | limit | goal


@dataclass(frozen=True)
class Row:
    y: float
    label: str
    unit: str
    diet_width: float
    supplement_x: float
    supplement_width: float
    total: int
    total_x: float
    markers: tuple[Marker, ...]

    @property
    def bar_y(self) -> float:
        return self.y + 8

    @property
    def text_y(self) -> float:
        return self.y + 8 + BAR_HEIGHT / 2 + 5

    @property
    def marker_y2(self) -> float:
        return self.y + 8 + BAR_HEIGHT + 6

    @property
    def marker_text_y(self) -> float:
        return self.y + 8 + BAR_HEIGHT + 20


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    label_width: int
    bar_height: int
    rows: tuple[Row, ...]


def _row(*, index: int, label: str, unit: str, diet: int, supplement: int, markers: list[tuple[int, str, str]]) -> Row:
    scale_max = max([diet + supplement, *(value for value, _, _ in markers), 1]) * 1.08
    px = BAR_AREA / scale_max
    diet_width = diet * px
    supplement_width = supplement * px
    return Row(
        y=index * ROW_HEIGHT,
        label=label,
        unit=unit,
        diet_width=round(diet_width, 1),
        supplement_x=round(LABEL_WIDTH + diet_width, 1),
        supplement_width=round(supplement_width, 1),
        total=diet + supplement,
        total_x=round(min(LABEL_WIDTH + diet_width + supplement_width + 6, WIDTH - 60), 1),
        markers=tuple(
            Marker(x=round(LABEL_WIDTH + value * px, 1), label=text, kind=kind) for value, text, kind in markers
        ),
    )


def intake_chart(result: Result) -> Chart:
    """Calcium (food, other foods included, and supplements) against its target and upper limit; all vitamin K (K1
    and K2 from food, K2 from supplements) against the adequate intake, which covers all vitamin K: like with like."""
    calcium, vitamin_k = result.calcium, result.vitamin_k
    calcium_markers = [(calcium.target_mg, f"target {amount_text(calcium.target_mg)}", "target")]
    if calcium.upper_limit_mg is not None:
        calcium_markers.append((calcium.upper_limit_mg, f"limit {amount_text(calcium.upper_limit_mg)}", "limit"))
    rows = (
        _row(
            index=0,
            label="Calcium (mg)",
            unit="mg",
            diet=calcium.diet_mg,
            supplement=calcium.supplement_mg,
            markers=calcium_markers,
        ),
        _row(
            index=1,
            label="Vitamin K (mcg)",
            unit="mcg",
            diet=vitamin_k.diet_mcg,
            supplement=vitamin_k.supplement_k2_mcg,
            markers=[(vitamin_k.adequate_intake_mcg, f"AI {vitamin_k.adequate_intake_mcg}", "target")],
        ),
    )
    return Chart(
        width=WIDTH, height=ROW_HEIGHT * len(rows) + 8, label_width=LABEL_WIDTH, bar_height=BAR_HEIGHT, rows=rows
    )
