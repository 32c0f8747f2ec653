"""{% recommendation_panel recommendations result %}: the results page's product panel, rendered server-side."""

from django import template

from calculator import panel

register = template.Library()


@register.inclusion_tag("calculator/_recommendations.html")
def recommendation_panel(recommendations, result):
    """`recommendations` is the list the view got from services.recommendations_for (the API's shape); the offers'
    details come from the cached catalogue, so the page ranks once and adds no query."""
    return {"panel": panel.panel_from_recommendations(recommendations=recommendations, result=result)}
