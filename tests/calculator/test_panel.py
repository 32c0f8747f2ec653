"""The recommendation panel's service (`calculator.panel`): the catalogue kept per content generation, one panel
for an article's nutrients or a calculator result, and its API form. The views that show it:
tests/articles/test_views_panel.py and tests/calculator/test_views_panel.py."""

import pytest

from bonehealth import generation
from calculator import intake, panel, services
from calculator.models import Product

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
            "per_serving": {ingredient.nutrient: float(ingredient.amount) for ingredient in offer.ingredients},
            "reason": "Why it fits.",
        }
    ]
    assert panel.as_api(panel.Panel(items=(), personal=True, minor=True)) == []
