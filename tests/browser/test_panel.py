"""The recommendation panel on an article: it fills in without moving anything, says so when the fragment fails, and
leaves a plain link for readers without JavaScript."""

import re

import pytest

from .pages import ARTICLE_PATH
from .support import WIDTHS, axe_violations, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FRAGMENT = "**/recommendations/panel/?article=*"

# Registered before the page loads: every layout shift not caused by input, with what moved.
LAYOUT_SHIFTS = """
window.__layoutShifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) {
      window.__layoutShifts.push({value: entry.value,
        sources: (entry.sources || []).map((s) => s.node ? (s.node.id || s.node.className || s.node.nodeName) : '?')});
    }
  }
}).observe({type: 'layout-shift', buffered: true});
"""

GEOMETRY = """() => {
  const box = (selector) => {
    const rect = document.querySelector(selector).getBoundingClientRect();
    return {top: Math.round(rect.top + window.scrollY), height: Math.round(rect.height)};
  };
  return {panel: box('.rec-panel'), after: box('#calculator-cta'), footer: box('footer')};
}"""


def open_with_held_fragment(site, width):
    """Open the article while the panel's fragment request is held, so the page can be measured before it fills."""
    context = site.context(width=width)
    context.add_init_script(LAYOUT_SHIFTS)
    page = context.new_page()
    held = []
    page.route(FRAGMENT, lambda route: held.append(route))
    page.goto(ARTICLE_PATH)
    for _ in range(200):
        if held:
            break
        page.wait_for_timeout(25)
    assert held, "the article never asked for its recommendation panel"
    assert page.locator(".rec-panel").get_attribute("data-panel-state") == "loading"
    assert page.locator(".rec-panel__status").inner_text() == "Loading product recommendations…"
    return page, held[0]


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_panel_fills_in_without_layout_shift(site, width):
    page, request = open_with_held_fragment(site, width)
    before = page.evaluate(GEOMETRY)
    request.fallback()  # let the held request through to the live server
    page.locator(".rec-panel[data-panel-state=loaded]").wait_for()
    assert page.locator(".rec-panel .rec-item").count() >= 1, "the loaded panel shows no product"
    after = page.evaluate(GEOMETRY)
    assert after == before, f"filling the panel moved the page at {width} px: before {before}, after {after}"
    page.wait_for_timeout(100)  # layout-shift entries are reported after the frame that caused them
    shifts = page.evaluate("window.__layoutShifts")
    assert shifts == [], f"layout shifts on {ARTICLE_PATH} at {width} px: {shifts}"
    screenshot(page, "recommendation-panel-loaded", page.locator(".rec-panel"))


def test_panel_shows_its_error_state_when_the_fragment_fails(site):
    context = site.context(width=375)
    context.add_init_script(LAYOUT_SHIFTS)
    context.monitor.allow(r"Failed to load resource: .*status of 500 .*recommendations/panel/")
    page = context.new_page()
    page.route(FRAGMENT, lambda route: route.fulfill(status=500, content_type="text/html", body="Server Error"))
    page.goto(ARTICLE_PATH)
    page.locator(".rec-panel[data-panel-state=error]").wait_for()

    status = page.locator(".rec-panel__status")
    assert re.search(r"could not be loaded", status.inner_text()), status.inner_text()
    assert status.locator("a").get_attribute("href") == "/calculator/"
    assert "Loading" not in page.locator(".rec-panel").inner_text()
    page.wait_for_timeout(100)
    assert page.evaluate("window.__layoutShifts") == [], "the error state moved the page"
    failures = []
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        failures += [f"{scheme}: {line}" for line in axe_violations(page)]
    screenshot(page, "recommendation-panel-error", page.locator(".rec-panel"))
    assert not failures, "axe-core violations in the panel's error state:\n" + "\n".join(failures)


def test_panel_without_javascript_links_to_the_calculator(site):
    page = site.context(width=375, javascript=False).new_page()
    page.goto(ARTICLE_PATH)
    link = page.locator(".rec-panel a[href='/calculator/']")
    assert link.is_visible(), "without JavaScript the panel shows no link to the calculator"
    assert not page.locator(".rec-panel__status").is_visible(), "without JavaScript the panel says it is loading"
    screenshot(page, "recommendation-panel-nojs", page.locator(".rec-panel"))
