"""Data every calculator request needs is kept per process until content changes; API answers are remembered the
same way. Both must follow an editor's save at once, on this instance and (through the generation) on others."""

import json

import pytest

from bonehealth import generation
from calculator import panel, services
from calculator.models import Food, IntakeGuideline


@pytest.fixture(autouse=True)
def private_generation(settings, tmp_path):
    # Other test runs on the machine must not move the generation under these tests.
    settings.PAGE_CACHE_GENERATION_FILE = str(tmp_path / "generation")


def post(client, body):
    return client.post("/api/intake/", json.dumps(body), content_type="application/json")


@pytest.mark.django_db
def test_reference_snapshot_is_kept_in_process_until_content_changes(django_assert_num_queries):
    from django.core.cache import cache

    first = services.get_reference()
    cache.delete(services.CACHE_KEY, version=generation.token())  # not even the shared cache's copy is needed now
    with django_assert_num_queries(0):
        assert services.get_reference() is first

    Food.objects.filter(slug="milk").update(name="Milk, any fat level")  # .update() sends no signal...
    assert services.get_reference() is first
    milk = Food.objects.get(slug="milk")
    milk.save()  # ...a save does, on every instance through the generation
    renamed = services.get_reference()
    assert renamed is not first
    assert {food.slug: food.name for food in renamed.foods}["milk"] == "Milk, any fat level"


@pytest.mark.django_db
def test_product_catalogue_is_kept_in_process_until_content_changes(django_assert_num_queries):
    first = panel.get_catalogue()
    with django_assert_num_queries(0):
        assert panel.get_catalogue() is first
    generation.bump()
    assert panel.get_catalogue() is not first


@pytest.mark.django_db
def test_nothing_is_kept_when_the_generation_cannot_be_read(monkeypatch):
    monkeypatch.setattr(generation, "token", lambda: None)
    assert services.get_reference() is not services.get_reference()


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
