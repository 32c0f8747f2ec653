"""Signed-in staff sessions end after a period without activity and after an absolute limit
(bonehealth/staff_sessions.py)."""

import time
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from tests.admin_forms import EDITOR_PASSWORD, sign_in


@pytest.fixture
def clock(monkeypatch):
    from bonehealth import staff_sessions

    state = {"now": int(time.time())}
    monkeypatch.setattr(staff_sessions, "now", lambda: state["now"])

    def advance(minutes):
        state["now"] += int(minutes * 60)

    return advance


def test_staff_sessions_end_after_idle_time(make_editor, settings, clock):
    assert settings.STAFF_SESSION_IDLE == timedelta(minutes=30)
    make_editor(username="erin", password=EDITOR_PASSWORD)
    client = Client()
    sign_in(client, "erin")
    clock(29)
    assert client.get(reverse("admin:index")).status_code == 200
    clock(29)
    assert client.get(reverse("admin:index")).status_code == 200  # activity keeps it alive
    clock(31)
    assert client.get(reverse("admin:index")).status_code == 302  # idle too long: sign in again


def test_staff_sessions_end_at_the_absolute_limit_whatever_the_activity(make_editor, settings, clock):
    assert settings.STAFF_SESSION_MAX_AGE == timedelta(hours=10)
    assert settings.SESSION_COOKIE_AGE == 10 * 3600
    make_editor(username="erin", password=EDITOR_PASSWORD)
    client = Client()
    sign_in(client, "erin")
    for _ in range(23):  # every 25 minutes for 9 h 35 min
        clock(25)
        assert client.get(reverse("admin:index")).status_code == 200
    clock(26)
    assert client.get(reverse("admin:index")).status_code == 302
