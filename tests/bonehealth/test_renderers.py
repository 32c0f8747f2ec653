"""The fast input renderer writes exactly what Django's widget templates write, for every field of the intake form
and for the admin's kinds of inputs, bound or not, with values that need escaping."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from bonehealth.renderers import FastInputRenderer
from calculator import services
from calculator.forms import IntakeForm


def render_all(form):
    return [(str(form[name]), [str(choice.tag()) for choice in form[name]]) for name in form.fields]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        None,
        {"age": "55", "sex": "female", "food_milk": "1.5", "medications": ["warfarin"]},
        {"age": '"><script>x</script>', "sex": "robot", "food_milk": "a&b", "calcium_mg": "'"},
    ],
    ids=["unbound", "valid", "invalid-and-escaped"],
)
def test_fast_renderer_writes_what_the_templates_write_for_the_intake_form(data):
    reference = services.get_reference()
    template = IntakeForm(data, reference=reference, renderer=DjangoTemplates())
    fast = IntakeForm(data, reference=reference, renderer=FastInputRenderer())
    if data is not None:
        template.is_valid(), fast.is_valid()
    assert render_all(fast) == render_all(template)


class Kinds(forms.Form):
    text = forms.CharField(max_length=5, help_text="hint", widget=forms.TextInput(attrs={"data-x": "<&>"}))
    email = forms.EmailField(required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, initial="h")
    flag = forms.BooleanField(required=False)
    date = forms.DateField(required=False, widget=forms.DateInput(attrs={"autofocus": True, "disabled": False}))
    pick = forms.ChoiceField(choices=[("a", "A <b>"), ("b", "B")], widget=forms.RadioSelect)


@pytest.mark.parametrize("data", [None, {"text": "toolong&", "email": "x", "pick": "a"}], ids=["unbound", "bound"])
def test_fast_renderer_matches_every_input_kind(data):
    template, fast = Kinds(data, renderer=DjangoTemplates()), Kinds(data, renderer=FastInputRenderer())
    if data is not None:
        template.is_valid(), fast.is_valid()
    assert render_all(fast) == render_all(template)
    assert [str(choice) for choice in fast["pick"]] == [str(choice) for choice in template["pick"]]
