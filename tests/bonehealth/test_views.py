"""Site-wide views (bonehealth/views.py): the home page, error pages, the health check and robots.txt."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_404_page_is_styled_and_helpful(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.text
    assert 'href="/calculator/"' in response.text


def test_500_page_renders_without_database(rf):
    from bonehealth.views import server_error

    with pytest.raises(RuntimeError):  # proves the page needs no query: database access is blocked here
        connection.ensure_connection()
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in response.content.decode()


@pytest.mark.django_db
def test_home_page_has_one_h1_skip_link_and_navigation(client):
    html = client.get("/").text
    assert html.count("<h1") == 1
    assert 'class="skip-link" href="#main"' in html
    assert 'href="/blog/"' in html and 'href="/calculator/"' in html
    assert '<html lang="en">' in html
    assert "Medical disclaimer" in html
    assert 'href="/disclosure/"' in html


@pytest.mark.django_db
def test_pages_set_no_cookie_for_readers(client):
    response = client.get("/")
    assert not response.cookies


@pytest.mark.django_db
def test_healthz_reports_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}


@pytest.mark.django_db
def test_healthz_reports_database_down(client, monkeypatch):
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.utils import OperationalError

    def refuse(self, *args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "down", "cache": "ok"}


def test_robots_txt_points_at_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.text
