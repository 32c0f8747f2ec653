"""The reference-data admin: validation through the admin add forms, and the cache dropped on every save."""

import pytest

from calculator import services
from calculator.models import Caution, FoodNutrient, IntakeGuideline, Medication, Nutrient

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
