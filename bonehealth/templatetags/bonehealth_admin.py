from django import template

from bonehealth.admin_dashboard import attention_items

register = template.Library()


@register.simple_tag(takes_context=True)
def needs_attention(context):
    """``{% needs_attention as items %}`` on the admin index: see bonehealth/admin_dashboard.py."""
    request = context["request"]
    site_name = getattr(request.resolver_match, "namespace", "") or "admin"
    return attention_items(request.user, site_name=site_name)


@register.filter
def duration_words(value):
    """A timedelta in words for the lockout page: "15 minutes", "1 hour 30 minutes"."""
    minutes = max(1, round(value.total_seconds() / 60))
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts)
