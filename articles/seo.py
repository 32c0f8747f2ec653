"""Structured data for an article page: schema.org ``MedicalWebPage`` as JSON-LD.

Built per request from the article and its rows (people, topics, changes), so it never holds a stale name:
``structured_data`` gives plain data with site-relative URLs, ``json_ld`` makes them absolute for the request's host
and serializes.
"""

import json

from django.conf import settings
from django.utils.safestring import mark_safe

# The characters that could end a <script> element or start markup, escaped as JSON allows (as json_script does).
_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
# The keys whose values are site-relative URLs in the stored data.
_URL_KEYS = ("@id", "url", "mainEntityOfPage", "image")


def _person(person):
    data = {"@type": "Person", "name": person.name}
    if person.credentials:
        data["description"] = person.credentials
    return data


def structured_data(*, article, topics, changes) -> dict:
    """The article's JSON-LD as plain data, URLs relative to the site."""
    url = article.get_absolute_url()
    last_change = max((change.date for change in changes), default=None)
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "@id": url,
        "url": url,
        "name": article.title,
        "headline": article.title,
        "description": article.summary,
        "datePublished": article.published_at.isoformat(),
        "dateModified": (last_change or article.published_at.date()).isoformat(),
        "inLanguage": "en",
        "wordCount": article.word_count,
        "author": _person(article.author),
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME, "url": "/"},
        "mainEntityOfPage": url,
        "isAccessibleForFree": True,
    }
    if article.review_current:  # only the named reviewer who approved exactly this content, with its date
        data["reviewedBy"] = _person(article.reviewer)
        data["lastReviewed"] = article.last_reviewed.isoformat()
    if article.hero_image:
        data["image"] = article.hero_image.url
    if topics:
        data["about"] = [{"@type": "Thing", "name": topic.name} for topic in topics]
    return data


def json_ld(data, request) -> str:
    """A ``<script type="application/ld+json">`` element (a data block: the CSP does not apply, nothing runs)."""
    data = {**data, **{key: request.build_absolute_uri(data[key]) for key in _URL_KEYS if key in data}}
    data["publisher"] = {**data["publisher"], "url": request.build_absolute_uri(data["publisher"]["url"])}
    payload = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308 - escaped above
