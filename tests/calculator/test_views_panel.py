"""The recommendation panel in the calculator's views: the results page and the JSON API show one panel, the
outbound click counter (/go/<slug>/) and the affiliate disclosure page."""

import re
import threading
from datetime import timedelta
from html import unescape as html_unescape

import pytest
from django.db import connection, connections
from django.test import Client

from calculator import views
from calculator.models import Nutrient, Product, ProductNutrient
from tests.panel_html import product_slugs

# ---------------------------------------------------------------------------------------------------------------
# The JSON API's list and the results page
# ---------------------------------------------------------------------------------------------------------------


def api(client, **body):
    response = client.post("/api/intake/", body, content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()["recommendations"]


@pytest.mark.django_db
def test_api_recommendations_have_the_contract_fields_and_fit_the_person(client):
    recommendations = api(client, age=72, sex="female", goal="bone_health", conditions=["digestive-issues"])
    assert 1 <= len(recommendations) <= 3
    for item in recommendations:
        assert set(item) == {"slug", "name", "nutrients", "per_serving", "reason"}
        assert item["nutrients"] and all(isinstance(n, str) for n in item["nutrients"])
    calcium = [item for item in recommendations if "calcium" in item["nutrients"]]
    assert calcium and "citrate" in calcium[0]["reason"].lower()
    assert "because of digestive conditions (coeliac disease" in calcium[0]["reason"]


@pytest.mark.django_db
def test_api_recommends_nothing_to_under_18s(client):
    assert api(client, age=15, sex="male", goal="bone_health") == []


@pytest.mark.django_db
def test_api_puts_k2_last_with_a_physician_warning_on_warfarin(client):
    recommendations = api(client, age=65, sex="male", goal="bone_health", medications=["warfarin"])
    assert recommendations
    with_k2 = [i for i, item in enumerate(recommendations) if "vitamin-k2" in item["nutrients"]]
    for index in with_k2:
        assert "talk to your physician first" in recommendations[index]["reason"]
        assert all("vitamin-k2" in item["nutrients"] for item in recommendations[index:])


@pytest.mark.django_db
def test_api_offers_no_calcium_above_the_upper_limit(client):
    recommendations = api(
        client, age=60, sex="female", goal="bone_health", supplements={"calcium_mg": 2500, "calcium_doses_per_day": 5}
    )
    assert recommendations, "K2 products still fit"
    assert all("calcium" not in item["nutrients"] for item in recommendations)


@pytest.mark.django_db
def test_results_page_renders_the_panel_server_side(client):
    html = client.get("/calculator/", {"age": 60, "sex": "female", "goal": "bone_health"}).text
    section = html[html.index('<section class="rec-panel rec-panel--results"') :]
    assert '<h2 id="rec-panel-title">Products that fit your answers</h2>' in section
    assert 'data-rec-state="products"' in section and product_slugs(section)
    assert 'rel="sponsored nofollow"' in section and 'href="/disclosure/"' in section
    assert "the 950 mg of calcium a day your plan suggests" in section  # 1,200 mg less the 250 mg other foods
    assert html.count("<h1") == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "answers",
    [
        {"age": 60, "sex": "female", "goal": "bone_health"},
        {"age": 72, "sex": "female", "goal": "bone_health", "conditions": ["digestive-issues"]},
        {"age": 65, "sex": "male", "goal": "bone_health", "medications": ["warfarin"]},
        {"age": 40, "sex": "male", "goal": "general"},
    ],
    ids=["woman-60", "digestive-issues", "warfarin", "general-goal"],
)
def test_results_page_and_api_show_the_same_products_with_the_same_reasons(client, answers):
    recommendations = api(client, **answers)
    html = client.get("/calculator/", answers).text
    section = html[html.index('<section class="rec-panel rec-panel--results"') :]
    assert product_slugs(section) == [item["slug"] for item in recommendations]
    reasons = [html_unescape(text) for text in re.findall(r'<p class="rec-item__reason">(.*?)</p>', section)]
    assert reasons == [item["reason"] for item in recommendations]


@pytest.mark.django_db
def test_results_page_tells_under_18s_why_there_are_no_products(client):
    html = client.get("/calculator/", {"age": 12, "sex": "female"}).text
    assert 'data-rec-state="minor"' in html and "under 18" in html
    assert not product_slugs(html)


@pytest.mark.django_db
def test_results_page_says_so_when_no_product_fits(client, only_products):
    html = client.get("/calculator/", {"age": 60, "sex": "female", "goal": "bone_health"}).text
    assert 'data-rec-state="empty"' in html and "None of the products we list fits your answers" in html
    assert not product_slugs(html)


# ---------------------------------------------------------------------------------------------------------------
# Outbound links: /go/<slug>/
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_go_counts_the_click_and_redirects_without_a_cookie(client, make_product):
    product = make_product("calcium", ("calcium", 300, "calcium-citrate"))
    response = client.get("/go/calcium/")
    assert response.status_code == 302
    assert response["Location"] == "https://shop.example/calcium"
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies
    product.refresh_from_db()
    assert product.click_count == 1
    client.get("/go/calcium/", REMOTE_ADDR="198.51.100.4")  # a second reader
    product.refresh_from_db()
    assert product.click_count == 2


@pytest.mark.django_db
def test_go_keeps_a_click_counted_by_another_request_meanwhile(client, make_product, monkeypatch):
    """Another reader's click lands while this one is being counted: both count (the counter is incremented in the
    database, never written back from a value read earlier)."""
    make_product("calcium", ("calcium", 300, "calcium-citrate"), click_count=5)
    first_click_today = views._first_click_today

    def meanwhile(request, slug):
        Product.objects.filter(slug=slug).update(click_count=7)  # two clicks on another worker
        return first_click_today(request, slug)

    monkeypatch.setattr(views, "_first_click_today", meanwhile)
    assert client.get("/go/calcium/").status_code == 302
    assert Product.objects.get(slug="calcium").click_count == 8


@pytest.mark.django_db
def test_go_does_not_count_head_requests(client, make_product):
    product = make_product("calcium", ("calcium", 300, "calcium-citrate"))
    assert client.head("/go/calcium/").status_code == 302
    product.refresh_from_db()
    assert product.click_count == 0


@pytest.mark.django_db
def test_go_for_an_inactive_or_unknown_product_is_a_404_and_counts_nothing(client, make_product):
    product = make_product("calcium", ("calcium", 300, "calcium-citrate"), is_active=False)
    assert client.get("/go/calcium/").status_code == 404
    assert client.get("/go/no-such-product/").status_code == 404
    product.refresh_from_db()
    assert product.click_count == 0


@pytest.mark.django_db
def test_go_refuses_post(client, make_product):
    make_product("calcium", ("calcium", 300, "calcium-citrate"))
    assert client.post("/go/calcium/").status_code == 405


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_go_counts_concurrent_clicks_exactly():
    """Many clicks at the same moment, each on its own database connection: no click may be lost."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serialises writers with a database lock)")
    calcium = Nutrient.objects.get(slug="calcium")
    product = Product.objects.create(
        slug="busy", name="Busy", description="x", servings_per_container=10, url="https://shop.example/busy"
    )
    ProductNutrient.objects.create(product=product, nutrient=calcium, amount=300, form="calcium-citrate")
    clicks, start, statuses = 25, threading.Barrier(25), []

    def click(number):
        try:
            start.wait()
            # 25 readers (one address counts once a day: tests/bonehealth/test_security.py)
            statuses.append(Client().get("/go/busy/", REMOTE_ADDR=f"198.51.100.{number}").status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click, args=(number,)) for number in range(clicks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302] * clicks
    product.refresh_from_db()
    assert product.click_count == clicks


# ---------------------------------------------------------------------------------------------------------------
# The disclosure page
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_disclosure_page(client):
    response = client.get("/disclosure/")
    assert response.status_code == 200
    html = response.text
    assert html.count("<h1") == 1 and "<h1>Affiliate disclosure</h1>" in html
    assert "commission" in html and "/go/" in html and "no cookie" in html
    assert "<title>Affiliate disclosure" in html
    assert not response.cookies


@pytest.mark.django_db
def test_the_click_counter_counts_an_address_once_a_day(client, monkeypatch):
    from django.utils import timezone

    from calculator.models import Product

    product = Product.objects.filter(is_active=True).order_by("pk").first()
    url = f"/go/{product.slug}/"
    for _ in range(5):
        assert client.get(url, REMOTE_ADDR="203.0.113.9").status_code == 302
    client.get(url, REMOTE_ADDR="203.0.113.10")
    product.refresh_from_db()
    assert product.click_count == 2
    tomorrow = timezone.now() + timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    client.get(url, REMOTE_ADDR="203.0.113.9")
    product.refresh_from_db()
    assert product.click_count == 3
