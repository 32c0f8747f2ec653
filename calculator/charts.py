"""Geometry for the results bar chart (server-rendered SVG): the arithmetic lives here, the words in the template.

Drawn for a phone first: the viewBox is about as wide as a phone's column, so its 15-unit text renders at 12 px or
more at 390 px and is never scaled up past its natural size. Each nutrient is a block: its name and total on a line,
the bar below, and the target and limit marks' labels on lines of their own under the bar, anchored away from the
edges, so no value collides with a mark."""

from __future__ import annotations

from dataclasses import dataclass

from calculator.intake import Result

WIDTH = 400  # viewBox width; the SVG is drawn at most this wide
BAR_HEIGHT = 22
LINE = 19  # one line of text
ROW_HEIGHT = LINE + 6 + BAR_HEIGHT + 6 + 2 * LINE + 12


@dataclass(frozen=True)
class Marker:
    x: float
    value: int
    kind: str  # target | limit
    name: str  # the figure's kind: RDA, PRI, AI, ... for a target; "" for a limit
    owner: str  # whose figure, where it is not the chosen authority's ("us"); "" otherwise
    anchor: str  # start | middle | end: the label stays inside the chart
    text_y: float


@dataclass(frozen=True)
class Row:
    y: float
    nutrient: str  # calcium | vitamin-k
    unit: str
    diet_width: float
    supplement_x: float
    supplement_width: float
    total: int
    markers: tuple[Marker, ...]

    @property
    def text_y(self) -> float:
        return self.y + LINE - 4

    @property
    def bar_y(self) -> float:
        return self.y + LINE + 6

    @property
    def marker_y1(self) -> float:
        return self.bar_y - 4

    @property
    def marker_y2(self) -> float:
        return self.bar_y + BAR_HEIGHT + 4


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bar_height: int
    rows: tuple[Row, ...]


def _anchor(x: float) -> str:
    if x < WIDTH / 4:
        return "start"
    return "end" if x > WIDTH * 3 / 4 else "middle"


def _row(*, index: int, nutrient: str, unit: str, diet: int, supplement: int, markers: list[tuple]) -> Row:
    scale_max = max([diet + supplement, *(marker[0] for marker in markers), 1]) * 1.04
    px = (WIDTH - 2) / scale_max
    y = index * ROW_HEIGHT
    bar_bottom = y + LINE + 6 + BAR_HEIGHT
    return Row(
        y=y,
        nutrient=nutrient,
        unit=unit,
        diet_width=round(diet * px, 1),
        supplement_x=round(diet * px, 1),
        supplement_width=round(supplement * px, 1),
        total=diet + supplement,
        markers=tuple(
            Marker(
                x=round(1 + value * px, 1),
                value=value,
                kind=kind,
                name=name,
                owner=owner,
                anchor=_anchor(1 + value * px),
                text_y=bar_bottom + 6 + LINE * (line + 1) - 4,
            )
            for line, (value, kind, name, owner) in enumerate(markers)
        ),
    )


def intake_chart(result: Result) -> Chart:
    """Calcium (food, other foods included, and supplements) against its target and upper limit; all vitamin K (K1
    and K2 from food, K2 from supplements) against the adequate intake, which covers all vitamin K: like with like.
    A mark says whose figure it is where that is not the chosen authority's."""
    chosen = result.profile.guideline
    calcium, vitamin_k = result.calcium, result.vitamin_k

    def owner(guideline: str) -> str:
        return "" if not guideline or guideline == chosen else guideline

    calcium_markers = [(calcium.target_mg, "target", calcium.kind, owner(calcium.guideline))]
    if calcium.upper_limit_mg is not None:
        calcium_markers.append((calcium.upper_limit_mg, "limit", "", owner(calcium.limit_guideline)))
    rows = (
        _row(
            index=0,
            nutrient="calcium",
            unit="mg",
            diet=calcium.diet_mg,
            supplement=calcium.supplement_mg,
            markers=calcium_markers,
        ),
        _row(
            index=1,
            nutrient="vitamin-k",
            unit="mcg",
            diet=vitamin_k.diet_mcg,
            supplement=vitamin_k.supplement_k2_mcg,
            markers=[(vitamin_k.adequate_intake_mcg, "target", "AI", owner(vitamin_k.guideline))],
        ),
    )
    return Chart(width=WIDTH, height=ROW_HEIGHT * len(rows), bar_height=BAR_HEIGHT, rows=rows)
