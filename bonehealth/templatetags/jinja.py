"""``{% jinja "calculator/results.html" name=value ... %}``: a template of the Jinja2 engine (``templates/jinja2/``),
rendered with exactly the names given, inside a Django template.

The Django page keeps its layout, blocks and form; the hot parts are Jinja2 (``bonehealth/jinja2.py`` says why).
"""

from django import template
from django.template import engines
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def jinja(template_name: str, **context) -> str:
    # The Jinja2 template itself, not the backend's wrapper: that one would run the context processors (and add
    # CSRF names) on every call, for names these templates do not use.
    return mark_safe(engines["jinja2"].get_template(template_name).template.render(context))
