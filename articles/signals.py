"""Keep an article's stored HTML in step with its own references (their keys number its citations; they make its
reference list) whichever way they arrive, render what data migrations stored without HTML, and tell the content
generation when articles are scheduled.

Nothing else is stored: what an article or page draws from other rows (people, topics, related articles, live tables
from the calculator's data) is drawn per request, so no signal has to keep it in step.
"""

import contextlib
import contextvars
import logging

from django.apps import apps as global_apps
from django.db import DatabaseError, transaction
from django.db.models import Q, Subquery
from django.db.models.signals import post_delete, post_migrate, post_save, pre_save

from articles import review
from articles.models import DERIVED_FIELDS, Article, Page, Reference
from bonehealth import generation

logger = logging.getLogger(__name__)

# Inside ``deferred_rendering()`` article ids are collected and each article is rendered once at the end.
_pending: contextvars.ContextVar[set | None] = contextvars.ContextVar("articles_pending_render", default=None)


@contextlib.contextmanager
def deferred_rendering():
    """Render each affected article once, after a batch of saves (the admin saving an article with its references)."""
    token = _pending.set(set())
    try:
        yield
        pending = _pending.get()
    finally:
        _pending.reset(token)
    for article in Article.objects.filter(pk__in=pending):
        article.rerender()


def rerender(article_ids):
    pending = _pending.get()
    if pending is not None:
        pending.update(article_ids)
        return
    for article in Article.objects.filter(pk__in=article_ids):
        article.rerender()


def reference_changed(sender, instance, **kwargs):
    """A reference was saved or deleted, by any path (the admin, an import, ``loaddata``, a revision restored): the
    article's citations and its reference list are rendered from its references."""
    if isinstance(kwargs.get("origin"), Article):
        return  # the article itself is being deleted
    rerender([instance.article_id])


def article_loaded(sender, instance, raw=False, **kwargs):
    """An article saved raw (``loaddata``, a revision restored) keeps the HTML it arrived with: render it again from
    the references that are in the database now. (Other saves render in ``Article.save``.)"""
    if raw:
        rerender([instance.pk])


def render_after_migrate(sender, apps=None, **kwargs):
    """Render what data migrations stored without HTML (the launch article, the policy page), or what the renderer
    now renders anew.

    Data migrations use historical models and must not import app code, so they leave ``body_html`` empty; this runs
    after every ``migrate``, when the calculator's reference rows are in place too. It does not touch ``updated``.
    """
    if apps is None:  # `flush` (transactional tests) sends post_migrate without a migration state
        apps = global_apps
    state_model = apps.get_model("articles", "Article") if "articles" in apps.app_configs else None
    current_fields = {field.name for field in Article._meta.concrete_fields}
    if state_model is None or {field.name for field in state_model._meta.concrete_fields} != current_fields:
        return  # migrated to an older state: the current model does not match the tables
    using = kwargs.get("using", "default")
    try:
        with transaction.atomic(using=using):
            for article in Article.objects.using(using):
                before = [getattr(article, name) for name in DERIVED_FIELDS]
                article.render()
                after = [getattr(article, name) for name in DERIVED_FIELDS]
                if after != before:
                    Article.objects.using(using).filter(pk=article.pk).update(
                        **{name: getattr(article, name) for name in DERIVED_FIELDS}
                    )
            for page in Page.objects.using(using):
                before = (page.body_html, page.toc)
                page.render()
                if (page.body_html, page.toc) != before:
                    Page.objects.using(using).filter(pk=page.pk).update(body_html=page.body_html, toc=page.toc)
    except DatabaseError as error:
        logger.warning("articles: could not render articles after migrate: %s", error)


def publication_schedule(now):
    """For the content generation's publication clock (``bonehealth.generation``), in one query: the latest
    publication time that has come and the scheduled ones, so cached lists, the feed and the sitemap turn over when
    an article goes live."""
    published = Article.objects.filter(status=Article.Status.PUBLISHED)
    latest = published.filter(published_at__lte=now).order_by("-published_at").values("published_at")[:1]
    times = list(
        published.filter(Q(published_at__gt=now) | Q(published_at=Subquery(latest)))
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .distinct()
    )
    if times and times[0] <= now:
        return times[0], times[1:]
    return None, times


def connect(app_config):
    generation.register_schedule(publication_schedule)
    post_save.connect(reference_changed, sender=Reference, dispatch_uid="articles.Reference_saved")
    post_delete.connect(reference_changed, sender=Reference, dispatch_uid="articles.Reference_deleted")
    post_save.connect(article_loaded, sender=Article, dispatch_uid="articles.Article_loaded")
    pre_save.connect(review.keep_review_fields, sender=Article, dispatch_uid="articles.keep_review_fields")
    post_migrate.connect(render_after_migrate, sender=app_config, dispatch_uid="articles.render_after_migrate")
