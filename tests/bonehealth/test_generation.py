"""Data every calculator request needs is kept per process until content changes; API answers are remembered the
same way. Both must follow an editor's save at once, on this instance and (through the generation) on others."""

import json

import pytest

from bonehealth import generation
from calculator.models import Food, IntakeGuideline


@pytest.fixture(autouse=True)
def private_generation(settings, tmp_path):
    # Other test runs on the machine must not move the generation under these tests.
    settings.PAGE_CACHE_GENERATION_FILE = str(tmp_path / "generation")


def post(client, body):
    return client.post("/api/intake/", json.dumps(body), content_type="application/json")


@pytest.mark.django_db
def test_a_saved_food_shows_on_the_calculator_at_once(client):
    assert "Milk, any fat level" not in client.get("/calculator/").text
    milk = Food.objects.get(slug="milk")
    milk.name = "Milk, any fat level"
    milk.save()
    assert "Milk, any fat level" in client.get("/calculator/").text
    assert "Milk, any fat level" in client.get("/calculator/?age=60&sex=female&food_milk=1").text


@pytest.mark.django_db
def test_a_saved_product_shows_in_the_recommendations_at_once(client):
    from calculator.models import Product

    url = "/calculator/?age=60&sex=female"
    shown = client.get(url).text
    product = next(product for product in Product.objects.filter(is_active=True) if product.name in shown)
    product.name = "Calcium Citrate, the renamed one"
    product.save()
    assert "Calcium Citrate, the renamed one" in client.get(url).text


@pytest.mark.django_db
def test_the_calculator_answers_when_the_generation_cannot_be_read(client, monkeypatch):
    monkeypatch.setattr(generation, "token", lambda: None)  # the shared cache is down
    milk = Food.objects.get(slug="milk")
    for name in ("Milk, first name", "Milk, second name"):
        milk.name = name
        milk.save()
        page = client.get("/calculator/?age=60&sex=female&food_milk=1")
        assert page.status_code == 200 and name in page.text


@pytest.mark.django_db
def test_api_answer_is_remembered_and_follows_an_edited_guideline(client, monkeypatch):
    from calculator import intake

    question = {"age": 60, "sex": "female", "foods": {"milk": 1}}
    first = post(client, question)
    assert first.status_code == 200

    def not_again(**kwargs):
        raise AssertionError("the remembered answer should have been served")

    monkeypatch.setattr(intake, "compute", not_again)
    again = post(client, dict(reversed(list(question.items()))))  # same question, keys in another order
    assert again.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == "application/json"
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert again["X-Content-Type-Options"] == "nosniff"
    monkeypatch.undo()

    band = IntakeGuideline.objects.get(nutrient__slug="calcium", sex="female", age_min=51, life_stage="none")
    band.target = 1250
    band.save()
    assert post(client, question).json()["calcium"]["target_mg"] == 1250


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_save_moves_the_generation_again_when_it_commits():
    from django.db import transaction

    from calculator.models import Nutrient

    with transaction.atomic():
        before = generation.counter()
        nutrient = Nutrient.objects.create(slug="zinc", name="Zinc", unit="mg")
        during = generation.counter()
    after = generation.counter()
    assert before < during < after  # the second move makes pages cached before the commit unreachable
    nutrient.delete()
