"""The recommendation panel: the article fragment, the results-page panel and the API list, the outbound click
counter, the disclosure page, the starter catalogue, and cache invalidation."""

import importlib
import re
import threading
from decimal import Decimal

import pytest
from django.apps import apps as global_apps
from django.contrib.staticfiles import finders
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bonehealth import generation
from calculator import panel, services
from calculator.models import Nutrient, Product, ProductNutrient

ARTICLE = "calcium-and-vitamin-k2-bone-health-combination"
PANEL = "/recommendations/panel/"
STARTER = importlib.import_module("calculator.migrations.0004_starter_products")


@pytest.fixture
def make_product(db):
    """make_product("slug", ("calcium", 300, "calcium-citrate"), ..., **fields): an active product and what one
    serving holds."""

    def build(slug, *ingredients, **fields):
        fields.setdefault("name", slug.replace("-", " ").capitalize())
        fields.setdefault("description", "A test product.")
        fields.setdefault("servings_per_container", 100)
        fields.setdefault("price", Decimal("10.00"))
        fields.setdefault("url", f"https://shop.example/{slug}")
        product = Product.objects.create(slug=slug, **fields)
        for nutrient, amount, form in ingredients:
            ProductNutrient.objects.create(
                product=product, nutrient=Nutrient.objects.get(slug=nutrient), amount=Decimal(amount), form=form
            )
        return product

    return build


@pytest.fixture
def only_products(db):
    """Hide the starter catalogue, so a test sees only the products it makes."""
    Product.objects.filter(is_starter=True).update(is_active=False)
    generation.bump()  # .update() sends no signal


def product_slugs(html):
    return re.findall(r'class="rec-item" data-product="([^"]+)"', html)


# ---------------------------------------------------------------------------------------------------------------
# Starter catalogue
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_starter_catalogue_is_there_after_migrate_and_covers_the_common_needs():
    starters = Product.objects.filter(is_starter=True, is_active=True).prefetch_related("nutrients__nutrient")
    assert starters.count() >= 10
    compositions = set()
    for product in starters:
        forms = frozenset((row.nutrient.slug, row.form) for row in product.nutrients.all())
        assert forms, f"{product.slug} has no ingredient"
        compositions.add(forms)
        assert product.brand == "" and product.certification == Product.Certification.NONE, product.slug
        assert product.url.startswith("https://ods.od.nih.gov/factsheets/"), product.slug
        assert "placeholder" in product.editor_note and product.price_per_serving is not None
    forms_in = {form for composition in compositions for _, form in composition}
    assert {"calcium-citrate", "calcium-carbonate", "magnesium-glycinate"} <= forms_in
    assert frozenset({("vitamin-k2", "mk-7")}) in compositions, "no K2 (MK-7) product on its own"
    assert any({n for n, _ in c} == {"calcium", "vitamin-d", "vitamin-k2"} for c in compositions)


@pytest.mark.django_db
def test_starter_migration_keeps_editor_changes_and_its_reverse_keeps_real_offers():
    edited = Product.objects.get(slug="starter-calcium-citrate-200")
    edited.price = Decimal("99.00")
    edited.save()
    Product.objects.filter(slug="starter-calcium-citrate-500").delete()
    STARTER.create_missing(global_apps, None)
    assert Product.objects.get(slug="starter-calcium-citrate-200").price == Decimal("99.00")
    recreated = Product.objects.get(slug="starter-calcium-citrate-500")
    assert [(n.nutrient.slug, n.amount, n.form) for n in recreated.nutrients.all()] == [
        ("calcium", Decimal("500.0"), "calcium-citrate")
    ]
    Product.objects.filter(slug="starter-vitamin-k2-mk7-100").update(is_starter=False)  # an editor made it real
    STARTER.remove(global_apps, None)
    assert list(Product.objects.filter(slug__startswith="starter-").values_list("slug", flat=True)) == [
        "starter-vitamin-k2-mk7-100"
    ]


# ---------------------------------------------------------------------------------------------------------------
# The article fragment
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
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


@pytest.mark.django_db
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


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "?article=", "?other=x"], ids=["no-query", "empty", "other-parameter"])
def test_panel_fragment_without_an_article_is_a_400(client, query):
    response = client.get(PANEL + query)
    assert response.status_code == 400
    assert "article" in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "slug",
    ["no-such-article", "%00", "<script>", "a" * 300, "calcium%20and"],
    ids=["unknown", "nul", "html", "long", "space"],
)
def test_panel_fragment_for_an_unknown_article_is_a_404(client, slug):
    response = client.get(f"{PANEL}?article={slug}")
    assert response.status_code == 404


@pytest.mark.django_db
def test_panel_fragment_for_a_draft_is_a_404_for_readers_and_private_for_editors(client, make_article, admin_user):
    from articles.models import Article

    draft = make_article(status=Article.Status.DRAFT, nutrients=[Nutrient.objects.get(slug="calcium")])
    assert client.get(PANEL, {"article": draft.slug}).status_code == 404
    client.force_login(admin_user)
    response = client.get(PANEL, {"article": draft.slug})
    assert response.status_code == 200 and product_slugs(response.text)
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_panel_fragment_for_an_article_without_nutrients_says_so_and_links_the_calculator(client, make_article):
    article = make_article()
    html = client.get(PANEL, {"article": article.slug}).text
    assert 'data-rec-state="empty"' in html and not product_slugs(html)
    assert 'href="/calculator/"' in html


@pytest.mark.django_db
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
    assert 'class="rec-panel__note"' not in html  # no K2 in the panel, so no blood-thinner note


@pytest.mark.django_db
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


@pytest.mark.django_db
def test_catalogue_is_cached_and_dropped_when_a_product_changes(make_product, django_assert_num_queries):
    generation.token()  # the content generation's own query (the publication clock) is not the catalogue's
    with django_assert_num_queries(2):
        panel.get_catalogue()
    with django_assert_num_queries(0):
        cached = panel.get_catalogue()
    assert "new" not in {offer.slug for offer in cached.offers}
    make_product("new", ("calcium", 300, "calcium-citrate"))
    assert "new" in {offer.slug for offer in panel.get_catalogue().offers}
    Product.objects.get(slug="new").delete()
    assert "new" not in {offer.slug for offer in panel.get_catalogue().offers}


# ---------------------------------------------------------------------------------------------------------------
# The article page: the slot, the script, the no-JS fallback
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_article_page_has_the_panel_slot_with_reserved_space_script_and_no_js_fallback(client):
    html = client.get(f"/blog/{ARTICLE}/").text
    slot = re.search(r'<aside class="rec-panel rec-panel--article"[^>]*>', html)
    assert slot, "no panel slot on the article page"
    assert f'data-panel-src="/recommendations/panel/?article={ARTICLE}"' in slot.group(0)
    assert 'data-panel-state="loading"' in slot.group(0) and 'data-calculator-url="/calculator/"' in slot.group(0)
    assert '<p class="rec-panel__status" role="status">Loading product recommendations…</p>' in html
    assert re.search(r'<noscript><p class="rec-panel__fallback"><a href="/calculator/">[^<]+</a></p></noscript>', html)
    assert '<script src="/static/js/panel.js" defer></script>' in html
    assert html.count("<h1") == 1


def test_panel_script_and_styles_exist_and_reserve_the_space():
    script = finders.find("js/panel.js")
    assert script, "static/js/panel.js is missing"
    source = open(script).read()
    assert ".rec-panel[data-panel-src]" in source and "data-panel-state" in source
    assert "setTimeout" in source and '"error"' in source  # a failure never leaves "Loading…" forever
    css = open(finders.find("css/site.css")).read()
    assert re.search(r"\.rec-panel--article \{[^}]*min-height", css)


# ---------------------------------------------------------------------------------------------------------------
# The calculator: the API list and the results page
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
        assert set(item) == {"slug", "name", "nutrients", "reason"}
        assert item["nutrients"] and all(isinstance(n, str) for n in item["nutrients"])
    calcium = [item for item in recommendations if "calcium" in item["nutrients"]]
    assert calcium and "citrate" in calcium[0]["reason"].lower()
    assert "digestive issues" in calcium[0]["reason"]


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
def test_results_page_tells_under_18s_why_there_are_no_products(client):
    html = client.get("/calculator/", {"age": 12, "sex": "female"}).text
    assert 'data-rec-state="minor"' in html and "under 18" in html
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
def test_go_counts_with_one_atomic_update(client, make_product):
    make_product("calcium", ("calcium", 300, "calcium-citrate"))
    with CaptureQueriesContext(connection) as queries:
        client.get("/go/calcium/")
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("UPDATE")]
    assert len(updates) == 1
    # The new value is computed by the database from the column (F()), not written as a number read earlier.
    assert re.search(r'SET "click_count" = \("calculator_product"\."click_count" \+ 1\)', updates[0]), updates[0]


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
