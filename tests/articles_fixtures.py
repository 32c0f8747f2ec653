"""Builders for the articles tests (registered with ``pytest_plugins = ["articles_fixtures"]``)."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

SEED_SLUG = "calcium-and-vitamin-k2-bone-health-combination"

_counter = itertools.count(1)


@pytest.fixture
def make_person(db):
    from articles.models import Person

    def build(**fields):
        number = next(_counter)
        fields.setdefault("slug", f"person-{number}")
        fields.setdefault("name", f"Person {number}")
        return Person.objects.create(**fields)

    return build


@pytest.fixture
def make_topic(db):
    from articles.models import Topic

    def build(**fields):
        number = next(_counter)
        fields.setdefault("slug", f"topic-{number}")
        fields.setdefault("name", f"Topic {number}")
        return Topic.objects.create(**fields)

    return build


@pytest.fixture
def make_article(db, make_person):
    """make_article(title=..., references=[{"key": ..., ...}], topics=[...], nutrients=[...],
    takeaways=[(text, evidence level)], **fields)."""
    from articles.models import Article, Reference

    def build(*, references=(), topics=(), nutrients=(), takeaways=(), **fields):
        number = next(_counter)
        fields.setdefault("title", f"Article {number}")
        fields.setdefault("slug", f"article-{number}")
        fields.setdefault("summary", f"Summary of article {number}.")
        fields.setdefault("body", f"Body of article {number}.")
        fields.setdefault("status", Article.Status.PUBLISHED)
        fields.setdefault("published_at", timezone.now() - timedelta(days=1))
        if "author" not in fields:
            fields["author"] = make_person()
        if fields.get("last_reviewed") and not fields.get("reviewer"):
            # A review date always comes with the named reviewer who gave it (a database constraint).
            fields["reviewer"] = make_person(name="Dr Default Reviewer", credentials="MD")
        article = Article.objects.create(**fields)
        for position, (text, evidence) in enumerate(takeaways, start=1):
            article.takeaways.create(order=position, text=text, evidence=evidence)
        for position, reference in enumerate(references, start=1):
            Reference.objects.create(
                article=article,
                **{"order": position, "authors": "Doe J", "title": f"Study {position}", "pmid": "123", **reference},
            )
        if topics:
            article.topics.set(topics)
        if nutrients:
            article.nutrients.set(nutrients)
        article.refresh_from_db()
        return article

    return build


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user(
        username="editor", password="a-long-editor-password", is_staff=True, is_superuser=True
    )


@pytest.fixture
def staff_client(staff_user):
    """A second client, signed in as an editor, beside the anonymous ``client``."""
    from django.test import Client

    client = Client()
    client.force_login(staff_user)
    return client


@pytest.fixture
def only_our_articles(db):
    """Remove the launch article (a data migration ships it) where a test counts articles."""
    from articles.models import Article

    Article.objects.all().delete()
