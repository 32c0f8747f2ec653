"""``{% form_field %}`` writes what the field templates write (labels, hints, errors, aria-describedby), for every
field of the intake form, bound or not, valid or not."""

import pytest
from django.template.loader import render_to_string

from calculator import services
from calculator.forms import IntakeForm
from calculator.templatetags.form_fields import form_field, is_choice_group


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        None,
        {"age": "55", "sex": "female", "food_milk": "1.5", "medications": ["warfarin"]},
        {"age": '"><b>', "sex": "robot", "life_stage": "pregnant", "food_milk": "a&b", "medications": ["nope"]},
    ],
    ids=["unbound", "valid", "invalid"],
)
def test_form_field_tag_writes_what_the_field_templates_write(data):
    form = IntakeForm(data, reference=services.get_reference())
    if data is not None:
        form.is_valid()
    for name in form.fields:
        field = form[name]
        template = "calculator/_choices.html" if is_choice_group(field) else "calculator/_field.html"
        assert str(form_field(field)) == render_to_string(template, {"field": field}).strip(), name
