"""Fixtures shared by every test module. App-specific builders live beside their tests."""

import pytest


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """Tests run with DEBUG off and without collectstatic, so the manifest storage would have no manifest to read."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with empty caches, so cached pages or reference data never leak between tests."""
    from django.core.cache import caches

    from bonehealth import generation, pagecache

    def clear():
        caches["default"].clear()
        caches["pages"].clear()
        generation.forget_process_copies()  # per-process copies would outlive the test's rolled-back rows
        pagecache.clear_process_copies()

    clear()
    yield
    clear()


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
