"""The recommendation panel's service (`calculator.panel`): the catalogue kept per content generation, one panel
for an article's nutrients or a calculator result, and its API form. The views that show it:
tests/articles/test_views_panel.py and tests/calculator/test_views_panel.py."""

from decimal import Decimal

import pytest

from bonehealth import generation
from calculator import intake, panel, services
from calculator.models import Nutrient, Product
from tests.conftest import SEED_SLUG as ARTICLE
from tests.panel_html import product_slugs

PANEL = "/recommendations/panel/"


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


@pytest.mark.django_db
def test_a_panel_costs_no_query_while_the_content_is_unchanged(django_assert_num_queries):
    profile = intake.Profile(age=60, sex="female", goal="bone_health")
    result = services.calculate(profile=profile, reference=services.get_reference())
    panel.for_result(result=result)
    panel.for_nutrients(nutrient_slugs=["calcium"])
    with django_assert_num_queries(0):
        for_result = panel.for_result(result=result)
        for_article = panel.for_nutrients(nutrient_slugs=["calcium"])
    assert for_result.items and for_article.items


@pytest.mark.django_db
def test_panel_for_an_articles_nutrients_is_anonymous_and_names_who_must_not_take_k2(make_product, only_products):
    make_product("k2", ("vitamin-k2", 100, "mk-7"))
    make_product("mag", ("magnesium", 200, "magnesium-glycinate"))
    article_panel = panel.for_nutrients(nutrient_slugs=["vitamin-k2"])
    assert [item.offer.slug for item in article_panel.items] == ["k2"]
    assert article_panel.state == "products" and not article_panel.personal
    names, stages = article_panel.k2_blockers
    assert any(name.startswith("Warfarin") for name in names) and set(stages) == {"pregnant", "lactating"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("profile", "state"),
    [
        (intake.Profile(age=60, sex="female", goal="bone_health"), "products"),
        (intake.Profile(age=15, sex="male", goal="bone_health"), "minor"),
    ],
    ids=["adult", "under-18"],
)
def test_panel_for_a_result_is_personal(profile, state):
    result = services.calculate(profile=profile, reference=services.get_reference())
    result_panel = panel.for_result(result=result)
    assert result_panel.personal and result_panel.state == state
    assert bool(result_panel.items) == (state == "products")


def test_api_form_of_a_panel_is_the_contract_list(catalogue):
    offer = next(offer for offer in catalogue.offers if len(offer.ingredients) > 1)
    listed = panel.as_api(panel.Panel(items=(panel.Item(offer, "Why it fits."),), personal=True))
    assert listed == [
        {
            "slug": offer.slug,
            "name": offer.name,
            "nutrients": [ingredient.nutrient for ingredient in offer.ingredients],
            "reason": "Why it fits.",
        }
    ]
    assert panel.as_api(panel.Panel(items=(), personal=True, minor=True)) == []


# ---------------------------------------------------------------------------------------------------------------
# Admin
# ---------------------------------------------------------------------------------------------------------------


def product_form_data(**overrides):
    calcium = Nutrient.objects.get(slug="calcium")
    data = {
        "name": "Calcium citrate 250",
        "slug": "calcium-citrate-250",
        "brand": "",
        "description": "Calcium citrate tablets.",
        "servings_per_container": "90",
        "price": "9.00",
        "currency": "usd",
        "url": "https://shop.example/ca",
        "certification": "usp",
        "image_alt": "",
        "is_active": "on",
        "editor_note": "",
        "nutrients-TOTAL_FORMS": "1",
        "nutrients-INITIAL_FORMS": "0",
        "nutrients-MIN_NUM_FORMS": "0",
        "nutrients-MAX_NUM_FORMS": "1000",
        "nutrients-0-nutrient": str(calcium.pk),
        "nutrients-0-amount": "250",
        "nutrients-0-form": "calcium-citrate",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_admin_product_list_shows_state_price_and_clicks(admin_client):
    Product.objects.filter(slug="starter-calcium-citrate-200").update(click_count=7)
    html = admin_client.get("/admin/calculator/product/", {"q": "citrate, 200"}).text
    assert "Calcium citrate, 200 mg" in html
    assert "0.08 USD" in html
    assert 'class="field-click_count">7<' in html
    for filter_title in ["By is active", "By is starter", "By certification"]:
        assert filter_title in html


@pytest.mark.django_db
def test_admin_change_page_has_the_inline_and_a_read_only_click_count(admin_client):
    product = Product.objects.get(slug="starter-calcium-citrate-200")
    html = admin_client.get(f"/admin/calculator/product/{product.pk}/change/").text
    assert 'name="nutrients-0-amount"' in html
    assert 'name="click_count"' not in html and "Click count" in html


@pytest.mark.django_db
def test_admin_adds_a_product_with_its_ingredients(admin_client):
    response = admin_client.post("/admin/calculator/product/add/", product_form_data())
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    product = Product.objects.get(slug="calcium-citrate-250")
    assert product.currency == "USD"
    assert [(n.nutrient.slug, n.amount) for n in product.nutrients.all()] == [("calcium", Decimal("250"))]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"nutrients-0-form": "mk-7"}, "Vitamin K2 as MK-7 is not a form of calcium"),
        ({"nutrients-0-amount": "0"}, "Enter the amount in one serving"),
        ({"nutrients-0-amount": "-5"}, "Ensure this value is greater than or equal to 0"),
        ({"nutrients-TOTAL_FORMS": "0"}, "Add at least one nutrient with its amount per serving"),
        ({"currency": "us1"}, "Use the three-letter currency code"),
        ({"url": "ftp://shop.example/ca"}, "starting with https://"),
        ({"servings_per_container": "0"}, "Ensure this value is greater than or equal to 1"),
    ],
    ids=["form-of-another-nutrient", "zero-amount", "negative-amount", "no-ingredient", "currency", "url", "servings"],
)
def test_admin_refuses_a_product_with_a_clear_message(admin_client, overrides, message):
    response = admin_client.post("/admin/calculator/product/add/", product_form_data(**overrides))
    assert response.status_code == 200
    assert message in response.text
    assert not Product.objects.filter(slug="calcium-citrate-250").exists()


@pytest.mark.django_db
def test_admin_deactivate_action_hides_the_product_from_the_panel(admin_client, client):
    slugs = product_slugs(client.get(PANEL, {"article": ARTICLE}).text)
    first = Product.objects.get(slug=slugs[0])
    response = admin_client.post(
        "/admin/calculator/product/", {"action": "deactivate", "_selected_action": [first.pk]}, follow=True
    )
    assert "1 product(s) marked inactive." in response.text
    assert slugs[0] not in product_slugs(client.get(PANEL, {"article": ARTICLE}).text)
