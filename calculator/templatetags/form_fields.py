"""``{% form_field field %}`` (and ``form_field(field)`` in Jinja2): a field with its label, hint and error, in Python.

The same HTML as ``calculator/_field.html`` (one input) and ``calculator/_choices.html`` (radios or checkboxes as a
fieldset), chosen by the widget, for any field of any form, without running a template per field: labels, hints,
error messages and ``aria-describedby`` exactly as those templates write them (a test compares the two).

A field without errors is remembered by what decides its HTML (the field, its name and id, its value and initial
value): most of the
intake form's fields are the same on every page (empty, or the same option checked), and the intake form's fields
are built once per reference snapshot, so they are the same objects from page to page.
"""

from django import template
from django.forms.widgets import ChoiceWidget
from django.utils.safestring import mark_safe

from bonehealth.renderers import escape
from calculator import keys

register = template.Library()


def _hint_and_error(field, auto_id, errors) -> str:
    parts = []
    if field.help_text:
        parts.append(f'<p class="hint" id="{auto_id}_helptext">{escape(field.help_text)}</p>')
    parts.append("\n  ")
    if errors:
        messages = " ".join(escape(message) for message in errors)
        parts.append(
            f'<p class="field-error" id="{auto_id}_error"><span class="visually-hidden">Error:</span> {messages}</p>'
        )
    parts.append("\n  ")
    return "".join(parts)


def is_choice_group(field) -> bool:
    widget = field.field.widget
    return isinstance(widget, ChoiceWidget) and getattr(widget, "input_type", None) in ("radio", "checkbox")


REMEMBERED_FIELDS = 4096
_remembered: dict = {}


def _value_key(value):
    # The type is part of the key: True == 1 == Decimal(1), and "1" is not 1 either.
    if isinstance(value, list | tuple):
        return tuple((type(item), item) for item in value)
    return (type(value), value)


@register.simple_tag
def form_field(field):
    errors = field.errors
    if errors:
        return _write(field, errors)
    form = field.form
    value, initial = _value_key(field.value()), _value_key(field.initial)
    key = (field.field, field.html_name, field.auto_id, form.use_required_attribute, form.is_bound, value, initial)
    try:
        html = _remembered.get(key)
    except TypeError:  # an unhashable value: written, not remembered
        return _write(field, errors)
    if html is None:
        html = _write(field, errors)
        if len(_remembered) >= REMEMBERED_FIELDS:
            _remembered.clear()
        _remembered[key] = html
    return html


def _write(field, errors):
    auto_id = escape(field.auto_id)
    error_class = " field--error" if errors else ""
    if not is_choice_group(field):
        return mark_safe(
            f'<div class="field{error_class}">\n'
            f'  <label for="{auto_id}">{escape(field.label)}</label>\n'
            f"  {_hint_and_error(field, auto_id, errors)}{field}\n</div>"
        )
    described = ""
    if errors or field.help_text:
        ids = (f"{auto_id}_helptext" if field.help_text else "") + (f" {auto_id}_error" if errors else "")
        described = f' aria-describedby="{ids}"'
    choices = "".join(
        f'\n  <div class="choice">{choice.tag()} <label for="{escape(choice.id_for_label)}">'
        f"{escape(choice.choice_label)}</label></div>\n  "
        for choice in field
    )
    return mark_safe(
        f'<fieldset class="field choices{error_class}"{described}>\n'
        f"  <legend>{escape(field.label)}</legend>\n"
        f"  {_hint_and_error(field, auto_id, errors)}{choices}\n</fieldset>"
    )


@register.simple_tag
def canonical_address(request):
    """The results page's address as the page cache keys it (the form's fields, normalized): every request that shares
    a cached page prints the same address, and nobody's tracking parameters (``?fbclid=…``) reach anybody else."""
    return f"{request.scheme}://{request.get_host()}{request.path}?{keys.page_query(request.GET)}"
