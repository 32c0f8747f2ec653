"""The intake form: one set of fields per form (nothing shared between requests), Django's own rendering, error
messages that say what to enter, and the medicine list in an order people scan."""

import re

import pytest

from calculator import services
from calculator.forms import IntakeForm
from calculator.models import Food, Medication

pytestmark = pytest.mark.django_db


def page_html(form):
    return "".join(form[name].as_field_group() for name in form.fields)


def test_intake_form_shows_nothing_of_another_form_of_the_same_snapshot():
    reference = services.get_reference()
    before = page_html(IntakeForm(reference=reference))
    other = IntakeForm(
        {"age": "200", "sex": "robot", "food_milk": "1.5", "medications": ["warfarin"]}, reference=reference
    )
    assert not other.is_valid()
    assert "Enter an age from 1 to 120." in page_html(other)
    assert page_html(IntakeForm(reference=reference)) == before


def test_each_form_has_its_own_fields():
    reference = services.get_reference()
    first, second = IntakeForm(reference=reference), IntakeForm(reference=reference)
    assert all(first.fields[name] is not second.fields[name] for name in first.fields)
    first.fields["age"].label = "Changed"
    first.fields["medications"].choices = []
    assert second.fields["age"].label == "Age" and second.fields["medications"].choices
    assert IntakeForm.base_fields["age"].label == "Age"


def test_intake_form_has_a_field_for_a_food_added_since_the_last_form():
    IntakeForm(reference=services.get_reference())
    Food.objects.create(
        slug="quark", name="Quark", category=Food.Category.choices[0][0], serving="1 pot", serving_quantity=150
    )
    form = IntakeForm({"age": "55", "sex": "female", "food_quark": "1"}, reference=services.get_reference())
    assert form.is_valid(), form.errors
    assert 'name="food_quark"' in page_html(form)


def test_intake_form_shows_its_own_answers_after_another_form_with_others():
    reference = services.get_reference()
    first = IntakeForm(
        {"age": "55", "sex": "female", "food_milk": "1.5", "medications": ["warfarin"]}, reference=reference
    )
    second = IntakeForm({"age": "56", "sex": "male", "food_milk": "2"}, reference=reference)
    assert first.is_valid() and second.is_valid()
    page_html(first)
    html = page_html(second)
    assert 'name="food_milk" value="2"' in html and 'value="1.5"' not in html
    assert re.search(r'value="male"[^>]*checked', html) and not re.search(r'value="female"[^>]*checked', html)
    assert re.search(r'value="warfarin"[^>]*checked', html) is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("age", "200", "Enter an age from 1 to 120."),
        ("age", "0", "Enter an age from 1 to 120."),
        ("age", "old", "Enter an age from 1 to 120."),
        ("calcium_mg", "6000", "Enter a calcium amount from 0 to 5,000 mg."),
        ("calcium_doses_per_day", "7", "Enter a number of doses from 1 to 6."),
        ("vitamin_k2_mcg", "60000", "Enter a vitamin K2 amount from 0 to 50,000 mcg."),
        ("vitamin_d_iu", "-1", "Enter a vitamin D amount from 0 to 10,000 IU."),
        ("other_foods_mg", "2000", "Enter a calcium amount from 0 to 1,500 mg."),
        ("food_milk", "25", "Enter servings from 0 to 20 a day (such as 1.5)."),
        ("food_milk", "1.255", "Enter servings with at most 2 decimal places, such as 1.25."),
    ],
)
def test_errors_say_what_to_enter(field, value, message):
    form = IntakeForm({"age": "50", "sex": "female", field: value}, reference=services.get_reference())
    assert not form.is_valid()
    assert form.errors[field] == [message]


def test_a_missing_age_says_what_to_enter():
    form = IntakeForm({"sex": "female"}, reference=services.get_reference())
    assert form.errors["age"] == ["Enter your age in whole years, from 1 to 120."]


def test_medicines_are_listed_by_name_with_warfarin_first_of_its_kind():
    choices = IntakeForm(reference=services.get_reference()).fields["medications"].choices
    names = [name for _, name in choices]
    anticoagulants = set(Medication.objects.filter(is_anticoagulant=True).values_list("slug", flat=True))
    slugs = [slug for slug, _ in choices]
    first = slugs.index("warfarin")
    assert set(slugs[first : first + len(anticoagulants)]) == anticoagulants  # grouped, warfarin first
    others = [name for slug, name in choices if slug not in anticoagulants - {"warfarin"}]
    assert others == sorted(others, key=str.casefold)  # the rest (and warfarin among them) by name
    assert len(names) == Medication.objects.count()


@pytest.mark.parametrize(
    ("name", "in_a_sentence"),
    [
        ("Another vitamin K antagonist (acenocoumarol)", "another vitamin K antagonist (acenocoumarol)"),
        ("HIV integrase inhibitors", "HIV integrase inhibitors"),
        ("Digoxin (Lanoxin)", "digoxin (Lanoxin)"),
    ],
)
def test_names_in_sentences_keep_their_case(name, in_a_sentence):
    from calculator.messages import say

    assert say("note-calcium-capped", cap=500, names=(name,)).startswith(f"Because of {in_a_sentence},")
