"""An editor's change to the calculator's data shows at once wherever a page draws on it: the live tables of the
launch article and of a managed page (/about/editorial-policy/), however the change arrives (an admin save, a
``loaddata``), on every worker, with the page cache on.

The in-process tests stand two readers' clients for two workers sharing the content generation file, as
``make run``'s gunicorn workers do; the last test runs two real gunicorn workers and changes the data from another
process with ``manage.py loaddata``."""

import json
import socket
import subprocess
import sys
import time
from urllib.request import urlopen

import pytest
from django.core import serializers
from django.core.management import call_command
from django.test import Client

from articles.models import Page
from calculator.models import Authority, IntakeGuideline
from tests.admin_forms import form_errors, submit
from tests.processes import BASE_DIR, GOOD_KEY, clean_env

ARTICLE = "/blog/calcium-and-vitamin-k2-bone-health-combination/"
POLICY = "/about/editorial-policy/"
NEW_LIMIT = "1,950 mg"  # a figure no shipped page shows


@pytest.fixture
def workers(settings, tmp_path):
    """Two readers, as two workers: they share the pages' generation through its file, as gunicorn's workers do."""
    settings.PAGE_CACHE_GENERATION_FILE = str(tmp_path / "generation")
    return Client(), Client()


@pytest.fixture
def policy_with_table(db):
    page = Page.objects.get(slug="editorial-policy")
    page.body += "\n\n## Calcium by age\n\n[[table:calcium-guidelines]]\n"
    page.save()
    return page


def women_51_to_70():
    return IntakeGuideline.objects.get(
        authority=Authority.US, nutrient__slug="calcium", sex="female", age_min=51, life_stage="none"
    )


def assert_everyone_sees(readers, *, limit, present):
    for reader in readers:
        for url in (ARTICLE, POLICY):
            for _ in range(2):  # the first may fill the page cache, the second is served from it
                html = reader.get(url).text
                assert (limit in html) is present, (url, limit, present)


def test_an_admin_save_of_a_guideline_shows_on_the_article_and_the_managed_page(
    workers, policy_with_table, staff_client
):
    row = women_51_to_70()
    assert_everyone_sees(workers, limit=NEW_LIMIT, present=False)

    url = f"/admin/calculator/intakeguideline/{row.pk}/change/"
    response = submit(staff_client, url, changes={"upper_limit": "1950"})
    assert response.status_code == 302, form_errors(response)

    assert_everyone_sees(workers, limit=NEW_LIMIT, present=True)


def test_guidelines_loaded_with_loaddata_show_on_the_article_and_the_managed_page(workers, policy_with_table, tmp_path):
    row = women_51_to_70()
    assert_everyone_sees(workers, limit=NEW_LIMIT, present=False)

    [data] = json.loads(serializers.serialize("json", [row]))
    data["fields"]["upper_limit"] = "1950.00"
    fixture = tmp_path / "guidelines.json"
    fixture.write_text(json.dumps([data]))
    call_command("loaddata", str(fixture), verbosity=0)

    assert_everyone_sees(workers, limit=NEW_LIMIT, present=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_two_gunicorn_workers_show_guidelines_loaded_by_another_process(tmp_path):
    """The real thing: two gunicorn workers with their own memory, a change loaded by `manage.py loaddata`."""
    port = free_port()
    # DEBUG only so that the pages link static files without a collectstatic manifest (a fresh clone has none).
    env = clean_env(
        tmp_path, {"DJANGO_SECRET_KEY": GOOD_KEY, "PORT": str(port), "WEB_CONCURRENCY": "2", "DJANGO_DEBUG": "True"}
    )
    manage = [sys.executable, str(BASE_DIR / "manage.py")]

    def run(*args):
        result = subprocess.run([*manage, *args], env=env, cwd=BASE_DIR, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    run("migrate", "--noinput", "--verbosity", "0")
    shell = """
from articles.models import Page
from calculator.models import IntakeGuideline
page = Page.objects.get(slug="editorial-policy")
page.body += "\\n\\n[[table:calcium-guidelines]]\\n"
page.save()
row = IntakeGuideline.objects.get(authority="us", nutrient__slug="calcium", sex="female", age_min=51, life_stage="none")
print(row.pk)
"""
    pk = int(run("shell", "-c", shell).split()[-1])
    log_path = tmp_path / "gunicorn.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "bonehealth.wsgi:application", "-c", "gunicorn.conf.py"],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                        break
                except OSError:
                    assert time.monotonic() < deadline and server.poll() is None, log_path.read_text()
                    time.sleep(0.2)

            def pages():
                # Enough requests that both workers answer (and cache) each page.
                return [
                    urlopen(f"http://127.0.0.1:{port}{url}", timeout=30).read().decode()
                    for url in (ARTICLE, POLICY)
                    for _ in range(8)
                ]

            assert not any(NEW_LIMIT in html for html in pages())
            fixture = tmp_path / "guidelines.json"
            row = json.loads(run("dumpdata", "calculator.intakeguideline", "--pks", str(pk)))
            row[0]["fields"]["upper_limit"] = "1950.00"
            fixture.write_text(json.dumps(row))
            run("loaddata", str(fixture), "--verbosity", "0")
            assert all(NEW_LIMIT in html for html in pages())
        finally:
            server.terminate()
            server.wait(timeout=15)
    assert "Traceback" not in log_path.read_text()
