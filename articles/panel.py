"""The article side of the recommendation panel: GET /recommendations/panel/?article=<slug> -> an HTML fragment.

Only this app knows articles, and `calculator` never imports `articles`, so the fragment's URL is resolved here: the
view finds the article's nutrients (one query) and hands them to `calculator.panel`, which ranks the products and
renders the panel's body. The page cache (bonehealth/pagecache.py) keeps the fragment and drops it when a product,
an ingredient or an article changes.
"""

import re

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.views.decorators.http import require_safe

from articles.models import Article
from calculator import panel, recommend, services

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,200}")


@require_safe
def recommendation_panel(request: HttpRequest) -> HttpResponse:
    slug = request.GET.get("article", "")
    if not slug:
        return HttpResponseBadRequest(
            "Say which article: /recommendations/panel/?article=<slug>.", content_type="text/plain; charset=utf-8"
        )
    if not SLUG.fullmatch(slug):
        raise Http404("No article has this address.")
    # Like the article page: published articles for everyone, drafts too for a signed-in editor's preview.
    articles = Article.objects.all() if request.user.is_staff else Article.objects.published()
    rows = list(articles.filter(slug=slug).values_list("nutrients__slug", flat=True))
    if not rows:
        raise Http404("No article has this address.")
    response = panel.article_panel_response(
        request,
        nutrient_slugs=[row for row in rows if row],
        k2_blockers=services.get_reference().blockers(recommend.VITAMIN_K2),
    )
    response["X-Robots-Tag"] = "noindex"  # a piece of the article page, not a page of its own
    if request.user.is_staff:
        response["Cache-Control"] = "private, no-store"
    return response
