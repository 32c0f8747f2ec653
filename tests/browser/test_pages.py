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


def test_server_error_page_is_accessible_at_both_widths_in_light_and_dark(site, rf):
    """500.html has no URL of its own: the page the error handler renders is served at a probe address."""
    from bonehealth.views import server_error

    html = server_error(rf.get("/")).content.decode()
    failures = []
    for device, width in WIDTHS.items():
        context = site.context(width=width)
        context.monitor.allow(r"Failed to load resource: .*status of 500 .*/__server_error__/\]$")
        page = context.new_page()
        page.route("**/__server_error__/", lambda route: route.fulfill(status=500, body=html, content_type="text/html"))
        page.goto("/__server_error__/")
        assert page.locator("h1").inner_text() == "Something went wrong"
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            failures += [f"server-error {device} {scheme}: {line}" for line in axe_violations(page)]
            screenshot(page, f"server-error-{scheme}")
    assert not failures, "axe-core found accessibility violations on the server error page:\n" + "\n".join(failures)
