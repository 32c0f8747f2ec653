"""`make profile` asks the site what the bench's cold rows ask: every request it sends is answered (200), and each
calculator request is a question not asked before."""

import json

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from bench.profile import PAGES, environ, main


@pytest.fixture
def keep_the_test_connection():
    """What Django's test client does around a request: the handler must not close the connection that holds the
    test's transaction (on PostgreSQL the next request would find it closed)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
def test_every_request_the_profile_sends_is_answered(page, settings, keep_the_test_connection):
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    application = WSGIHandler()
    statuses = []
    for number in (1, 2_001, 400_001):
        body = b"".join(application(environ(page, number), lambda status, headers, *_: statuses.append(status)))
        assert statuses.pop() == "200 OK", (page, number, body[:500])


def test_each_calculator_request_is_a_new_question():
    queries = {environ("results", number)["QUERY_STRING"] for number in range(1, 5_000)}
    bodies = {environ("api", number)["wsgi.input"].read() for number in range(1, 5_000)}
    assert len(queries) == len(bodies) == 4_999
    assert json.loads(next(iter(bodies)))["medications"] == ["levothyroxine"]


def test_an_unknown_page_is_named_with_the_choices(capsys):
    assert main(["home"]) == 2
    assert "Unknown page home: choose from robots, article, results, api." in capsys.readouterr().err
