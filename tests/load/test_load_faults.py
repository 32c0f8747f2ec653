"""What the site survives: sustained mixed load, Redis dying, PostgreSQL stopping, and two instances sharing both.

Everything runs on loopback with servers this module starts and stops itself (never the machine's shared
PostgreSQL or Redis): a private redis-server, a private PostgreSQL cluster (initdb in a temporary folder), and two
gunicorn instances of the site started as `make run` starts it (gunicorn.conf.py), both using that PostgreSQL and
that Redis. Bounded in time: about two minutes with the default LOAD_SECONDS=60.
"""

import html.parser
import http.cookiejar
import json
import os
import shutil
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from bench import servers, wrk
from bench.pages import ARTICLE, ARTICLE_SLUG
from bench.servers import PrivatePostgres, PrivateRedis, Processes, wait_until

pytestmark = pytest.mark.load

LOAD_SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
MIXED = Path(__file__).with_name("mixed.lua")


def fetch(url, **options):
    status, headers, body = servers.fetch(url, **options)
    return status, headers, body.decode()


@pytest.fixture(scope="module")
def stack():
    servers.require("wrk", "redis-server")
    workdir = Path(tempfile.mkdtemp(prefix="bonehealth-load-"))
    os.chmod(workdir, 0o755)  # the private PostgreSQL runs as the postgres user when we are root
    procs = Processes(servers.fresh_logs("load-logs"))
    try:
        postgres = PrivatePostgres(procs, workdir)
        postgres.init()
        postgres.start()
        redis = PrivateRedis(procs)
        redis.start()
        env = servers.site_environment(
            database_url=postgres.url, CACHE_URL=redis.url, DJANGO_SUPERUSER_PASSWORD="load-test-editor-password"
        )
        servers.prepare_site(env)
        servers.manage("createsuperuser", "--noinput", "--username", "editor", "--email", "editor@example.com", env=env)
        # Two instances with the same environment: the same key, database and cache.
        instances = [servers.start_gunicorn(procs, f"gunicorn-{name}", env=env) for name in ("a", "b")]
        for base in instances:
            wait_until(lambda base=base: fetch(base + "/healthz")[0] == 200, timeout=60, what=f"{base}/healthz 200")
        yield {"a": instances[0], "b": instances[1], "postgres": postgres, "redis": redis, "env": env}
    finally:
        procs.stop_all()
        shutil.rmtree(workdir, ignore_errors=True)


def run_wrk(base, *, seconds, connections=64):
    return wrk.start(wrk.Target(base), duration=seconds, connections=connections, timeout=10, script=MIXED)


def wrk_result(process):
    return wrk.finish(process, timeout=LOAD_SECONDS + 120)


def assert_clean(result):
    assert result["requests"] > 0
    failures = {key: result[key] for key in ("non_2xx", "connect_errors", "read_errors", "write_errors", "timeouts")}
    assert failures == dict.fromkeys(failures, 0), result


def test_mixed_traffic_at_64_connections_has_no_errors(stack):
    result = wrk_result(run_wrk(stack["a"], seconds=LOAD_SECONDS))
    assert_clean(result)
    # Both instances still healthy afterwards.
    for base in (stack["a"], stack["b"]):
        assert fetch(base + "/healthz")[0] == 200


def test_redis_killed_mid_run_pages_keep_being_served(stack):
    base, redis = stack["a"], stack["redis"]
    load = run_wrk(base, seconds=12, connections=32)
    time.sleep(4)
    redis.kill()
    try:
        status, headers, body = fetch(base + ARTICLE)
        assert status == 200 and ARTICLE_SLUG in body
        assert "ETag" not in headers  # rendered, not cached: the cache is gone
        healthz = fetch(base + "/healthz")
        assert healthz[0] == 200 and json.loads(healthz[2]) == {"database": "ok", "cache": "down"}
        assert_clean(wrk_result(load))
    finally:
        redis.start()
    wait_until(lambda: fetch(base + "/healthz")[0] == 200, timeout=30, what="healthz 200 after Redis returns")
    fetch(base + ARTICLE)
    assert "ETag" in fetch(base + ARTICLE)[1]  # cached again


def test_postgres_stopped_then_back_nothing_lost(stack):
    base, postgres = stack["a"], stack["postgres"]
    fetch(base + ARTICLE)  # in the page cache before the outage
    before = fetch(base + "/blog/")[2]
    postgres.stop()
    try:
        healthz = fetch(base + "/healthz")
        assert healthz[0] == 503 and json.loads(healthz[2]) == {"database": "down", "cache": "ok"}
        # A page that needs the database: the styled error page, not a traceback or a proxy error.
        # (The calculator keeps answering: its reference data is in Redis.)
        status, headers, body = fetch(base + "/blog/search/?q=outage")
        assert status == 500
        assert "<h1>Something went wrong</h1>" in body and "Traceback" not in body
        assert headers["Content-Type"].startswith("text/html")
        # A page already in the page cache is still served.
        status, _, body = fetch(base + ARTICLE)
        assert status == 200 and ARTICLE_SLUG in body
    finally:
        postgres.start()
    wait_until(lambda: fetch(base + "/healthz")[0] == 200, timeout=30, what="healthz 200 after PostgreSQL returns")
    assert fetch(base + "/blog/search/?q=outage")[0] == 200
    assert fetch(base + "/blog/")[2] == before  # nothing lost


class FormFields(html.parser.HTMLParser):
    """The fields a browser would submit from the largest <form method="post"> on a page (not the logout button)."""

    def __init__(self):
        super().__init__()
        self.forms, self.in_form, self.textarea, self.select, self.select_first = [], False, None, None, None
        self.select_chosen = False

    @property
    def fields(self):
        return max(self.forms, key=len) if self.forms else []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "").lower() == "post":
            self.in_form = True
            self.forms.append([])
        if not self.in_form or "name" not in attrs and tag != "option":
            return
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.forms[-1].append([attrs["name"], attrs.get("value", "on" if kind == "checkbox" else "")])
        elif tag == "textarea":
            self.textarea = [attrs["name"], ""]
            self.forms[-1].append(self.textarea)
        elif tag == "select":
            self.select, self.select_first, self.select_chosen = attrs["name"], None, False
            self.select_multiple = "multiple" in attrs
        elif tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            if self.select_first is None:
                self.select_first = value
            if "selected" in attrs:
                self.forms[-1].append([self.select, value])
                self.select_chosen = True

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None
        elif tag == "select" and self.select is not None:
            if not self.select_chosen and not self.select_multiple and self.select_first is not None:
                self.forms[-1].append([self.select, self.select_first])
            self.select = None
        elif tag == "form":
            self.in_form = False

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data


def admin_session(base):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login = base + "/admin/login/?next=/admin/"
    form = FormFields()
    form.feed(fetch(login, opener=opener)[2])
    fields = dict(form.fields) | {"username": "editor", "password": "load-test-editor-password"}
    status, _, body = fetch(login, data=urllib.parse.urlencode(fields).encode(), opener=opener,
                            headers={"Referer": login})  # fmt: skip
    assert status == 200 and "Log out" in body, body[:500]
    return opener


def test_edit_through_one_instance_is_served_by_the_other_on_the_next_request(stack):
    a, b = stack["a"], stack["b"]
    for _ in range(2):
        assert fetch(b + ARTICLE)[0] == 200  # b has the article cached (page cache, and its fast path)
    opener = admin_session(a)
    changelist = fetch(a + f"/admin/articles/article/?q={ARTICLE_SLUG}", opener=opener)[2]
    change_path = next(
        part.split('"')[0] for part in changelist.split('href="/admin/articles/article/')[1:] if "/change/" in part
    )
    change_url = f"{a}/admin/articles/article/{change_path}"
    form = FormFields()
    form.feed(fetch(change_url, opener=opener)[2])
    marker = f"Edited under load {int(time.time())}"
    fields = [(name, marker if name == "title" else value) for name, value in form.fields]
    fields.append(("_save", "Save"))
    status, _, body = fetch(change_url, data=urllib.parse.urlencode(fields).encode(), opener=opener,
                            headers={"Referer": change_url})  # fmt: skip
    errors = [chunk.split("</ul>")[0] for chunk in body.split('class="errorlist')[1:]]
    assert status == 200 and "errornote" not in body, errors
    status, _, body = fetch(b + ARTICLE)
    assert status == 200
    assert marker in body
