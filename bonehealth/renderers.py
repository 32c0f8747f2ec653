"""A form renderer that writes ``<input>`` tags in Python instead of running three templates per widget.

Django renders every input widget through ``input.html``, which includes ``attrs.html`` (and, for a radio or checkbox
option, ``input_option.html`` first). On the calculator's ~30 fields that was most of a results page's time. This
renderer produces exactly the HTML those templates produce, for every widget whose template is one of them (any
field, any form: text, number, email, radio and checkbox options, ...); any other template is rendered as usual.
The same widget context gives the same tag, so tags are remembered (most of a form's inputs are the same on every
page: empty, or the same option unchecked).
"""

import functools
import html

from django.forms.renderers import DjangoTemplates
from django.utils.safestring import SafeData, mark_safe

# Templates that are exactly {% include "django/forms/widgets/input.html" %} (Django's own widget templates).
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in ("input", "text", "number", "email", "url", "password", "hidden", "date", "datetime", "time",
                 "color", "search", "tel")
)  # fmt: skip
OPTION_TEMPLATES = frozenset({"django/forms/widgets/radio_option.html", "django/forms/widgets/checkbox_option.html"})


def escape(value) -> str:
    """Django's ``conditional_escape`` (the same ``html.escape``), without its lazy-string wrapper on every call."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def _text(value) -> str:
    """``{{ value|stringformat:'s' }}`` under autoescape."""
    return str(value) if isinstance(value, SafeData) else html.escape("%s" % (value,))  # noqa: UP031


def _write_input(input_type, name, value, attrs) -> str:
    parts = [f'<input type="{escape(input_type)}" name="{escape(name)}"']
    if value is not None:
        parts.append(f' value="{_text(value)}"')
    for attr, attr_value in attrs:
        if attr_value is False:
            continue
        parts.append(f" {escape(attr)}" if attr_value is True else f' {escape(attr)}="{_text(attr_value)}"')
    parts.append(">")
    return "".join(parts)


@functools.lru_cache(maxsize=4096)
def _remembered_input(input_type, name, value, attrs, types) -> str:
    # ``types`` is part of the key: True == 1 == Decimal(1) and "x" == SafeString("x"), yet they render differently.
    return _write_input(input_type, name, value, attrs)


def input_html(widget: dict) -> str:
    """What django/forms/widgets/input.html (with attrs.html) renders for this widget context."""
    attrs = tuple(widget["attrs"].items())
    values = (widget["type"], widget["name"], widget["value"], *widget["attrs"].values())
    try:
        return _remembered_input(widget["type"], widget["name"], widget["value"], attrs, tuple(map(type, values)))
    except TypeError:  # an unhashable value: written, not remembered
        return _write_input(widget["type"], widget["name"], widget["value"], attrs)


class FastInputRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name in INPUT_TEMPLATES:
            return mark_safe(input_html(context["widget"]))
        if template_name in OPTION_TEMPLATES:
            widget = context["widget"]
            tag = input_html(widget)
            if widget.get("wrap_label"):
                label_for = f' for="{escape(widget["attrs"]["id"])}"' if widget["attrs"].get("id") else ""
                tag = f"<label{label_for}>{tag}\n {escape(widget['label'])}</label>"
            return mark_safe(tag)
        return super().render(template_name, context, request)
