"""The live spacing table on the launch article, as a reader sees it: where a row stands for a class of medicines,
each gap says whose figure it is and what the others ask, in brackets after the gap, as the calculator's timetable
says it (the spacing row's note)."""

import re
from html import unescape

import pytest

from calculator.models import Spacing

pytestmark = pytest.mark.django_db

URL = "/blog/calcium-and-vitamin-k2-bone-health-combination/"
GAP_CELL = re.compile(r'<th scope="row">([^<]+)</th><td data-label="Gap">([^<]+)</td>')


def gap_cells(client) -> dict[str, str]:
    """Medicine -> its gap, as the reader reads them in the article's spacing table."""
    page = client.get(URL)
    assert page.status_code == 200
    caption = page.text.index('id="live-calcium-spacing-caption"')
    table = page.text[caption : page.text.index("</table>", caption)]
    return {unescape(medicine): unescape(gap) for medicine, gap in GAP_CELL.findall(table)}


def test_the_bisphosphonate_gaps_say_they_are_ibandronates_and_what_the_others_ask(client):
    cells = gap_cells(client)
    gap = next(text for medicine, text in cells.items() if medicine.startswith("Bisphosphonates"))
    assert gap == (
        "Take the medicine first, at least 2 hours before calcium (common pharmacist advice; the labels ask at least "
        "30 minutes, 60 for ibandronate); nothing else by mouth for 1 hour after the medicine (ibandronate's; "
        "30 minutes for alendronate and immediate-release risedronate)"
    )


def test_the_fluoroquinolone_gap_says_it_is_moxifloxacins_and_gives_the_others(client):
    cells = gap_cells(client)
    gap = next(text for medicine, text in cells.items() if medicine.startswith("Fluoroquinolone"))
    assert gap == (
        "At least 4 hours before calcium, or 8 hours after it (moxifloxacin's; ciprofloxacin 2 hours before or "
        "6 hours after, levofloxacin 2 hours either side)"
    )


def test_every_note_of_a_gap_the_table_shows_is_on_the_page_and_an_edited_note_shows_at_once(client):
    shown = Spacing.objects.filter(other_nutrient__slug="calcium").exclude(note="")
    assert shown.count() >= 3
    cells = gap_cells(client)
    for row in shown:
        assert f"({row.note})" in cells[row.medication.name], row

    row = Spacing.objects.get(medication__slug="fluoroquinolones", other_nutrient__slug="calcium")
    row.note = "moxifloxacin's; an editor's new wording"
    row.save()
    assert gap_cells(client)[row.medication.name].endswith("8 hours after it (moxifloxacin's; an editor's new wording)")


def test_a_gap_without_a_note_has_no_brackets(client):
    cells = gap_cells(client)
    assert cells["Levothyroxine (thyroid hormone)"] == "At least 4 hours before calcium, or 4 hours after it"
