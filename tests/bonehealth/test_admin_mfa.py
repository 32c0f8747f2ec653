"""A second factor for staff (bonehealth/admin_mfa.py): enrolment under the CSP, only with an administrator's
one-time link, a code at every sign-in, recovery codes used once, wrong codes counted towards the lockout, and staff
made to set it up when it is required."""

import base64
import re
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp

from tests.admin_forms import EDITOR_PASSWORD, sign_in


@pytest.fixture(autouse=True)
def steady_authenticator_clock(monkeypatch):
    """The server and the test's "app" read one clock, stopped mid-step: a code computed just before a 30-second
    boundary and checked just after it would count as the app running late, and a later "next code" could fail."""
    from django_otp import oath
    from django_otp.plugins.otp_totp import models as totp_models

    now = (int(time.time()) // 30) * 30 + 15
    monkeypatch.setattr(oath, "time", lambda: now)
    monkeypatch.setattr(totp_models, "time", SimpleNamespace(time=lambda: now))


def secret_from(page: str) -> bytes:
    shown = re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    return base64.b32decode(shown + "=" * (-len(shown) % 8))


def code_for(key: bytes, offset: int = 0) -> str:
    return f"{totp(key, t0=-offset * 30):06d}"


def open_enrolment_link(client, user=None):
    """Open an enrolment link an administrator issued for the client's account (or ``user``'s)."""
    from django.contrib.auth import get_user_model

    from bonehealth.admin_mfa import issue_enrolment_link

    user = user or get_user_model().objects.get(pk=client.session["_auth_user_id"])
    return client.get(issue_enrolment_link(user)[0])


def enrol(client) -> tuple[bytes, list[str]]:
    """Set up the authenticator app as a person would: open the administrator's link, read the key from the page,
    answer with the app's code."""
    url = reverse("admin:two_factor")
    open_enrolment_link(client)
    page = client.get(url)
    assert page.status_code == 200
    key = secret_from(page.text)
    done = client.post(url, {"token": code_for(key)})
    assert done.status_code == 200 and "Two-factor sign-in is on" in done.text
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.text)
    return key, codes


def test_enrolment_page_works_under_the_csp_without_script(make_editor):
    client = Client()
    client.force_login(make_editor(username="erin"))
    response = open_enrolment_link(client)
    assert response.status_code == 302 and response["Location"] == reverse("admin:two_factor")
    response = client.get(reverse("admin:two_factor"))
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert re.search(r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+"', response.text)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", response.text)  # no inline script
    assert " style=" not in response.text


def test_a_staff_member_with_an_app_needs_the_code_at_every_sign_in(make_editor):
    make_editor(username="erin", password=EDITOR_PASSWORD)
    setup = Client()
    assert sign_in(setup, "erin").status_code == 302
    key, codes = enrol(setup)
    assert len(codes) == 10

    client = Client()
    assert sign_in(client, "erin", code=code_for(key, offset=1)).status_code == 302  # the app's next code
    assert client.get(reverse("admin:index")).status_code == 200
    without = sign_in(Client(), "erin")
    assert without.status_code == 200 and "Enter the current code" in without.text
    assert sign_in(Client(), "erin", code="000000" if code_for(key) != "000000" else "111111").status_code == 200


def test_a_recovery_code_signs_in_once(make_editor):
    make_editor(username="erin", password=EDITOR_PASSWORD)
    setup = Client()
    sign_in(setup, "erin")
    _, codes = enrol(setup)
    assert sign_in(Client(), "erin", code=codes[0].upper()).status_code == 302
    assert sign_in(Client(), "erin", code=codes[1]).status_code == 302
    assert sign_in(Client(), "erin", code=codes[0]).status_code == 200  # used up


def test_wrong_codes_count_towards_the_lockout(make_editor):
    make_editor(username="erin", password=EDITOR_PASSWORD)
    setup = Client()
    sign_in(setup, "erin")
    key, _ = enrol(setup)
    wrong = "123456" if code_for(key) != "123456" else "654321"
    for _ in range(4):
        assert sign_in(Client(), "erin", code=wrong).status_code == 200
    assert sign_in(Client(), "erin", code=wrong).status_code == 429
    assert sign_in(Client(), "erin", code=code_for(key)).status_code == 429


def test_a_password_alone_does_not_open_the_set_up_page_of_someone_with_an_app(make_editor):
    user = make_editor(username="erin", password=EDITOR_PASSWORD)
    setup = Client()
    sign_in(setup, "erin")
    enrol(setup)
    stolen = Client()
    stolen.force_login(user)  # a session without the second factor
    assert stolen.get(reverse("admin:index")).status_code == 302
    assert stolen.get(reverse("admin:two_factor")).status_code == 302
    assert stolen.post(reverse("admin:two_factor"), {"action": "new-recovery-codes"}).status_code == 302


def test_with_mfa_required_staff_must_set_it_up_before_using_the_admin(make_editor, settings):
    settings.STAFF_MFA_REQUIRED = True
    make_editor(username="erin", password=EDITOR_PASSWORD)
    client = Client()
    response = sign_in(client, "erin")
    assert response.status_code == 302 and response["Location"] == reverse("admin:two_factor")
    assert client.get(reverse("admin:index")).status_code == 302
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 302
    page = client.get(reverse("admin:two_factor"))
    assert page.status_code == 403 and "requires two-factor sign-in" in page.text and "enrolment link" in page.text
    open_enrolment_link(client)
    page = client.get(reverse("admin:two_factor"))
    assert "requires two-factor sign-in" in page.text
    key = secret_from(page.text)
    assert Client().get(reverse("admin:index")).status_code == 302
    done = client.post(reverse("admin:two_factor"), {"token": code_for(key)})
    assert "Two-factor sign-in is on" in done.text
    assert client.get(reverse("admin:index")).status_code == 200  # this session was verified by the set-up


def test_staff_can_sign_out_before_setting_it_up(make_editor, settings):
    settings.STAFF_MFA_REQUIRED = True
    make_editor(username="erin", password=EDITOR_PASSWORD)
    client = Client()
    sign_in(client, "erin")
    assert 'action="/admin/logout/"' in client.get(reverse("admin:two_factor")).text
    assert client.post(reverse("admin:logout")).status_code == 200
    assert client.get(reverse("admin:two_factor")).status_code == 302  # signed out: back to the sign-in page


def test_new_recovery_codes_replace_the_old_ones(make_editor):
    make_editor(username="erin", password=EDITOR_PASSWORD)
    client = Client()
    sign_in(client, "erin")
    _, old = enrol(client)
    page = client.post(reverse("admin:two_factor"), {"action": "new-recovery-codes"})
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page.text)
    assert len(new) == 10 and not set(new) & set(old)
    assert sign_in(Client(), "erin", code=new[2]).status_code == 302
    assert sign_in(Client(), "erin", code=old[2]).status_code == 200


# Enrolment needs an administrator's one-time link (issue 27) ------------------------------------------------------


def test_with_only_the_password_an_account_without_an_app_cannot_reach_the_set_up_page(make_editor, settings):
    settings.STAFF_MFA_REQUIRED = True
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = make_editor(username="erin", password=EDITOR_PASSWORD)
    attacker = Client()
    assert sign_in(attacker, "erin")["Location"] == reverse("admin:two_factor")
    page = attacker.get(reverse("admin:two_factor"))
    assert page.status_code == 403 and "needs a one-time enrolment link from an administrator" in page.text
    assert 'id="totp-secret"' not in page.text and "<img" not in page.text
    assert attacker.post(reverse("admin:two_factor"), {"token": "123456"}).status_code == 403
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert attacker.get(reverse("admin:index")).status_code == 302


def test_a_valid_link_lets_that_account_enrol_once(make_editor, settings):
    settings.STAFF_MFA_REQUIRED = True
    from bonehealth.admin_mfa import issue_enrolment_link

    user = make_editor(username="erin", password=EDITOR_PASSWORD)
    link, _ = issue_enrolment_link(user)
    person = Client()
    assert person.get(link)["Location"] == reverse("admin:two_factor")  # opened before signing in: kept
    sign_in(person, "erin")
    page = person.get(reverse("admin:two_factor"))
    assert page.status_code == 200 and 'id="totp-secret"' in page.text
    assert person.get(reverse("admin:two_factor")).status_code == 200  # the session keeps its permission
    key = secret_from(person.get(reverse("admin:two_factor")).text)
    assert "Two-factor sign-in is on" in person.post(reverse("admin:two_factor"), {"token": code_for(key)}).text

    # The same link, a second time (someone else with the password): spent.
    other = Client()
    sign_in(other, "erin", code=code_for(key, offset=1))
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).delete()  # even after an administrator deletes the app and the codes
    StaticDevice.objects.filter(user=user).delete()
    later = Client()
    sign_in(later, "erin")
    later.get(link)
    assert later.get(reverse("admin:two_factor")).status_code == 403


def test_a_link_opened_by_another_browser_first_is_spent(make_editor):
    from bonehealth.admin_mfa import issue_enrolment_link

    user = make_editor(username="erin", password=EDITOR_PASSWORD)
    link, _ = issue_enrolment_link(user)
    first, second = Client(), Client()
    for client in (first, second):
        sign_in(client, "erin")
        client.get(link)
    assert first.get(reverse("admin:two_factor")).status_code == 200
    assert second.get(reverse("admin:two_factor")).status_code == 403


def test_an_expired_link_is_refused(make_editor, monkeypatch):
    from django.utils import timezone

    from bonehealth.admin_mfa import ENROLMENT_LINK_VALID, issue_enrolment_link

    user = make_editor(username="erin", password=EDITOR_PASSWORD)
    link, _ = issue_enrolment_link(user)
    issued = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: issued + ENROLMENT_LINK_VALID + timedelta(minutes=1))
    client = Client()
    sign_in(client, "erin")
    client.get(link)
    page = client.get(reverse("admin:two_factor"))
    assert page.status_code == 403 and "needs a one-time enrolment link" in page.text


def test_a_link_is_for_its_own_account_only_and_a_forged_one_is_refused(make_editor):
    from bonehealth.admin_mfa import issue_enrolment_link

    erin = make_editor(username="erin", password=EDITOR_PASSWORD)
    make_editor(username="mallory", password=EDITOR_PASSWORD)
    mallory = Client()
    sign_in(mallory, "mallory")
    mallory.get(issue_enrolment_link(erin)[0])
    assert mallory.get(reverse("admin:two_factor")).status_code == 403
    mallory.get(reverse("admin:two_factor_enrol", kwargs={"token": "a-guessed-token"}))
    assert mallory.get(reverse("admin:two_factor")).status_code == 403


def test_a_newer_link_replaces_an_unused_older_one(make_editor):
    from bonehealth.admin_mfa import issue_enrolment_link

    user = make_editor(username="erin", password=EDITOR_PASSWORD)
    older, _ = issue_enrolment_link(user)
    newer, _ = issue_enrolment_link(user)
    client = Client()
    client.force_login(user)
    client.get(older)
    assert client.get(reverse("admin:two_factor")).status_code == 403
    client.get(newer)
    assert client.get(reverse("admin:two_factor")).status_code == 200


def test_an_administrator_issues_a_link_in_the_admin_and_the_person_enrols_with_it(
    make_editor, superuser_client, settings
):
    settings.STAFF_MFA_REQUIRED = False  # the administrator here has no app of their own
    user = make_editor(username="erin", password=EDITOR_PASSWORD)
    url = reverse("admin:two_factor_links")
    page = superuser_client.get(url)
    assert page.status_code == 200 and f'<option value="{user.pk}">erin</option>' in page.text
    issued = superuser_client.post(url, {"user": str(user.pk)})
    link = re.search(r'<code id="enrolment-link">http://testserver(/admin/two-factor/enrol/[^<]+/)</code>', issued.text)
    assert link, issued.text
    person = Client()
    sign_in(person, "erin")
    person.get(link.group(1).replace("&amp;", "&"))
    assert 'id="totp-secret"' in person.get(reverse("admin:two_factor")).text
    # Editors cannot issue links.
    assert person.get(url).status_code == 302


def test_the_command_prints_a_working_link_for_the_first_administrator(django_user_model, settings):
    import io

    from django.core.management import call_command

    settings.STAFF_MFA_REQUIRED = True
    django_user_model.objects.create_superuser(username="root", password=EDITOR_PASSWORD, email="")
    out = io.StringIO()
    call_command("two_factor_link", "root", stdout=out, stderr=io.StringIO())
    client = Client()
    sign_in(client, "root")
    client.get(out.getvalue().strip())
    assert 'id="totp-secret"' in client.get(reverse("admin:two_factor")).text
