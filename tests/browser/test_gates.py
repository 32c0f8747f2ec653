"""The gates themselves can fail: a page with a console error, a CSP violation, an off-site request, an accessibility
violation or invalid HTML is caught. The probe pages are served by Playwright on the live server's own origin."""

import pytest

from .support import axe_violations, vnu_errors

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PROBE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Probe</title></head><body><main>
<h1>Probe</h1><img src="https://offsite.example/pixel.png">
<script>console.error('probe error')</script>
<script src="/static/js/probe-missing.js"></script>
</main></body></html>"""


def test_watchers_catch_console_error_csp_violation_and_offsite_request(site):
    context = site.context()
    page = context.new_page()
    page.route(
        "**/__probe/",
        lambda route: route.fulfill(
            body=PROBE, content_type="text/html", headers={"Content-Security-Policy": "script-src 'self'"}
        ),
    )
    page.goto("/__probe/")
    page.wait_for_load_state("load")
    problems = "\n".join(site.problems())
    site.monitors.clear()  # seen and checked here, so the after-test gate does not fail this test
    assert "on /__probe/: request to another host: https://offsite.example/pixel.png" in problems
    assert "CSP violation: script-src" in problems
    assert "console error: Failed to load resource" in problems  # the missing script


def test_axe_reports_an_image_without_alternative_text(site):
    page = site.context().new_page()
    page.route(
        "**/__probe/",
        lambda route: route.fulfill(body=PROBE.replace("https://offsite.example", ""), content_type="text/html"),
    )
    page.goto("/__probe/")
    site.monitors.clear()
    assert any(line.startswith("image-alt ") for line in axe_violations(page))


def test_vnu_reports_invalid_html(tmp_path):
    document = tmp_path / "invalid.html"
    document.write_text("<!doctype html><html lang=en><title>x</title><p><div>block in p</p></span>", encoding="utf-8")
    errors = vnu_errors({"invalid": document})
    assert errors["invalid"], errors
