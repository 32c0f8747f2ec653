"""Keep every article's derived HTML in step with what it draws on: its own rows (references, key takeaways, changes,
topics), the people who wrote and reviewed it, and the calculator's rows.

``calculator`` never imports ``articles``; the articles listen to the calculator's model signals instead.
"""

import contextlib
import contextvars
import logging

from django.apps import apps as global_apps
from django.db import DatabaseError, transaction
from django.db.models import Q, Subquery
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_delete, pre_save

from articles import related, review
from articles.models import DERIVED_FIELDS, Article, ArticleChange, KeyTakeaway, Page, Person, Reference, Topic
from articles.tables import FOODS, GUIDELINES, SPACINGS, tables_for
from bonehealth import generation
from calculator.models import Food, FoodNutrient, IntakeGuideline, Medication, Nutrient, Spacing

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


def part_changed(sender, instance, **kwargs):
    """A reference, key takeaway or change for readers was saved or deleted."""
    if kwargs.get("raw"):
        return  # loaddata / a test's restored rows: the stored HTML arrives with them
    if isinstance(kwargs.get("origin"), Article):
        return  # the article itself is being deleted
    rerender([instance.article_id])


def person_changed(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    rerender(Article.objects.filter(Q(author=instance) | Q(reviewer=instance)).values_list("pk", flat=True))


def topic_changed(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    rerender(instance.articles.values_list("pk", flat=True))


def topic_deleting(sender, instance, **kwargs):
    # After the delete the topic's links are gone: remember whose page named it.
    instance.article_ids = list(instance.articles.values_list("pk", flat=True))


def topic_deleted(sender, instance, **kwargs):
    rerender(getattr(instance, "article_ids", []))
    related.refresh(using=kwargs.get("using") or "default")


def article_topics_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action == "pre_clear" and reverse:
        instance.article_ids = list(instance.articles.values_list("pk", flat=True))
    elif action in ("post_add", "post_remove", "post_clear"):
        if not reverse:
            rerender([instance.pk])
        else:
            rerender(pk_set if pk_set is not None else getattr(instance, "article_ids", []))
        related.refresh(using=kwargs.get("using") or "default")


def article_changed(sender, instance, **kwargs):
    """An article was saved or deleted: its card, or its place, in every other article's related list may move."""
    if kwargs.get("raw"):
        return
    related.refresh(using=kwargs.get("using") or "default")


def guidelines_changed(sender, **kwargs):
    if kwargs.get("raw"):
        return
    rerender(Article.objects.with_live_tables(tables_for(kind=GUIDELINES)).values_list("pk", flat=True))


def foods_changed(sender, **kwargs):
    if kwargs.get("raw"):
        return
    rerender(Article.objects.with_live_tables(tables_for(kind=FOODS)).values_list("pk", flat=True))


def spacings_changed(sender, **kwargs):
    if kwargs.get("raw"):
        return
    rerender(Article.objects.with_live_tables(tables_for(kind=SPACINGS)).values_list("pk", flat=True))


def nutrient_changed(sender, **kwargs):
    if kwargs.get("raw"):
        return
    rerender(Article.objects.with_live_tables().values_list("pk", flat=True))


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
            related.refresh(using=using)
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
    for model in (Reference, KeyTakeaway, ArticleChange):
        post_save.connect(part_changed, sender=model, dispatch_uid=f"articles.{model.__name__}_saved")
        post_delete.connect(part_changed, sender=model, dispatch_uid=f"articles.{model.__name__}_deleted")
    post_save.connect(article_changed, sender=Article, dispatch_uid="articles.article_saved")
    pre_save.connect(review.keep_review_fields, sender=Article, dispatch_uid="articles.keep_review_fields")
    post_delete.connect(article_changed, sender=Article, dispatch_uid="articles.article_deleted")
    post_save.connect(person_changed, sender=Person, dispatch_uid="articles.person_saved")
    post_save.connect(topic_changed, sender=Topic, dispatch_uid="articles.topic_saved")
    pre_delete.connect(topic_deleting, sender=Topic, dispatch_uid="articles.topic_deleting")
    post_delete.connect(topic_deleted, sender=Topic, dispatch_uid="articles.topic_deleted")
    m2m_changed.connect(article_topics_changed, sender=Article.topics.through, dispatch_uid="articles.topics_changed")
    for model, handler in (
        (IntakeGuideline, guidelines_changed),
        (FoodNutrient, foods_changed),
        (Food, foods_changed),
        (Nutrient, nutrient_changed),
        (Spacing, spacings_changed),
        (Medication, spacings_changed),  # the table names the medicine
    ):
        post_save.connect(handler, sender=model, dispatch_uid=f"articles.{model.__name__}_saved")
        post_delete.connect(handler, sender=model, dispatch_uid=f"articles.{model.__name__}_deleted")
    post_migrate.connect(render_after_migrate, sender=app_config, dispatch_uid="articles.render_after_migrate")
