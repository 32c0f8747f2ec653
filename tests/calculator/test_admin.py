"""The calculator's admin: the reference data (validation through the add forms, the cache dropped on every save) and
the product catalogue, whose rules live on the models: the admin form, the spreadsheet import and plain
``full_clean()`` refuse the same bad product with the same message."""

from decimal import Decimal

import pytest
import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from calculator import services
from calculator.admin.spreadsheets import ProductResource
from calculator.models import Caution, FoodNutrient, IntakeGuideline, Medication, Nutrient, Product, ProductNutrient

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.com", "a-long-test-password")
    client.force_login(user)
    return client


def guideline_data(**overrides):
    data = {
        "authority": "us",
        "nutrient": Nutrient.objects.get(slug="calcium").pk,
        "sex": "female",
        "age_min": 60,
        "age_max": 65,
        "life_stage": "none",
        "target": "1200",
        "kind": "RDA",
        "upper_limit": "2000",
        "upper_limit_scope": "all",
        "source_title": "A test source",
        "source_url": "https://example.com/",
    }
    return {**data, **overrides}


@pytest.mark.parametrize(
    "url",
    ["nutrient", "intakeguideline", "food", "medication", "condition", "caution"],
)
def test_admin_reference_changelists_and_add_forms_answer(admin_client, url):
    assert admin_client.get(f"/admin/calculator/{url}/").status_code == 200
    assert admin_client.get(f"/admin/calculator/{url}/add/").status_code == 200


def test_admin_refuses_an_overlapping_guideline_band(admin_client):
    response = admin_client.post("/admin/calculator/intakeguideline/add/", guideline_data())
    assert response.status_code == 200
    assert "These ages overlap an existing band for the same person" in response.text
    assert "Calcium: female, 51-70 y" in response.text


def test_admin_refuses_an_any_sex_band_overlapping_a_sex_specific_one(admin_client):
    response = admin_client.post(
        "/admin/calculator/intakeguideline/add/", guideline_data(sex="any", age_min=70, age_max=72)
    )
    assert "These ages overlap an existing band" in response.text


def test_admin_accepts_a_band_for_a_new_age_range(admin_client):
    IntakeGuideline.objects.filter(nutrient__slug="calcium", age_min=71).delete()
    response = admin_client.post(
        "/admin/calculator/intakeguideline/add/", guideline_data(sex="any", age_min=71, age_max="")
    )
    assert response.status_code == 302
    assert IntakeGuideline.objects.filter(nutrient__slug="calcium", age_min=71).exists()


def test_admin_refuses_a_limit_below_the_target(admin_client):
    IntakeGuideline.objects.filter(nutrient__slug="calcium", age_min=71).delete()
    response = admin_client.post(
        "/admin/calculator/intakeguideline/add/", guideline_data(age_min=71, age_max="", upper_limit="900")
    )
    assert response.status_code == 200
    assert "The upper limit cannot be below the target" in response.text


def test_admin_allows_a_supplements_only_limit_below_the_target(admin_client):
    IntakeGuideline.objects.filter(nutrient__slug="magnesium", age_min=1).delete()
    response = admin_client.post(
        "/admin/calculator/intakeguideline/add/",
        guideline_data(
            nutrient=Nutrient.objects.get(slug="magnesium").pk,
            sex="any",
            age_min=1,
            age_max=3,
            target="80",
            upper_limit="65",
            upper_limit_scope="supplements",
        ),
    )
    assert response.status_code == 302


@pytest.mark.parametrize("field", ["target", "upper_limit"])
def test_admin_refuses_negative_guideline_amounts(admin_client, field):
    IntakeGuideline.objects.filter(nutrient__slug="calcium", age_min=71).delete()
    response = admin_client.post(
        "/admin/calculator/intakeguideline/add/", guideline_data(age_min=71, age_max="", **{field: "-5"})
    )
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 0" in response.text


def test_admin_refuses_a_negative_food_amount(admin_client):
    calcium = Nutrient.objects.get(slug="calcium").pk
    data = {
        "slug": "test-food",
        "name": "Test food",
        "category": "dairy",
        "serving": "1 cup",
        "serving_quantity": "240",
        "serving_unit": "ml",
        "sort_order": "0",
        "nutrients-TOTAL_FORMS": "1",
        "nutrients-INITIAL_FORMS": "0",
        "nutrients-MIN_NUM_FORMS": "0",
        "nutrients-MAX_NUM_FORMS": "1000",
        "nutrients-0-nutrient": calcium,
        "nutrients-0-amount": "-1",
        "nutrients-0-source_title": "",
        "nutrients-0-source_url": "",
    }
    response = admin_client.post("/admin/calculator/food/add/", data)
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 0" in response.text
    data["nutrients-0-amount"] = "250"
    assert admin_client.post("/admin/calculator/food/add/", data).status_code == 302
    assert FoodNutrient.objects.get(food__slug="test-food").amount == 250


def test_admin_adds_a_medication_with_its_rules_in_one_go(admin_client):
    calcium = Nutrient.objects.get(slug="calcium")
    data = {
        "slug": "test-drug",
        "name": "Test drug",
        "is_anticoagulant": "",
        "time_window": "empty-stomach",
        "sort_order": "0",
        "cautions-TOTAL_FORMS": "1",
        "cautions-INITIAL_FORMS": "0",
        "cautions-MIN_NUM_FORMS": "0",
        "cautions-MAX_NUM_FORMS": "1000",
        "cautions-0-nutrient": calcium.pk,
        "cautions-0-severity": "caution",
        "cautions-0-message": "Keep apart.",
        "cautions-0-blocks": [Nutrient.objects.get(slug="vitamin-d").pk],
        "cautions-0-supplement_cap_per_day": "500",
        "cautions-0-source_title": "Label",
        "cautions-0-source_url": "https://example.com/",
        "spacings-TOTAL_FORMS": "1",
        "spacings-INITIAL_FORMS": "0",
        "spacings-MIN_NUM_FORMS": "0",
        "spacings-MAX_NUM_FORMS": "1000",
        "spacings-0-other_nutrient": calcium.pk,
        "spacings-0-hours_before": "3",
        "spacings-0-hours_after": "5",
        "spacings-0-source_title": "Label",
        "spacings-0-source_url": "https://example.com/",
    }
    response = admin_client.post("/admin/calculator/medication/add/", data)
    assert response.status_code == 302, response.text
    caution = Caution.objects.get(medication__slug="test-drug")
    assert caution.supplement_cap_per_day == 500 and list(caution.blocks.values_list("slug", flat=True)) == [
        "vitamin-d"
    ]
    spacing = services.get_reference().medication("test-drug").spacings[0]
    assert (spacing.other, spacing.hours_before, spacing.hours_after) == (("nutrient", "calcium"), 3.0, 5.0)


def test_admin_refuses_a_spacing_against_two_things_at_once(admin_client):
    medication = Medication.objects.get(slug="iron-supplements")
    data = {
        "medication": medication.pk,
        "other_nutrient": Nutrient.objects.get(slug="calcium").pk,
        "everything": "on",
        "hours_before": "1",
        "hours_after": "",
        "source_title": "",
        "source_url": "",
    }
    response = admin_client.post("/admin/calculator/spacing/add/", data)
    assert response.status_code == 200
    assert "Choose exactly one" in response.text


def test_admin_save_drops_the_cached_reference_and_the_new_number_is_used(admin_client):
    reference = services.get_reference()
    assert reference.food("milk").amount("calcium") == 305
    assert services.get_reference() is reference  # kept while nothing changes
    amount = FoodNutrient.objects.get(food__slug="milk", nutrient__slug="calcium")
    amount.amount = 290
    amount.save()
    assert services.get_reference().food("milk").amount("calcium") == 290


def test_admin_delete_drops_the_cached_reference(admin_client):
    assert "iron-supplements" in [m.slug for m in services.get_reference().medications]
    Medication.objects.get(slug="iron-supplements").delete()
    assert "iron-supplements" not in [m.slug for m in services.get_reference().medications]


def test_admin_change_through_the_admin_is_used_by_the_calculator(admin_client, client):
    services.get_reference()
    band = IntakeGuideline.objects.get(nutrient__slug="calcium", sex="female", age_min=51)
    data = guideline_data(age_min=51, age_max=70, target="1100")
    assert admin_client.post(f"/admin/calculator/intakeguideline/{band.pk}/change/", data).status_code == 302
    body = admin_client.post("/api/intake/", {"age": 60, "sex": "female"}, content_type="application/json").json()
    assert body["calcium"]["target_mg"] == 1100


# ---------------------------------------------------------------------------------------------------------------
# The product catalogue
# ---------------------------------------------------------------------------------------------------------------

GOOD_PRODUCT = {
    "name": "Calcium citrate 250",
    "slug": "calcium-citrate-250",
    "description": "Calcium citrate tablets.",
    "servings_per_container": "90",
    "price": "9.00",
    "currency": "usd",
    "url": "https://shop.example/ca",
    "certification": "usp",
}
GOOD_CALCIUM = {"amount": "250", "form": "calcium-citrate"}


def product_form_data(product=None, calcium=GOOD_CALCIUM):
    """The admin's add form for GOOD_PRODUCT with `product` changes, holding `calcium` (None: no nutrient row)."""
    data = {
        **GOOD_PRODUCT,
        **(product or {}),
        "brand": "",
        "image_alt": "",
        "is_active": "on",
        "editor_note": "",
        "nutrients-TOTAL_FORMS": "0" if calcium is None else "1",
        "nutrients-INITIAL_FORMS": "0",
        "nutrients-MIN_NUM_FORMS": "0",
        "nutrients-MAX_NUM_FORMS": "1000",
    }
    if calcium is not None:
        data["nutrients-0-nutrient"] = str(Nutrient.objects.get(slug="calcium").pk)
        data.update({f"nutrients-0-{name}": value for name, value in calcium.items()})
    return data


def product_spreadsheet(product=None, calcium=GOOD_CALCIUM):
    """The same product as one spreadsheet row (None: an empty calcium cell)."""
    calcium = calcium or {"amount": "", "form": ""}
    row = {**GOOD_PRODUCT, **(product or {}), "calcium_mg": calcium["amount"], "calcium_form": calcium["form"]}
    return tablib.Dataset(list(row.values()), headers=list(row))


# The same bad product each way, and the message an editor reads, wherever the product comes from: (changes to the
# product, its calcium row (None: no nutrient at all), the field and spreadsheet column, the message).
BAD_PRODUCTS = [
    pytest.param(
        {},
        {"amount": "250", "form": "mk-7"},
        ("form", "calcium_form"),
        "Vitamin K2 as MK-7 is not a form of calcium: choose a form that matches.",
        id="form-of-another-nutrient",
    ),
    pytest.param(
        {},
        {"amount": "0", "form": "calcium-citrate"},
        ("amount", "calcium_mg"),
        "Enter the amount in one serving, more than 0; leave the nutrient out if the product has none.",
        id="zero-amount",
    ),
    pytest.param(
        {},
        {"amount": "-5", "form": "calcium-citrate"},
        ("amount", "calcium_mg"),
        "Enter the amount in one serving, more than 0; leave the nutrient out if the product has none.",
        id="negative-amount",
    ),
    pytest.param(
        {},
        None,
        (NON_FIELD_ERRORS, NON_FIELD_ERRORS),
        "Give at least one nutrient with its amount per serving.",
        id="no-nutrient",
    ),
    pytest.param(
        {"currency": "us1"},
        GOOD_CALCIUM,
        ("currency", "currency"),
        "Use the three-letter currency code, such as USD, EUR or GBP.",
        id="currency",
    ),
    pytest.param(
        {"url": "ftp://shop.example/ca"},
        GOOD_CALCIUM,
        ("url", "url"),
        "Enter the full address of the page, starting with https://.",
        id="url",
    ),
    pytest.param(
        {"servings_per_container": "0"},
        GOOD_CALCIUM,
        ("servings_per_container", "servings_per_container"),
        "Ensure this value is greater than or equal to 1.",
        id="servings",
    ),
]


@pytest.mark.parametrize(("product", "calcium", "where", "message"), BAD_PRODUCTS)
def test_admin_form_refuses_a_bad_product_with_the_models_message(admin_client, product, calcium, where, message):
    response = admin_client.post("/admin/calculator/product/add/", product_form_data(product, calcium))
    assert response.status_code == 200
    assert message in response.text
    assert not Product.objects.filter(slug="calcium-citrate-250").exists()


@pytest.mark.parametrize(("product", "calcium", "where", "message"), BAD_PRODUCTS)
def test_spreadsheet_import_refuses_a_bad_product_with_the_same_message_by_column(product, calcium, where, message):
    result = ProductResource().import_data(product_spreadsheet(product, calcium), dry_run=False)
    (invalid,) = result.invalid_rows
    _, column = where
    assert invalid.error_dict[column] == [message]
    assert not Product.objects.filter(slug="calcium-citrate-250").exists()


@pytest.mark.parametrize(("product", "calcium", "where", "message"), BAD_PRODUCTS)
def test_model_validation_refuses_a_bad_product_outside_the_admin(product, calcium, where, message):
    field, _ = where
    bad = Product(**{**GOOD_PRODUCT, **product})
    rows = []
    if calcium is not None:
        rows.append(ProductNutrient(product=bad, nutrient=Nutrient.objects.get(slug="calcium"), **calcium))
    with pytest.raises(ValidationError) as refused:
        bad.full_clean()
        for row in rows:
            row.full_clean(exclude=["product"])  # the product is not saved yet
        bad.validate_nutrients(rows)
    by_field = ValidationError(refused.value.update_error_dict({})).message_dict  # the rows' errors too
    assert by_field[field] == [message]


def test_model_validation_saves_the_currency_in_capitals():
    product = Product(**GOOD_PRODUCT)
    product.full_clean()
    assert product.currency == "USD"


def test_every_shipped_product_meets_the_rules():
    for product in Product.objects.prefetch_related("nutrients__nutrient"):
        product.full_clean()
        rows = list(product.nutrients.all())
        product.validate_nutrients(rows)
        for row in rows:
            row.full_clean()


def test_admin_product_list_shows_state_price_and_clicks(admin_client):
    Product.objects.filter(slug="starter-calcium-citrate-200").update(click_count=7)
    html = admin_client.get("/admin/calculator/product/", {"q": "citrate, 200"}).text
    assert "Calcium citrate, 200 mg" in html
    assert "0.08 USD" in html
    assert 'class="field-click_count">7<' in html
    for filter_title in ["By is active", "By is starter", "By certification"]:
        assert filter_title in html


def test_admin_change_page_has_the_inline_and_a_read_only_click_count(admin_client):
    product = Product.objects.get(slug="starter-calcium-citrate-200")
    html = admin_client.get(f"/admin/calculator/product/{product.pk}/change/").text
    assert 'name="nutrients-0-amount"' in html
    assert 'name="click_count"' not in html and "Click count" in html


def test_admin_adds_a_product_with_its_ingredients(admin_client):
    response = admin_client.post("/admin/calculator/product/add/", product_form_data())
    assert response.status_code == 302
    product = Product.objects.get(slug="calcium-citrate-250")
    assert product.currency == "USD"
    assert [(n.nutrient.slug, n.amount, n.form) for n in product.nutrients.all()] == [
        ("calcium", Decimal("250"), "calcium-citrate")
    ]


def test_admin_deactivate_action_takes_the_product_off_the_site(admin_client, client):
    product = Product.objects.get(slug="starter-calcium-citrate-200")
    assert client.get(f"/go/{product.slug}/").status_code == 302
    response = admin_client.post(
        "/admin/calculator/product/", {"action": "deactivate", "_selected_action": [product.pk]}, follow=True
    )
    assert "1 product(s) marked inactive." in response.text
    assert client.get(f"/go/{product.slug}/", REMOTE_ADDR="198.51.100.9").status_code == 404
