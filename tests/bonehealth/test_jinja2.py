"""The Jinja2 engine writes what Django's engine writes: the same escaping (up to how the two spell a quote's entity),
the same filters, autoescape on, and a Jinja2 part included in a Django page is neither escaped twice nor left raw."""

from decimal import Decimal

import pytest
from django.template import Context, Template, engines
from django.utils.safestring import mark_safe

HOSTILE = ["<script>alert(1)</script>", 'Ben & Jerry\'s "best"', "a > b < c", "", "plain"]
VALUES = [*HOSTILE, mark_safe("<b>bold</b>"), 0, 1234, 2.5, Decimal("0.10"), None, True]


def jinja(source, **context):
    """The Jinja2 output with MarkupSafe's quote entities spelled as Django spells them (the same characters)."""
    html = engines["jinja2"].from_string(source).render(context)
    return html.replace("&#34;", "&quot;").replace("&#39;", "&#x27;")


def django(source, **context):
    return Template(source).render(Context(context))


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_a_value_is_written_and_escaped_as_django_writes_it(value):
    assert jinja('<p title="{{ v }}">{{ v }}</p>', v=value) == django('<p title="{{ v }}">{{ v }}</p>', v=value)


@pytest.mark.parametrize(
    ("jinja_source", "django_source"),
    [
        ('{{ v|join("; ") or "none" }}', '{{ v|join:"; "|default:"none" }}'),
        ('{{ v|join(" & <b> ") }}', '{{ v|join:" & <b> " }}'),
        ("{{ v|length }} item{{ v|length|pluralize }}", "{{ v|length }} item{{ v|length|pluralize }}"),
    ],
)
@pytest.mark.parametrize("value", [[], ["warfarin"], HOSTILE, [mark_safe("<i>safe</i>"), "<i>not</i>"]], ids=repr)
def test_lists_are_joined_and_counted_as_django_does(jinja_source, django_source, value):
    assert jinja(jinja_source, v=value) == django(django_source, v=value)


@pytest.mark.parametrize("value", [0, 1, 1.0, 2, 0.25, Decimal("1.00"), "female", "", "élan", "<b>x</b>"], ids=repr)
def test_pluralize_and_capfirst_match_django(value):
    if isinstance(value, str):
        assert jinja("{{ v|capfirst }}", v=value) == django("{{ v|capfirst }}", v=value)
    else:
        assert jinja("serving{{ v|pluralize }}", v=value) == django("serving{{ v|pluralize }}", v=value)


def test_url_and_static_are_django_s_own():
    assert jinja("{{ url('calculator:go', 'k2-mk7') }}") == django("{% url 'calculator:go' 'k2-mk7' %}")
    assert jinja("{{ static('css/site.css') }}") == django("{% load static %}{% static 'css/site.css' %}")


def test_a_jinja_part_in_a_django_page_is_escaped_once():
    page = django(
        '{% load jinja %}<div>{% jinja "calculator/_panel_body.html" panel=panel %}</div>',
        panel=None,
    )
    assert page.startswith('<div><div class="rec-panel__body" data-rec-state="">')
