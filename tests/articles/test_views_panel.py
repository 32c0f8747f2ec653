"""An article's recommendation panel: the fragment at /recommendations/panel/?article=<slug> and its slot on the
article page (how the slot fills in a browser: tests/browser/test_panel.py)."""

import re
from decimal import Decimal

import pytest

from articles.models import Article
from calculator import panel, services
from calculator.models import Nutrient
from tests.conftest import SEED_SLUG as ARTICLE
from tests.panel_html import product_slugs

PANEL = "/recommendations/panel/"

pytestmark = pytest.mark.django_db


def test_panel_fragment_for_the_launch_article(client):
    response = client.get(PANEL, {"article": ARTICLE})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.text
    assert html.lstrip().startswith('<div class="rec-panel__body" data-rec-state="products">')
    assert "<html" not in html and "<h1" not in html and "<h2" not in html  # a fragment: the page holds the heading
    slugs = product_slugs(html)
    assert 1 <= len(slugs) <= 3
    for slug in slugs:
        assert f'<a class="rec-item__link" href="/go/{slug}/" rel="sponsored nofollow">' in html
    assert html.count('class="rec-item__reason"') == len(slugs)
    assert "mg calcium (" in html and "per serving" in html and "USD" in html
    assert "Third-party testing" in html
    disclosure = html.index('class="rec-panel__disclosure"')
    assert disclosure < html.index('class="rec-item"'), "the disclosure comes before the first link"
    assert 'href="/disclosure/"' in html
    if 'class="rec-item__k2"' in html:  # the article is about K2: say who must not take it
        assert "Warfarin" in html and "pregnant or breastfeeding" in html
    assert response["X-Robots-Tag"] == "noindex"
    assert not response.cookies


def test_panel_fragment_is_cacheable_and_needs_one_query_with_the_catalogue_cached(
    client, django_assert_max_num_queries
):
    panel.get_catalogue()
    services.get_reference()  # who may not take K2 comes from the reference data
    with django_assert_max_num_queries(1):
        response = client.get(PANEL, {"article": ARTICLE})
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "ETag" in response
    again = client.get(PANEL, {"article": ARTICLE}, headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("query", ["", "?article=", "?other=x"], ids=["no-query", "empty", "other-parameter"])
def test_panel_fragment_without_an_article_is_a_400(client, query):
    response = client.get(PANEL + query)
    assert response.status_code == 400
    assert "article" in response.text


@pytest.mark.parametrize(
    "slug",
    ["no-such-article", "%00", "<script>", "a" * 300, "calcium%20and"],
    ids=["unknown", "nul", "html", "long", "space"],
)
def test_panel_fragment_for_an_unknown_article_is_a_404(client, slug):
    response = client.get(f"{PANEL}?article={slug}")
    assert response.status_code == 404


def test_panel_fragment_refuses_post(client):
    assert client.post(PANEL, {"article": ARTICLE}).status_code == 405


def test_panel_fragment_for_a_draft_is_a_404_for_readers_and_private_for_editors(client, make_article, admin_user):
    draft = make_article(status=Article.Status.DRAFT, nutrients=[Nutrient.objects.get(slug="calcium")])
    assert client.get(PANEL, {"article": draft.slug}).status_code == 404
    client.force_login(admin_user)
    response = client.get(PANEL, {"article": draft.slug})
    assert response.status_code == 200 and product_slugs(response.text)
    assert response["Cache-Control"] == "private, no-store"
    client.logout()
    assert client.get(PANEL, {"article": draft.slug}).status_code == 404, "the editor's fragment was kept for readers"


def test_panel_fragment_for_an_article_without_nutrients_says_so_and_links_the_calculator(client, make_article):
    article = make_article()
    html = client.get(PANEL, {"article": article.slug}).text
    assert 'data-rec-state="empty"' in html and not product_slugs(html)
    assert 'href="/calculator/"' in html


def test_panel_fragment_offers_only_active_products_that_supply_the_articles_nutrients(
    client, make_article, make_product, only_products
):
    make_product("mag", ("magnesium", 200, "magnesium-glycinate"))
    make_product("hidden-calcium", ("calcium", 300, "calcium-citrate"), is_active=False)
    make_product("calcium", ("calcium", 300, "calcium-citrate"), certification="usp")
    article = make_article(nutrients=[Nutrient.objects.get(slug="calcium")])
    html = client.get(PANEL, {"article": article.slug}).text
    assert product_slugs(html) == ["calcium"]
    assert "USP Verified" in html
    assert 'class="rec-item__k2"' not in html  # no K2 in the panel, so no word on who must not take it


def test_panel_fragment_says_who_must_not_take_k2_next_to_a_k2_product(
    client, make_article, make_product, only_products
):
    make_product("k2", ("vitamin-k2", 100, "mk-7"))
    article = make_article(nutrients=[Nutrient.objects.get(slug="vitamin-k2")])
    html = client.get(PANEL, {"article": article.slug}).text
    assert product_slugs(html) == ["k2"]
    warning = re.search(r'<p class="rec-item__k2">(.*?)</p>', html, re.S).group(1)
    assert "Warfarin" in warning and "pregnant or breastfeeding" in warning


def test_panel_fragment_changes_when_a_product_is_edited(client, make_article, make_product, only_products):
    product = make_product("calcium", ("calcium", 300, "calcium-citrate"), name="Old name")
    article = make_article(nutrients=[Nutrient.objects.get(slug="calcium")])
    first = client.get(PANEL, {"article": article.slug})
    assert "Old name" in first.text
    assert client.get(PANEL, {"article": article.slug})["ETag"] == first["ETag"]  # served from the cache

    product.name = "New name"
    product.save()
    assert "New name" in client.get(PANEL, {"article": article.slug}).text

    ingredient = product.nutrients.get()
    ingredient.amount = Decimal("450")
    ingredient.save()
    assert "450 mg calcium (citrate)" in client.get(PANEL, {"article": article.slug}).text

    product.is_active = False
    product.save()
    assert product_slugs(client.get(PANEL, {"article": article.slug}).text) == []


def test_article_page_has_the_panel_slot_with_its_script_and_a_link_without_javascript(client):
    html = client.get(f"/blog/{ARTICLE}/").text
    slot = re.search(r'<aside class="rec-panel rec-panel--article"[^>]*>', html)
    assert slot, "no panel slot on the article page"
    assert f'data-panel-src="/recommendations/panel/?article={ARTICLE}"' in slot.group(0)
    assert 'data-panel-state="loading"' in slot.group(0) and 'data-calculator-url="/calculator/"' in slot.group(0)
    assert '<p class="rec-panel__status" role="status">Loading product recommendations…</p>' in html
    assert re.search(r'<noscript><p class="rec-panel__fallback"><a href="/calculator/">[^<]+</a></p></noscript>', html)
    assert '<script src="/static/js/panel.js" defer></script>' in html
    assert html.count("<h1") == 1
