"""Real-browser fixtures: one Debian Chromium for the package, driven by Playwright against pytest-django's live server.

Every page a test opens is watched: a console error, an uncaught exception, a Content-Security-Policy violation or a
request to any host but the live server fails that test, naming the page. Missing Chromium, Java or the npm tools:
skipped with a plain reason locally (and said so at the end of the run), a failure when CI=true.
"""

from pathlib import Path

import pytest

from tests.admin_forms import EDITOR_PASSWORD

from .support import CHROMIUM, CHROMIUM_ARGS, HERE, Site, require, skip_reasons


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


def pytest_terminal_summary(terminalreporter):
    if skip_reasons:
        terminalreporter.section("browser tests SKIPPED", yellow=True, bold=True)
        for reason in sorted(skip_reasons):
            terminalreporter.write_line(f"The real-browser tests were skipped, not run: {reason}.", yellow=True)
        terminalreporter.write_line("With CI=true a missing tool fails the run instead.", yellow=True)


@pytest.fixture(scope="package")
def browser(django_db_setup, live_server):
    """One Chromium for every browser test, started after the test database and the live server.

    Playwright's sync API keeps an event loop running in this thread. Django then takes the thread for an async
    context: its ORM calls need DJANGO_ALLOW_ASYNC_UNSAFE (these tests' flush, restore and create-a-user are plain
    sync), and its per-thread connections move to context-variable storage, which is handed the very connections the
    test database was set up (and serialized) with. Package scope: the loop is gone before any other test runs.
    """
    require("chromium")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    outside = {alias: connections[alias] for alias in connections}
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        for alias, connection in outside.items():
            connections[alias] = connection
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def editor(make_editor):
    """An editor in the "Editor" group, who signs in with a password as a person would."""
    return make_editor(username="erin", password=EDITOR_PASSWORD)


@pytest.fixture
def site(browser, live_server):
    """Opens watched pages on the live server; every context it made is closed after the test."""
    site = Site(browser=browser, base_url=live_server.url)
    yield site
    site.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After a browser test's body, fail it if any page it opened logged an error or reached another host."""
    result = yield
    site = getattr(item, "funcargs", {}).get("site")
    if isinstance(site, Site) and site.problems():
        raise AssertionError("browser problems:\n  " + "\n  ".join(site.problems()))
    return result
