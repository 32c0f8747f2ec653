"""The live preview endpoint of the article admin, and the draft view on the site that "View on site" opens."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone


@pytest.fixture
def preview_url(db):
    return reverse("admin:articles_article_preview")


def test_preview_renders_with_the_site_renderer_and_sanitizer(editor_client, preview_url):
    body = (
        "## Why it matters\n\nCalcium **builds** bone.[^a] And again.[^b]\n\n"
        '<script>alert(1)</script><img src="x" onerror="alert(2)">\n\n[x](javascript:alert(3))\n'
    )
    response = editor_client.post(preview_url, {"body": body, "reference_key": ["b", "a"]})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h2 id="why-it-matters">' in html
    assert "<strong>builds</strong>" in html
    assert "<script" not in html and "alert(1)" not in html and "onerror" not in html
    assert 'href="javascript:' not in html
    # Numbered in the references' order, as on the page: [^a] is the second reference.
    assert '<a href="#ref-a">[<span class="visually-hidden">reference </span>2]</a>' in html
    assert response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]


def test_preview_warns_about_unknown_citations_and_tables(editor_client, preview_url):
    response = editor_client.post(preview_url, {"body": "Claim.[^missing]\n\n[[table:nope]]\n"})
    assert response.status_code == 200
    assert b"[^missing] is cited but no reference" in response.content
    assert b"[[table:nope]] is not a live table" in response.content


def test_preview_shows_live_tables_from_the_calculator_data(editor_client, preview_url):
    response = editor_client.post(preview_url, {"body": "[[table:calcium-guidelines]]\n"})
    assert response.status_code == 200
    assert b"<table" in response.content


def test_preview_shows_the_table_markup_the_page_shows(editor_client, preview_url, make_article, client):
    """The responsive table (class="stack", a data-label on each cell) in the preview, exactly as on the page."""
    import re

    from articles.models import Article

    body = "Intro.\n\n[[table:calcium-guidelines]]\n"
    article = make_article(title="Guidelines", body=body, status=Article.Status.PUBLISHED)
    page = client.get(article.get_absolute_url())
    preview = editor_client.post(preview_url, {"body": body})
    assert page.status_code == preview.status_code == 200

    def table(html):
        found = re.search(r"<table.*?</table>", html, re.S)
        assert found, "no table"
        return found[0]

    shown = table(preview.content.decode())
    assert '<table class="stack">' in shown and "data-label=" in shown
    assert shown == table(page.content.decode())


def test_preview_is_refused_to_anonymous_and_non_staff(client, django_user_model, preview_url):
    assert client.post(preview_url, {"body": "x"}).status_code == 403
    reader = django_user_model.objects.create_user(username="reader", password=None)
    client.force_login(reader)
    response = client.post(preview_url, {"body": "x"})
    assert response.status_code == 403
    assert b"Sign in" in response.content


def test_preview_is_refused_to_staff_without_article_permission(client, django_user_model, preview_url):
    client.force_login(django_user_model.objects.create_user(username="clerk", password=None, is_staff=True))
    assert client.post(preview_url, {"body": "x"}).status_code == 403


def test_preview_is_refused_to_an_editor_who_skipped_the_second_factor(client, make_editor, preview_url):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    editor = make_editor(username="dana")
    TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    client.force_login(editor)  # the password alone: the app's code was never entered
    assert client.post(preview_url, {"body": "x"}).status_code == 403


def test_preview_needs_the_csrf_token(make_editor, preview_url):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_editor())
    assert client.post(preview_url, {"body": "x"}).status_code == 403
    page = client.get(reverse("admin:articles_article_add"))
    token = page.cookies["csrftoken"].value
    assert client.post(preview_url, {"body": "x"}, headers={"X-CSRFToken": token}).status_code == 200


def test_preview_bad_requests_get_a_clear_answer(editor_client, preview_url):
    assert editor_client.get(preview_url).status_code == 405
    missing = editor_client.post(preview_url, {})
    assert missing.status_code == 400 and b"no article body" in missing.content
    too_big = editor_client.post(preview_url, {"body": "a" * (600 * 1024)})
    assert too_big.status_code == 413 and b"too long to preview" in too_big.content
    weird = editor_client.post(
        preview_url, b"body=%FF%FE%00\x00" + b"|" * 100, content_type="application/x-www-form-urlencoded"
    )
    assert weird.status_code == 200
    nested = editor_client.post(preview_url, {"body": ">" * 5000 + " deep\n" + "*" * 3000 + "[" * 3000})
    assert nested.status_code in (200, 422)


def test_preview_renderer_failure_is_a_message_not_a_500(editor_client, preview_url, monkeypatch):
    from articles import markdown

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(markdown, "render", broken)
    response = editor_client.post(preview_url, {"body": "x"})
    assert response.status_code == 422
    assert b"could not be rendered" in response.content


def test_article_form_loads_the_preview_script_and_names_the_endpoint(editor_client, preview_url):
    response = editor_client.get(reverse("admin:articles_article_add"))
    html = response.content.decode()
    assert 'src="/static/js/admin-preview.js"' in html
    assert f'data-preview-url="{preview_url}"' in html


def test_view_on_site_shows_a_draft_to_staff_with_a_banner(editor_client, client, make_article):
    draft = make_article(status="draft", title="Unfinished draft")
    change = editor_client.get(reverse("admin:articles_article_change", args=[draft.pk]))
    assert b"View on site" in change.content
    page = editor_client.get(draft.get_absolute_url())
    assert page.status_code == 200
    assert b"Draft preview." in page.content and b"readers cannot see it" in page.content
    assert "no-store" in page["Cache-Control"]
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_view_on_site_shows_a_scheduled_article_to_staff(editor_client, client, make_article):
    scheduled = make_article(published_at=timezone.now() + timedelta(days=3))
    page = editor_client.get(scheduled.get_absolute_url())
    assert page.status_code == 200 and b"Scheduled for" in page.content
    assert client.get(scheduled.get_absolute_url()).status_code == 404
