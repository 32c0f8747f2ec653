"""An editor sets up two-factor sign-in (TOTP) from the admin with an administrator's enrolment link, with
DJANGO_STAFF_MFA on, and signs in with a code; without the link, the password alone reaches no set-up page. Under the
site's strict CSP (no script on these pages; any CSP violation fails the test, see conftest.py)."""

import base64

import pytest
from django_otp.oath import totp

from tests.admin_forms import EDITOR_PASSWORD

from .support import screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def second_factor_required(settings):
    settings.STAFF_MFA_REQUIRED = True


def sign_in(page, code=None):
    page.goto("/admin/")
    page.locator("#id_username").fill("erin")
    page.locator("#id_password").fill(EDITOR_PASSWORD)
    if code is not None:
        page.get_by_label("Authenticator code").fill(code)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()


def test_without_an_enrolment_link_the_password_alone_sets_up_nothing(site, editor):
    context = site.context(width=1280)
    context.monitor.allow(r"Failed to load resource: .*status of 403 .*/admin/two-factor/\]$")  # the refusal
    page = context.new_page()
    sign_in(page)  # no app yet: sent to the set-up page, which asks for the administrator's link
    assert page.url.endswith("/admin/two-factor/"), page.url
    assert page.locator("#needs-enrolment-link").count() == 1
    assert page.get_by_role("img", name="QR code for setting up the authenticator app").count() == 0
    assert page.locator("#totp-secret").count() == 0
    page.goto("/admin/articles/article/")
    assert page.url.endswith("/admin/two-factor/"), page.url
    screenshot(page, "admin-two-factor-needs-link")


def test_editor_enrols_in_totp_and_signs_in_with_a_code(site, editor):
    from django.contrib.auth import get_user_model

    from bonehealth.admin_mfa import issue_enrolment_link

    link, _ = issue_enrolment_link(get_user_model().objects.get(username="erin"))
    page = site.context(width=1280).new_page()
    page.goto(link)  # the link an administrator gave them, opened before signing in
    sign_in(page)  # no app yet: sent to set one up before anything else
    assert page.url.endswith("/admin/two-factor/"), page.url
    assert page.get_by_text("requires two-factor sign-in").count() == 1
    qr = page.get_by_role("img", name="QR code for setting up the authenticator app")
    assert qr.evaluate("image => image.complete && image.naturalWidth > 0"), "the QR code did not render"
    screenshot(page, "admin-two-factor-setup")

    shown = page.locator("#totp-secret").inner_text().replace(" ", "")
    key = base64.b32decode(shown + "=" * (-len(shown) % 8))
    page.get_by_label("Code from the app").fill(f"{totp(key):06d}")
    with page.expect_navigation():
        page.get_by_role("button", name="Turn on two-factor sign-in").click()
    assert page.get_by_text("Two-factor sign-in is on").count() == 1
    assert page.locator("#recovery-codes li").count() == 10
    with page.expect_navigation():
        page.get_by_role("link", name="Continue to the admin").click()
    assert page.get_by_role("link", name="Articles").count() >= 1

    other = site.context(width=375).new_page()  # another browser: password alone is refused now
    sign_in(other)
    assert other.get_by_text("Enter the current code from your authenticator app").count() == 1
    sign_in(other, code=f"{totp(key, t0=-30):06d}")  # the app's next code (the current one was just used)
    assert other.url.endswith("/admin/"), other.url
    assert other.get_by_role("link", name="Articles").count() >= 1
    screenshot(other, "admin-signed-in-with-code")
