"""A woman of 62 on a phone (390 x 844) and on a laptop (1366 x 900) opens her results: the plan's first time of day is
within the first two screens, the page is well under 10,000 px, no table cell lies outside the viewport, the chart's
text renders at 12 px or more, and under UK tables a figure the UK does not set says whose it is."""

from urllib.parse import urlencode

import pytest

from .support import screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ANSWERS = [
    ("age", "62"),
    ("sex", "female"),
    ("goal", "bone_health"),
    ("food_milk", "1"),
    ("food_yogurt", "1"),
    ("medications", "levothyroxine"),
    ("medications", "bisphosphonates"),
]
SCREENS = {390: 844, 1366: 900}


def results(site, width: int, answers=ANSWERS):
    context = site.context(width=width)
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": SCREENS.get(width, 844)})
    response = page.goto("/calculator/?" + urlencode(answers), timeout=20_000)
    assert response.status == 200
    return page


@pytest.mark.parametrize("width", [390, 1366])
def test_the_plan_comes_first_and_the_page_is_short(site, width):
    page = results(site, width)
    first_time = page.locator(".calc-day time").first
    top = first_time.evaluate("element => element.getBoundingClientRect().top + window.scrollY")
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"\n{width}px: first plan time at y={top:.0f}, page height {height}px")
    screenshot(page, "results-layout")
    assert top < 2 * SCREENS[width], f"the plan's first time is at y={top:.0f} px, below two screens"
    assert height < 10_000, f"the page is {height} px tall"


@pytest.mark.parametrize("width", [320, 390, 1366])
def test_no_table_cell_lies_outside_the_viewport(site, width):
    page = results(site, width, [*ANSWERS, ("guideline", "uk")])
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    outside = page.evaluate(
        """() => [...document.querySelectorAll('main table th, main table td')]
             .filter(cell => cell.getClientRects().length)
             .filter(cell => { const box = cell.getBoundingClientRect();
                               return box.left < -0.5 || box.right > document.documentElement.clientWidth + 0.5; })
             .map(cell => cell.textContent.trim().slice(0, 40))"""
    )
    assert not outside, f"cells outside a {width} px viewport: {outside}"
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"


def test_the_chart_text_is_readable_on_a_phone_and_says_whose_figure_it_is(site):
    page = results(site, 390, [*ANSWERS, ("guideline", "uk")])
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('.calc-chart text')]
             .map(text => parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a)"""
    )
    assert sizes and min(sizes) >= 12, f"rendered chart text sizes at 390 px: {sizes}"
    labels = page.locator(".calc-chart").inner_text()
    assert "(US)" in labels, labels
    assert "US: the UK sets none" in page.locator("table.calc-intake").inner_text()


def test_edit_my_answers_opens_the_form_with_the_answers_without_javascript(site):
    context = site.context(width=390, javascript=False)
    page = context.new_page()
    page.goto("/calculator/?" + urlencode(ANSWERS), timeout=20_000)
    assert not page.locator("#intake-form").is_visible(), "the form is not repeated under the results"
    page.get_by_role("link", name="Edit my answers").click()
    page.locator("#intake-form").wait_for(state="visible", timeout=5_000)
    assert page.locator("#id_age").input_value() == "62"
