"""Fixtures shared by every test module: caches, the shipped reference data, and builders for users, people,
topics, articles and products."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """Tests run with DEBUG off and without collectstatic, so the manifest storage would have no manifest to read."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    """Tests sign in hundreds of times: the production hasher's deliberate slowness is not what they are about."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with empty caches, so cached pages or reference data never leak between tests."""
    from django.core.cache import caches

    from bonehealth import generation

    def clear():
        caches["default"].clear()
        caches["pages"].clear()
        generation.forget_process_copies()  # per-process copies would outlive the test's rolled-back rows

    clear()
    yield
    clear()


BROWSER_TIMEOUT = 300  # seconds: a browser test starts Chromium, a live server, and prints or audits pages
LOAD_TIMEOUT = 900  # seconds: a load test starts PostgreSQL, Redis and two instances, then runs wrk for LOAD_SECONDS


@pytest.hookimpl(trylast=True)  # after `-k` and `-m` have deselected: the first test left is the one that runs first
def pytest_collection_modifyitems(items):
    # A hang is a failure: browser tests wait inside Playwright, whose event loop can swallow pytest-timeout's signal,
    # so their limit is kept by a watchdog thread (it prints every thread's stack and ends the run).
    for item in items:
        if item.get_closest_marker("timeout"):
            continue
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.timeout(BROWSER_TIMEOUT, method="thread"))
        elif item.get_closest_marker("load"):
            item.add_marker(pytest.mark.timeout(LOAD_TIMEOUT))
    """The session-wide `reference` and `catalogue` fixtures read the migrated test database. pytest-django creates it
    only for a run with a database test in it, so a run of pure tests alone (tests/calculator/test_intake.py) asks for
    it on its first test."""
    if not items or "django_db_setup" not in items[0].fixturenames:
        return
    needs_database = ("db", "transactional_db", "live_server")
    if not any(item.get_closest_marker("django_db") or set(needs_database) & set(item.fixturenames) for item in items):
        items[0].add_marker(pytest.mark.django_db)


# Autouse so they are built at the start of the session: pytest-django runs transactional tests (which empty the
# database when they end) before the tests that use no database, such as the pure calculation's.
@pytest.fixture(scope="session", autouse=True)
def reference(django_db_setup, django_db_blocker):
    """The shipped reference data (guidelines, foods, cautions, spacing rules) as the calculator reads it, built once
    from the migrated test database: tests read the rules from the data, not from the code."""
    from calculator import services

    with django_db_blocker.unblock():
        return services.build_reference()


@pytest.fixture(scope="session", autouse=True)
def catalogue(django_db_setup, django_db_blocker):
    """The shipped starter products as the ranking reads them."""
    from calculator import panel

    with django_db_blocker.unblock():
        return panel.build_catalogue()


@pytest.fixture
def run(reference):
    """run(age=..., sex=..., ...): the pure calculation for a profile, over the shipped reference data."""
    from calculator import intake

    def run(**profile):
        return intake.compute(profile=intake.Profile(**profile), reference=reference)

    return run


# Admin users


@pytest.fixture
def make_editor(db, django_user_model):
    """make_editor(username=..., password=None): a staff user in the "Editor" group the migration created.

    Without a password (the default) the user can only be logged in with force_login, which skips the slow hashing.
    """
    from django.contrib.auth.models import Group

    def build(username="editor-in-group", password=None, **fields):
        user = django_user_model.objects.create_user(username=username, password=password, is_staff=True, **fields)
        user.groups.add(Group.objects.get(name="Editor"))
        return user

    return build


@pytest.fixture
def make_reviewer(db, django_user_model):
    """make_reviewer(username=..., person=True): a staff user in "Medical reviewer", linked to a named Person."""
    from django.contrib.auth.models import Group

    from articles.models import Person

    def build(username="reviewer-in-group", password=None, person=True, **fields):
        user = django_user_model.objects.create_user(username=username, password=password, is_staff=True, **fields)
        user.groups.add(Group.objects.get(name="Medical reviewer"))
        if person:
            Person.objects.create(
                slug=f"dr-{username}", name="Dr Ada Reviewer", credentials="MD, endocrinologist", user=user
            )
        return user

    return build


@pytest.fixture
def editor_client(make_editor):
    from django.test import Client

    client = Client()
    client.force_login(make_editor())
    return client


@pytest.fixture
def superuser_client(db, django_user_model):
    from django.test import Client

    user = django_user_model.objects.create_superuser(username="root", password=None, email="")
    client = Client()
    client.force_login(user)
    return client


# Articles

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
        if article.is_medically_reviewed and "reviewed_fingerprint" not in fields:
            # Reviewed as built: the approval covers this content (as the review action records it).
            article.reviewed_fingerprint = article.content_fingerprint()
            article.save()
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


# Products


@pytest.fixture
def make_product(db):
    """make_product("slug", ("calcium", 300, "calcium-citrate"), ..., **fields): an active product and what one
    serving holds."""
    from decimal import Decimal

    from calculator.models import Nutrient, Product, ProductNutrient

    def build(slug, *ingredients, **fields):
        fields.setdefault("name", slug.replace("-", " ").capitalize())
        fields.setdefault("description", "A test product.")
        fields.setdefault("servings_per_container", 100)
        fields.setdefault("price", Decimal("10.00"))
        fields.setdefault("url", f"https://shop.example/{slug}")
        product = Product.objects.create(slug=slug, **fields)
        for nutrient, amount, form in ingredients:
            ProductNutrient.objects.create(
                product=product, nutrient=Nutrient.objects.get(slug=nutrient), amount=Decimal(amount), form=form
            )
        return product

    return build


@pytest.fixture
def only_products(db):
    """Hide the starter catalogue, so a test sees only the products it makes."""
    from bonehealth import generation
    from calculator.models import Product

    Product.objects.filter(is_starter=True).update(is_active=False)
    generation.bump()  # .update() sends no signal


@pytest.fixture
def reviewer(make_reviewer):
    """A member of the "Medical reviewer" group, linked to a named person."""
    return make_reviewer()


@pytest.fixture
def reviewer_client(reviewer):
    """A client signed in as ``reviewer``."""
    from django.test import Client

    client = Client()
    client.force_login(reviewer)
    return client
