"""The admin pages this project adds or changes run under the site's strict Content-Security-Policy
(script-src 'self', style-src 'self'): no inline script, style attribute or event handler attribute in them.
The real-browser test (tests/browser/test_admin_editing.py) watches for CSP violations as well."""

import re

import pytest
from django.urls import reverse
from reversion.models import Version

from tests.admin_forms import submit

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.IGNORECASE)
HANDLER_ATTRIBUTE = re.compile(r"<[a-z][^>]*\son[a-z]+=", re.IGNORECASE)


def inline_code(html):
    return [
        match.group(0)[:120]
        for pattern in (INLINE_SCRIPT, STYLE_ATTRIBUTE, STYLE_ELEMENT, HANDLER_ATTRIBUTE)
        for match in pattern.finditer(html)
    ]


@pytest.fixture
def pages(editor_client, make_article):
    from calculator.models import Product

    article = make_article(body="Text.[^a]", references=[{"key": "a"}])
    change = reverse("admin:articles_article_change", args=[article.pk])
    assert submit(editor_client, change).status_code == 302
    version = Version.objects.get_for_object(article).first()
    product = Product.objects.order_by("pk").first()
    deleted = make_article(title="Gone")
    editor_client.post(reverse("admin:articles_article_delete", args=[deleted.pk]), {"post": "yes"})
    (gone,) = Version.objects.get_deleted(type(article))
    return {
        "index": reverse("admin:index"),
        "article add": reverse("admin:articles_article_add"),
        "article change": change,
        "article history": reverse("admin:articles_article_history", args=[article.pk]),
        "article revision": reverse("admin:articles_article_revision", args=[article.pk, version.pk]),
        "article recover list": reverse("admin:articles_article_recoverlist"),
        "article recover": reverse("admin:articles_article_recover", args=[gone.pk]),
        "article delete": reverse("admin:articles_article_delete", args=[article.pk]),
        "product list": reverse("admin:calculator_product_changelist"),
        "product change": reverse("admin:calculator_product_change", args=[product.pk]),
        "product import": reverse("admin:calculator_product_import"),
        "product export": reverse("admin:calculator_product_export"),
        "food import": reverse("admin:calculator_food_import"),
        "food export": reverse("admin:calculator_food_export"),
    }


def test_admin_pages_have_no_inline_code(editor_client, pages):
    problems = {}
    for name, url in pages.items():
        response = editor_client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        assert "script-src 'self'" in response["Content-Security-Policy"]
        found = inline_code(response.content.decode())
        if found:
            problems[name] = found
    assert problems == {}


def test_import_preview_has_no_inline_code(editor_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = (
        "slug,name,category,serving,serving_quantity,serving_unit,sort_order,calcium_mg\n"
        "milk,Milk 2,dairy,1 cup,245,ml,1,310\n"
    )
    response = editor_client.post(
        reverse("admin:calculator_food_import"),
        {"format": "0", "import_file": SimpleUploadedFile("foods.csv", content.encode())},
    )
    html = response.content.decode()
    assert "<ins>" in html or "<del>" in html  # the preview's changes are marked, without inline styles
    assert inline_code(html) == []


def test_lockout_page_has_no_inline_code(client, make_editor):
    make_editor(username="lock", password="a-long-editor-password")
    for _ in range(5):
        client.post(reverse("admin:login"), {"username": "lock", "password": "wrong"})
    response = client.post(reverse("admin:login"), {"username": "lock", "password": "wrong"})
    assert response.status_code == 429
    assert inline_code(response.content.decode()) == []
