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
    """Each test starts with an empty cache, so cached pages or reference data never leak between tests."""
    from django.core.cache import cache

    from bonehealth import pagecache

    cache.clear()
    pagecache._per_process.clear()  # per-process copies would outlive the test's rolled-back rows
    yield
    cache.clear()
    pagecache._per_process.clear()
