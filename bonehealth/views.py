"""Site-wide views: home, robots.txt, health check, error pages."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.http import require_safe
from django.views.static import serve

from articles.models import Article

logger = logging.getLogger(__name__)


@require_safe
def home(request):
    articles = Article.objects.published().select_related("author").defer("body", "body_html", "toc")
    featured = list(articles.filter(featured=True)[:3])
    latest = list(articles.exclude(pk__in=[article.pk for article in featured])[:5])
    return render(request, "home.html", {"featured_articles": featured, "latest_articles": latest})


@require_safe
def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /go/", "Disallow: /api/", ""]
    lines.append(f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def healthz(request):
    status = {"database": "ok", "cache": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # any driver error means "down"; the detail goes to the log, not the client
        logger.error("healthz: database unreachable: %s", error.__class__.__name__)
        status["database"] = "down"
    try:
        cache.set("healthz", "1", 5)
        if cache.get("healthz") != "1":
            raise RuntimeError("cache did not return what was stored")
    except Exception as error:
        logger.error("healthz: cache unreachable: %s", error.__class__.__name__)
        status["cache"] = "down"
    # Without the cache the site still serves (every page rendered): only a database outage takes the instance out.
    response = JsonResponse(status, status=200 if status["database"] == "ok" else 503)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request):
    """Render 500.html without a RequestContext, so it works when the database or a context processor is down."""
    template = loader.get_template("500.html")
    return HttpResponse(template.render({"site_name": "Bone Health"}), status=500)


@require_safe
def media(request, path):
    """Editors' uploads; serve() refuses any path that leaves MEDIA_ROOT."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = "public, max-age=86400"
    return response
