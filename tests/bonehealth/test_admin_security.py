"""Signing in to the admin: lockout after repeated failures per username and address (django-axes), a clear page
when locked out, the configurable admin path, and session cookies that are secure and HttpOnly in production."""

import importlib
import json
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import clear_url_caches, reverse

from tests.admin_forms import EDITOR_PASSWORD, sign_in
from tests.processes import BASE_DIR


@pytest.fixture
def editor(make_editor):
    return make_editor(username="erin", password=EDITOR_PASSWORD)


def fail(client, times, username="erin", address="203.0.113.7", **headers):
    for _ in range(times):
        response = sign_in(client, username, "wrong-password", address, **headers)
        assert response.status_code in (200, 429)
    return response


def test_five_failures_lock_the_username_at_that_address(client, editor, settings):
    assert settings.AXES_FAILURE_LIMIT == 5 and settings.AXES_COOLOFF_TIME == timedelta(minutes=15)
    response = fail(client, 4)
    assert response.status_code == 200 and b"Please enter the correct username and password" in response.content
    locked = fail(client, 1)
    assert locked.status_code == 429
    # Even the right password is refused now.
    refused_client = Client()
    refused = sign_in(refused_client, "erin", EDITOR_PASSWORD)
    assert refused.status_code == 429
    assert refused_client.get(reverse("admin:index")).status_code == 302  # not signed in
    html = refused.content.decode()
    assert "Too many failed sign-ins" in html and "erin" in html and "15 minutes" in html
    assert 'href="/static/css/site.css"' in html and 'class="site-header"' in html  # the site's own page
    assert "axes_reset_username erin" in html


def test_lockout_is_per_username_and_address(client, editor, make_editor):
    make_editor(username="other", password=EDITOR_PASSWORD)
    fail(client, 5)
    assert sign_in(Client(), "erin", EDITOR_PASSWORD, address="198.51.100.9").status_code == 302  # another address
    assert sign_in(Client(), "other", EDITOR_PASSWORD).status_code == 302  # another user from the same address


def test_a_success_resets_the_count(client, editor):
    fail(client, 4)
    assert sign_in(Client(), "erin", EDITOR_PASSWORD).status_code == 302
    assert fail(Client(), 4).status_code == 200
    assert sign_in(Client(), "erin", EDITOR_PASSWORD).status_code == 302


def test_lockout_ends_after_the_cool_off(client, editor):
    from axes.models import AccessAttempt

    fail(client, 5)
    assert sign_in(Client(), "erin", EDITOR_PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16))
    assert sign_in(Client(), "erin", EDITOR_PASSWORD).status_code == 302


def test_axes_reset_unlocks_at_once(client, editor):
    fail(client, 5)
    call_command("axes_reset", verbosity=0)
    assert sign_in(Client(), "erin", EDITOR_PASSWORD).status_code == 302


def test_behind_the_proxy_the_address_is_the_one_the_proxy_saw(client, editor, settings):
    settings.BEHIND_PROXY = True
    # The client forges a different address on every try; nginx appends the real one last.
    for forged in range(5):
        sign_in(client, "erin", "wrong", address="127.0.0.1", x_forwarded_for=f"10.9.9.{forged}, 203.0.113.7")
    assert (
        sign_in(Client(), "erin", EDITOR_PASSWORD, "127.0.0.1", x_forwarded_for="1.2.3.4, 203.0.113.7").status_code
        == 429
    )
    # Another real client behind the same proxy is not affected.
    assert sign_in(Client(), "erin", EDITOR_PASSWORD, "127.0.0.1", x_forwarded_for="198.51.100.9").status_code == 302


def test_without_the_proxy_setting_forwarded_headers_are_ignored(client, editor, settings):
    settings.BEHIND_PROXY = False
    for forged in range(5):
        sign_in(client, "erin", "wrong", x_forwarded_for=f"10.9.9.{forged}")
    assert sign_in(Client(), "erin", EDITOR_PASSWORD, x_forwarded_for="10.0.0.99").status_code == 429


@pytest.fixture
def admin_moved(settings):
    """The admin served at /editors-desk/ (DJANGO_ADMIN_URL), with the URLs rebuilt around it."""
    import bonehealth.urls

    settings.ADMIN_URL = "editors-desk/"
    importlib.reload(bonehealth.urls)
    clear_url_caches()
    yield "/editors-desk/"
    settings.ADMIN_URL = "admin/"
    importlib.reload(bonehealth.urls)
    clear_url_caches()


def test_admin_path_is_configurable(admin_moved, client, editor, make_article):
    from calculator.models import Product

    assert client.get("/admin/").status_code == 404
    response = client.get(admin_moved)
    assert response.status_code == 302 and response["Location"].startswith(f"{admin_moved}login/")
    fail(client, 5)
    assert sign_in(Client(), "erin", EDITOR_PASSWORD).status_code == 429  # the lockout guards the moved login too
    call_command("axes_reset", verbosity=0)
    assert sign_in(client, "erin", EDITOR_PASSWORD)["Location"] == admin_moved

    index = client.get(admin_moved).content.decode()
    assert 'href="/admin/' not in index
    assert f'href="{admin_moved}articles/article/?review=overdue"' in index
    article = make_article(status="draft")
    change = client.get(f"{admin_moved}articles/article/{article.pk}/change/").content.decode()
    assert f'data-preview-url="{admin_moved}articles/article/preview/"' in change
    assert client.post(f"{admin_moved}articles/article/preview/", {"body": "*hi*"}).status_code == 200
    banner = client.get(article.get_absolute_url()).content.decode()
    assert f'href="{admin_moved}articles/article/{article.pk}/change/"' in banner
    product = Product.objects.order_by("pk").first()
    assert client.get(f"{admin_moved}calculator/product/{product.pk}/history/").status_code == 200
    assert client.get(f"{admin_moved}calculator/product/import/").status_code == 200


def test_session_cookie_is_httponly_and_secure_when_https(client, editor, settings):
    settings.SESSION_COOKIE_SECURE = True
    response = sign_in(client, "erin", EDITOR_PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["secure"]


def test_production_settings_make_cookies_secure(tmp_path):
    """settings.py under DJANGO_HTTPS=True, in a fresh interpreter (real variables win over any .env)."""
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_SECURE]))"
    )
    base = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "bonehealth.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
    }
    results = {}
    for https in ("True", "False"):
        done = subprocess.run(
            [sys.executable, "-c", script],
            env={**base, "DJANGO_HTTPS": https},
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            check=True,
        )
        results[https] = json.loads(done.stdout.strip().splitlines()[-1])
    assert results["True"] == [True, True, True]
    assert results["False"] == [False, True, False]


def test_password_spraying_from_one_address_is_locked(make_editor):
    make_editor(username="erin", password=EDITOR_PASSWORD)
    for number in range(19):  # one wrong guess for each of twenty usernames: never 5 for one pair
        assert sign_in(Client(), f"user{number}", "wrong").status_code == 200
    assert sign_in(Client(), "user19", "wrong").status_code == 429  # the twentieth failure pauses the address
    assert (
        sign_in(Client(), "erin", EDITOR_PASSWORD).status_code == 429
    )  # the address is paused, even with the password
    assert sign_in(Client(), "erin", EDITOR_PASSWORD, address="198.51.100.9").status_code == 302  # elsewhere: fine


def test_an_office_behind_one_address_is_not_locked_by_a_few_typos(make_editor):
    make_editor(username="erin", password=EDITOR_PASSWORD)
    for number in range(19):  # nineteen colleagues, one typo each
        sign_in(Client(), f"colleague{number}", "typo")
    assert sign_in(Client(), "erin", EDITOR_PASSWORD).status_code == 302


def test_one_username_attacked_from_many_addresses_is_locked(make_editor):
    make_editor(username="erin", password=EDITOR_PASSWORD)
    for number in range(9):  # one guess from each of many addresses: before, 5 per address were allowed
        assert sign_in(Client(), "erin", "wrong", address=f"192.0.2.{number}").status_code == 200
    assert sign_in(Client(), "erin", "wrong", address="192.0.2.9").status_code == 429
    response = sign_in(Client(), "erin", EDITOR_PASSWORD, address="198.51.100.9")
    assert response.status_code == 429
    assert "Too many" in response.text and "axes_reset_username erin" in response.text
    call_command("axes_reset_username", "erin", verbosity=0)
    assert sign_in(Client(), "erin", EDITOR_PASSWORD, address="198.51.100.9").status_code == 302


def test_a_success_does_not_reset_the_address_or_username_counters(make_editor):
    make_editor(username="erin", password=EDITOR_PASSWORD)
    make_editor(username="mallory", password=EDITOR_PASSWORD)
    for number in range(9):
        sign_in(Client(), "erin", "wrong", address=f"192.0.2.{number}")
    assert sign_in(Client(), "erin", address="198.51.100.9").status_code == 302  # erin signs in as usual
    assert sign_in(Client(), "erin", "wrong", address="192.0.2.99").status_code == 429  # the attack stays counted
    for number in range(19):
        sign_in(Client(), f"user{number}", "wrong", address="203.0.113.66")
    assert sign_in(Client(), "mallory", address="203.0.113.66").status_code == 302  # a sprayer's own valid account
    assert sign_in(Client(), "user99", "wrong", address="203.0.113.66").status_code == 429


def test_address_lockout_is_lifted_by_axes_reset_ip(make_editor):
    make_editor(username="erin", password=EDITOR_PASSWORD)
    for number in range(20):
        sign_in(Client(), f"user{number}", "wrong")
    assert sign_in(Client(), "erin", EDITOR_PASSWORD).status_code == 429
    call_command("axes_reset_ip", "203.0.113.7", verbosity=0)
    assert sign_in(Client(), "erin", EDITOR_PASSWORD).status_code == 302


def test_forwarded_addresses_are_trusted_only_from_the_proxy(make_editor, settings):
    settings.BEHIND_PROXY = True
    make_editor(username="erin", password=EDITOR_PASSWORD)
    # A client reaching gunicorn directly forges a new X-Forwarded-For each time: it is counted by its own address.
    for forged in range(5):
        sign_in(Client(), "erin", "wrong", address="198.51.100.20", x_forwarded_for=f"10.1.1.{forged}")
    assert sign_in(Client(), "erin", address="198.51.100.20", x_forwarded_for="10.9.9.9").status_code == 429
    assert sign_in(Client(), "erin", address="198.51.100.21").status_code == 302


def test_trusted_proxies_are_configurable_and_chains_are_walked_from_the_right(make_editor, settings):
    settings.BEHIND_PROXY = True
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    make_editor(username="erin", password=EDITOR_PASSWORD)
    for forged in range(5):  # client 203.0.113.50, then a CDN hop 10.0.0.5, connecting from the balancer 10.0.0.6
        sign_in(Client(), "erin", "wrong", "10.0.0.6", x_forwarded_for=f"1.1.1.{forged}, 203.0.113.50, 10.0.0.5")
    assert sign_in(Client(), "erin", address="10.0.0.6", x_forwarded_for="203.0.113.50, 10.0.0.5").status_code == 429
    assert sign_in(Client(), "erin", address="10.0.0.6", x_forwarded_for="203.0.113.51").status_code == 302
