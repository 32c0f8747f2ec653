"""The intake form: its fields are built once per reference snapshot and shared by every form of that snapshot."""

import re

import pytest

from calculator import services
from calculator.forms import IntakeForm
from calculator.models import Food


def page_html(form):
    return "".join(str(form[name].as_field_group()) for name in form.fields)


@pytest.mark.django_db
def test_intake_form_shows_nothing_of_another_form_of_the_same_snapshot():
    reference = services.get_reference()
    before = page_html(IntakeForm(reference=reference))
    other = IntakeForm(
        {"age": "200", "sex": "robot", "food_milk": "1.5", "medications": ["warfarin"]}, reference=reference
    )
    assert not other.is_valid()
    assert "field-error" in page_html(other)
    assert page_html(IntakeForm(reference=reference)) == before


@pytest.mark.django_db
def test_intake_form_has_a_field_for_a_food_added_since_the_last_form():
    IntakeForm(reference=services.get_reference())
    Food.objects.create(
        slug="quark", name="Quark", category=Food.Category.choices[0][0], serving="1 pot", serving_quantity=150
    )
    form = IntakeForm({"age": "55", "sex": "female", "food_quark": "1"}, reference=services.get_reference())
    assert form.is_valid(), form.errors
    assert 'name="food_quark"' in page_html(form)


@pytest.mark.django_db
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
    assert 'value="male" id="id_sex_1" required checked' in html
    assert 'value="female" id="id_sex_0" required checked' not in html
    assert 'value="warfarin"' in html and re.search(r'value="warfarin" id="\w+" checked', html) is None
