"""Article pages: index, topic, detail, search, and an article's recommendation panel fragment. Thin views over
``Article.objects.published()``."""

import re

from django.contrib import admin
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView

from articles import related, seo, tables
from articles.forms import SearchForm
from articles.models import Article, EvidenceLevel, Page, Topic
from bonehealth import generation
from calculator import panel

PAGE_SIZE = 10
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,200}")
# What only the detail page shows: lists leave it in the database.
DETAIL_ONLY_FIELDS = ["body", "body_html", "toc", "cited_keys"]


class PublishedArticlesMixin:
    """What a list of articles needs, in one query: the article and its author."""

    model = Article
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return Article.objects.published().select_related("author").defer(*DETAIL_ONLY_FIELDS)


class ArticleListView(PublishedArticlesMixin, ListView):
    template_name = "articles/article_list.html"

    def get_context_data(self, **kwargs):
        topics = Topic.objects.filter(articles__in=Article.objects.published()).distinct()
        return super().get_context_data(search_form=SearchForm(), topics=topics, **kwargs)


class TopicArticleListView(PublishedArticlesMixin, ListView):
    template_name = "articles/article_list.html"

    def get_queryset(self):
        self.topic = get_object_or_404(Topic, slug=self.kwargs["slug"])
        return super().get_queryset().filter(topics=self.topic)

    def get_context_data(self, **kwargs):
        return super().get_context_data(topic=self.topic, search_form=SearchForm(), **kwargs)


def may_preview_drafts(request: HttpRequest) -> bool:
    """Drafts and scheduled articles are shown to those who may use the admin now (staff, signed in with the second
    factor where it applies: the admin site's own test) and who may view articles there."""
    return admin.site.has_permission(request) and request.user.has_perm("articles.view_article")


class ArticleDetailView(DetailView):
    """A published article for everyone; a draft or scheduled one only for editors, as a marked, uncached preview."""

    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        # The article's own rows, for the byline, topics, takeaways and changes, in three more queries (the reference
        # list is stored HTML; the references themselves are read only for an approved article's sign-off check).
        return Article.objects.select_related("author", "reviewer").prefetch_related("topics", "takeaways", "changes")

    def get_object(self, queryset=None):
        articles = self.get_queryset()
        if not may_preview_drafts(self.request):
            articles = articles.published()
        return get_object_or_404(articles, slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        article = self.object
        topics = list(article.topics.all())
        changes = list(article.changes.all())
        return super().get_context_data(
            body_html=tables.place(article.body_html),
            topics=topics,
            takeaways=list(article.takeaways.all()),
            changes=changes,
            evidence_levels=EvidenceLevel.choices,
            related_articles=related.related_articles(article),
            preview=not article.is_live,
            json_ld=seo.json_ld(seo.structured_data(article=article, topics=topics, changes=changes), self.request),
            absolute_url=self.request.build_absolute_uri(article.get_absolute_url()),
            **kwargs,
        )

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if context["preview"]:
            # A draft preview is for the signed-in editor only: never stored by a cache, never indexed.
            patch_cache_control(response, private=True, no_store=True)
            response["X-Robots-Tag"] = "noindex"
        else:
            # The page draws on other rows too (people, related articles, live tables): the later of its own save
            # and the content's last change, so a conditional GET never keeps a table a guideline edit changed.
            response["Last-Modified"] = http_date(max(self.object.updated.timestamp(), generation.last_change()))
        return response


class PageDetailView(DetailView):
    """A managed page such as the editorial policy (/about/<slug>/)."""

    model = Page
    template_name = "articles/page_detail.html"
    context_object_name = "page"

    def get_context_data(self, **kwargs):
        return super().get_context_data(body_html=tables.place(self.object.body_html), **kwargs)


class SearchView(PublishedArticlesMixin, ListView):
    """Full-text search on PostgreSQL (ranked, stemmed); elsewhere every word must be in the title, summary or body."""

    template_name = "articles/search.html"

    def get(self, request, *args, **kwargs):
        self.form = SearchForm(request.GET or None)
        self.query = self.form.cleaned_data["q"] if self.form.is_valid() else ""
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if not self.query:
            return Article.objects.none()
        articles = super().get_queryset()
        if connection.vendor == "postgresql":
            vector = (
                SearchVector("title", weight="A", config="english")
                + SearchVector("summary", weight="B", config="english")
                + SearchVector("body", weight="C", config="english")
            )
            query = SearchQuery(self.query, search_type="websearch", config="english")
            return (
                articles.annotate(document=vector, rank=SearchRank(vector, query))
                .filter(document=query)
                .order_by("-rank", "-published_at")
            )
        condition = Q()
        for word in self.query.split():
            condition &= Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
        return articles.filter(condition)

    def get_context_data(self, **kwargs):
        return super().get_context_data(search_form=self.form, query=self.query, **kwargs)


@require_safe
def recommendation_panel(request: HttpRequest) -> HttpResponse:
    """GET /recommendations/panel/?article=<slug>: the body of the article's recommendation panel, an HTML fragment
    the article page loads into its slot (the page holds the heading). One query for the article's nutrients; the
    products come from `calculator.panel`, which never sees the article."""
    slug = request.GET.get("article", "")
    if not slug:
        return HttpResponseBadRequest(
            "Say which article: /recommendations/panel/?article=<slug>.", content_type="text/plain; charset=utf-8"
        )
    if not SLUG.fullmatch(slug):
        raise Http404("No article has this address.")
    # Like the article page: published articles for everyone, drafts too for a signed-in editor's preview.
    editor = may_preview_drafts(request)
    articles = Article.objects.all() if editor else Article.objects.published()
    rows = list(articles.filter(slug=slug).values_list("nutrients__slug", flat=True))
    if not rows:
        raise Http404("No article has this address.")
    response = TemplateResponse(
        request,
        "calculator/_recommendations.html#panel-body",
        {"panel": panel.for_nutrients(nutrient_slugs=[row for row in rows if row])},
        headers={"X-Robots-Tag": "noindex"},  # a piece of the article page, not a page of its own
    )
    if editor:
        # An editor may see a draft's panel: never stored by the page cache or a browser's shared cache.
        patch_cache_control(response, private=True, no_store=True)
    return response
