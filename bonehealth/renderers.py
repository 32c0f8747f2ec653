"""The site's form renderer: Django's templates, found through ``TEMPLATES``, with one field template of our own.

``templates/forms/field.html`` writes each field as the site's CSS and accessibility need it: the label (or, for a
group of radios or checkboxes, a fieldset with its legend), the hint and the error linked by ``aria-describedby``, then
Django's own widget. A template uses ``{{ form }}`` or ``{{ field.as_field_group }}``.
"""

from django.forms.renderers import TemplatesSetting


class SiteFormRenderer(TemplatesSetting):
    field_template_name = "forms/field.html"
