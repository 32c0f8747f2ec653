"""Every page type, in a real browser, on a phone and a desktop, light and dark: accessible (axe-core, WCAG 2.0/2.1/2.2
A and AA), one <h1>, no console error, no CSP violation, no request to another host; a screenshot of each."""

import pytest

from .pages import PAGE_TYPES
from .support import WIDTHS, axe_violations, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.parametrize("page_type", PAGE_TYPES, ids=[page_type.name for page_type in PAGE_TYPES])
def test_page_type_is_accessible_at_both_widths_in_light_and_dark(site, page_type):
    failures = []
    for device, width in WIDTHS.items():
        page = site.open(page_type.path, width=width, status=page_type.status)
        if page_type.ready:
            page.locator(page_type.ready).first.wait_for()
        if page_type.ours:
            assert page.locator("h1").count() == 1, f"{page_type.name} ({page_type.path}): expected exactly one <h1>"
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            failures += [f"{page_type.name} {device} {scheme}: {line}" for line in axe_violations(page)]
            screenshot(page, f"{page_type.name}-{scheme}")
    assert not failures, f"axe-core found accessibility violations on {page_type.path}:\n" + "\n".join(failures)


def test_keyboard_user_skips_to_the_main_content(site):
    page = site.open("/blog/", width=375)
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')"), (
        "the first Tab stop is not the skip link"
    )
    box = skip.bounding_box()
    assert box and box["y"] >= 0, f"the focused skip link is off screen: {box}"
    page.keyboard.press("Enter")
    page.wait_for_url("**#main")
    assert page.evaluate("document.activeElement.id") == "main", "focus did not move to the main content"
