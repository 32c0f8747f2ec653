"""The full-page cache: what it stores, what it never stores, invalidation, and its HTTP semantics."""

import gzip

import pytest
from django.core.cache import cache
from django.db.models import F
from django.http import HttpResponse
from django.urls import include, path
from django.utils.http import http_date
from django.views.decorators.cache import cache_control

from bonehealth import generation, pagecache
from calculator.models import Nutrient, Product
from tests.bonehealth.test_settings import assert_security_headers

RENDERS = {"count": 0}


def page(request):
    """A page that reads content from the database, like an article: one query per render."""
    RENDERS["count"] += 1
    nutrients = Nutrient.objects.count()
    return HttpResponse(f"<!doctype html><title>t</title><p>{nutrients} nutrients</p>" + "<p>text</p>" * 100)


def sets_cookie(request):
    response = HttpResponse("hello")
    response.set_cookie("tracking", "1")
    return response


@cache_control(private=True)
def private(request):
    return HttpResponse("yours only")


def not_found(request):
    return HttpResponse("gone", status=404)


def echo_method(request):
    return HttpResponse(f"method {request.method}")


def urlconf(settings):
    admin = settings.ADMIN_URL
    return type(
        "urls",
        (),
        {
            "urlpatterns": [
                path("page/", page),
                path("calculator/", page),
                path("cookie/", sets_cookie),
                path("private/", private),
                path("missing/", not_found),
                path("form/", echo_method),
                path("healthz", page),
                path("go/some-product/", page),
                path(f"{admin}plain/", page),
                # Saving the calculator's rows re-renders the articles that show them, links included.
                path("", include("articles.urls")),
            ]
        },
    )


@pytest.fixture(autouse=True)
def pagecache_urls(settings, tmp_path):
    settings.ROOT_URLCONF = urlconf(settings)
    # Private to this test: other processes on the machine (other test runs) must not bump it under us.
    settings.PAGE_CACHE_GENERATION_FILE = str(tmp_path / "pagecache-generation")
    RENDERS["count"] = 0


def another_worker():
    """Forget what this process keeps in memory: what a fresh worker (or another instance) knows."""
    generation.forget_process_copies()


def bump_as_another_process():
    """What a save in another worker, instance or `manage.py shell` does: move the shared counter (this process
    keeps nothing that a bump would have to clear)."""
    generation.bump()


def renders_of(client, url, **extra):
    before = RENDERS["count"]
    response = client.get(url, **extra)
    return response, RENDERS["count"] - before


@pytest.mark.django_db
def test_pagecache_hit_after_miss_runs_no_query(client, django_assert_num_queries):
    generation.token()  # the publication clock's query, once per content generation and worker
    with django_assert_num_queries(1):
        first = client.get("/page/")
    with django_assert_num_queries(0):
        second = client.get("/page/")
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert second["ETag"] == first["ETag"]
    assert second["Cache-Control"] == "public, max-age=0, s-maxage=5"
    assert "Last-Modified" in second


@pytest.mark.django_db
def test_pagecache_is_shared_through_the_cache_not_only_the_worker(client):
    client.get("/page/")
    another_worker()
    response, renders = renders_of(client, "/page/")
    assert (response.status_code, renders) == (200, 0)


@pytest.mark.django_db
def test_pagecache_saving_content_invalidates_pages(client):
    first = client.get("/page/")
    Nutrient.objects.create(slug="zinc", name="Zinc", unit="mg")
    second, renders = renders_of(client, "/page/")
    assert renders == 1
    assert first.content != second.content
    assert first["ETag"] != second["ETag"]


@pytest.mark.django_db
def test_pagecache_deleting_content_invalidates_pages(client):
    nutrient = Nutrient.objects.create(slug="zinc", name="Zinc", unit="mg")
    client.get("/page/")
    nutrient.delete()
    response, renders = renders_of(client, "/page/")
    assert renders == 1


@pytest.mark.django_db
def test_pagecache_m2m_change_in_a_content_app_invalidates(client):
    from django.db.models.signals import m2m_changed

    client.get("/page/")
    m2m_changed.send(sender=Nutrient, instance=None, action="post_add", reverse=False, model=Nutrient, pk_set={1})
    assert renders_of(client, "/page/")[1] == 1
    m2m_changed.send(sender=Nutrient, instance=None, action="pre_add", reverse=False, model=Nutrient, pk_set={1})
    assert renders_of(client, "/page/")[1] == 0


@pytest.mark.django_db
def test_pagecache_edit_on_another_instance_is_seen_on_the_next_request(client):
    """Another instance bumps the shared generation: the page stored under the old one is not served."""
    client.get("/page/")
    bump_as_another_process()
    assert renders_of(client, "/page/")[1] == 1


@pytest.mark.django_db
def test_pagecache_counter_updates_and_other_apps_do_not_invalidate(client):
    from django.contrib.auth.models import Group

    product = Product.objects.create(
        name="Calcium citrate",
        slug="calcium-citrate-test",
        description="d",
        servings_per_container=30,
        url="https://example.com/p",
    )
    client.get("/page/")
    Product.objects.filter(pk=product.pk).update(click_count=F("click_count") + 1)
    product.click_count = 5
    product.save(update_fields=["click_count"])
    Group.objects.create(name="editors")
    assert renders_of(client, "/page/")[1] == 0


@pytest.mark.django_db
def test_pagecache_lost_generation_starts_above_every_old_one(client):
    client.get("/page/")
    old = generation.counter()
    if generation.counter_in_file():
        generation.counter_file().unlink()  # someone cleaned the folder
    else:
        cache.delete(generation.COUNTER_KEY)  # evicted, or Redis restarted
    assert renders_of(client, "/page/")[1] == 1
    assert generation.counter() > old


@pytest.mark.django_db
def test_pagecache_generation_file_is_shared_by_processes_with_a_local_cache(client, settings):
    """`make run`: two workers, each with its own LocMemCache; a save in one must reach the other."""
    if not generation.counter_in_file():
        pytest.skip("the shared cache carries the generation")
    client.get("/page/")
    before = generation.counter_file().stat().st_mtime_ns
    Nutrient.objects.create(slug="zinc", name="Zinc", unit="mg")
    assert generation.counter_file().stat().st_mtime_ns > before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "extra"),
    [
        ("/page/", {"HTTP_COOKIE": "sessionid=abc"}),
        ("/page/", {"HTTP_COOKIE": "csrftoken=abc"}),
        ("/healthz", {}),
        ("/go/some-product/", {}),
        ("/admin/plain/", {}),
    ],
    ids=["session-cookie", "csrf-cookie", "healthz", "go", "admin"],
)
def test_pagecache_bypassed_for(client, url, extra):
    first, renders_first = renders_of(client, url, **extra)
    second, renders_second = renders_of(client, url, **extra)
    assert (renders_first, renders_second) == (1, 1)
    assert "ETag" not in second
    assert "public" not in second.get("Cache-Control", "")


@pytest.mark.django_db
def test_pagecache_logged_in_editor_is_never_served_or_stored(client, django_user_model):
    client.get("/page/")  # a reader's copy exists
    editor = django_user_model.objects.create_user("editor", password="x" * 12)
    client.force_login(editor)
    response, renders = renders_of(client, "/page/")
    assert renders == 1
    assert response["Cache-Control"] == "private"
    assert "ETag" not in response


@pytest.mark.django_db
def test_pagecache_allowed_query_paths_are_cached_per_query(client):
    assert renders_of(client, "/calculator/?age=55&sex=female")[1] == 1
    assert renders_of(client, "/calculator/?age=55&sex=female")[1] == 0
    assert renders_of(client, "/calculator/?age=56&sex=female")[1] == 1


@pytest.mark.django_db
def test_pagecache_key_includes_host(client, settings):
    settings.ALLOWED_HOSTS = ["testserver", "other.example"]
    client.get("/page/")
    assert renders_of(client, "/page/", HTTP_HOST="other.example")[1] == 1


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/cookie/", "/private/", "/missing/"], ids=["set-cookie", "private", "404"])
def test_pagecache_does_not_store_responses(client, url):
    first = client.get(url)
    second = client.get(url)
    assert first.status_code == second.status_code
    assert "ETag" not in second
    if url == "/private/":
        assert second["Cache-Control"] == "private"


@pytest.mark.django_db
def test_pagecache_post_is_never_served_from_cache(client):
    client.get("/form/")
    response = client.post("/form/")
    assert response.content == b"method POST"


@pytest.mark.django_db
def test_pagecache_head_is_served_from_cache_without_body(client, django_assert_num_queries):
    get = client.get("/page/")
    with django_assert_num_queries(0):
        head = client.head("/page/")
    assert head.status_code == 200
    assert head["Content-Length"] == str(len(get.content))
    assert head["ETag"] == get["ETag"]


@pytest.mark.django_db
def test_pagecache_head_miss_does_not_store_an_empty_page(client):
    client.head("/form/")
    assert client.get("/form/").content == b"method GET"


@pytest.mark.django_db
def test_pagecache_if_none_match_gives_304_without_render(client):
    etag = client.get("/page/")["ETag"]
    response, renders = renders_of(client, "/page/", HTTP_IF_NONE_MATCH=etag)
    assert (response.status_code, renders) == (304, 0)
    assert response["ETag"] == etag
    assert_security_headers(response)
    other = client.get("/page/", HTTP_IF_NONE_MATCH='"something-else"')
    assert other.status_code == 200


@pytest.mark.django_db
def test_pagecache_etag_changes_after_an_edit_so_revalidation_sees_it(client):
    etag = client.get("/page/")["ETag"]
    Nutrient.objects.create(slug="zinc", name="Zinc", unit="mg")
    assert client.get("/page/", HTTP_IF_NONE_MATCH=etag).status_code == 200


@pytest.mark.django_db
def test_pagecache_if_modified_since(client):
    last_modified = client.get("/page/")["Last-Modified"]
    assert client.get("/page/", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert client.get("/page/", HTTP_IF_MODIFIED_SINCE=http_date(0)).status_code == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110).
    response = client.get("/page/", HTTP_IF_MODIFIED_SINCE=last_modified, HTTP_IF_NONE_MATCH='"other"')
    assert response.status_code == 200


@pytest.mark.django_db
def test_pagecache_gzip_copy_for_clients_that_accept_it(client):
    plain = client.get("/page/")
    compressed = client.get("/page/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert compressed["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.content) == plain.content
    assert len(compressed.content) < len(plain.content)
    assert compressed["ETag"] != plain["ETag"]
    assert "Accept-Encoding" in compressed["Vary"] and "Accept-Encoding" in plain["Vary"]
    assert "Content-Encoding" not in plain
    etag = compressed["ETag"]
    assert client.get("/page/", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=etag).status_code == 304


@pytest.mark.django_db
def test_pagecache_hits_carry_security_and_csp_headers_and_no_cookie(client):
    miss = client.get("/page/")
    hit, renders = renders_of(client, "/page/")
    assert renders == 0
    for response in (miss, hit):
        assert_security_headers(response)
        assert not response.cookies
    assert hit.headers["Content-Security-Policy"] == miss.headers["Content-Security-Policy"]


@pytest.mark.django_db
def test_pagecache_real_home_page_is_cached(settings, client):
    import bonehealth.urls

    settings.ROOT_URLCONF = bonehealth.urls
    first = client.get("/")
    second = client.get("/")
    assert first.status_code == second.status_code == 200
    assert second["ETag"] == first["ETag"]
    assert_security_headers(second)
    assert not second.cookies


@pytest.mark.django_db
def test_pagecache_cache_down_still_renders(client):
    from django.core.cache import caches
    from django_redis.cache import RedisCache

    original = caches["default"]
    # The settings' Redis configuration (IGNORE_EXCEPTIONS), on a port where nothing listens.
    options = {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2}
    caches["default"] = RedisCache("redis://127.0.0.1:1/0", {"OPTIONS": options})
    try:
        for _ in range(2):
            response, renders = renders_of(client, "/page/")
            assert (response.status_code, renders) == (200, 1)
            assert "ETag" not in response
    finally:
        caches["default"] = original


def test_redis_down_logs_one_line_per_ignored_call(caplog):
    """With Redis down each ignored cache call leaves one readable line in the log, not a traceback."""
    import logging

    from django_redis.cache import RedisCache

    options = {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2}
    down = RedisCache("redis://127.0.0.1:1/0", {"OPTIONS": options})  # nothing listens on port 1
    with caplog.at_level(logging.INFO):
        assert down.get("anything") is None
        down.set("anything", 1)
    records = [record for record in caplog.records if record.name.startswith("django_redis")]
    assert len(records) == 2
    for record in records:
        line = logging.Formatter("%(levelname)s %(name)s: %(message)s").format(record)
        assert "\n" not in line and "Traceback" not in line
        assert "Redis unavailable" in line and "ConnectionError" in line


# ---------------------------------------------------------------------------------------------------------------
# Issue 12: time, releases, cookies, canonical keys, bounds, charsets
# ---------------------------------------------------------------------------------------------------------------


@pytest.fixture
def site_urls(settings):
    import bonehealth.urls

    settings.ROOT_URLCONF = bonehealth.urls


@pytest.mark.django_db
def test_pagecache_scheduled_article_appears_on_every_list_with_no_save(client, site_urls, make_article, monkeypatch):
    """Worker A cached every list before the publication time; at that time it and a fresh worker B both show the
    article, with nothing saved in between (the clock alone moves the generation)."""
    from datetime import timedelta

    from django.utils import timezone

    from articles.models import Article, Topic

    start = timezone.now()
    clock = {"now": start}
    monkeypatch.setattr(timezone, "now", lambda: clock["now"])
    topic = Topic.objects.create(slug="k2", name="Vitamin K2")
    article = make_article(
        title="Scheduled K2 news", status=Article.Status.PUBLISHED, published_at=start + timedelta(hours=1)
    )
    article.topics.add(topic)
    lists = ["/", "/blog/", "/blog/feed/", "/sitemap.xml", "/blog/topic/k2/"]

    for url in lists:  # worker A caches every list while the article is still scheduled
        assert client.get(url).status_code == 200
        response = client.get(url)
        assert "ETag" in response, url
        assert article.slug not in response.text, url

    clock["now"] = start + timedelta(hours=1, seconds=1)
    for url in lists:
        assert article.slug in client.get(url).text, f"worker A, {url}"
    another_worker()
    for url in lists:
        response = client.get(url)
        assert article.slug in response.text, f"worker B, {url}"
        assert "ETag" in response


@pytest.mark.django_db
def test_pagecache_release_change_invalidates(client, settings):
    settings.RELEASE = "release-1"
    client.get("/page/")
    assert renders_of(client, "/page/")[1] == 0
    settings.RELEASE = "release-2"  # a deploy: new templates or static files, no migration
    assert renders_of(client, "/page/")[1] == 1
    assert renders_of(client, "/page/")[1] == 0


@pytest.mark.django_db
def test_pagecache_unrelated_cookie_still_gets_the_cached_page(client):
    first = client.get("/page/")
    response, renders = renders_of(client, "/page/", HTTP_COOKIE="_ga=GA1.1.123; consent=analytics")
    assert renders == 0
    assert response["ETag"] == first["ETag"]
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=5"
    assert not response.cookies


def test_pagecache_cookie_rule_is_the_one_nginx_uses():
    """deploy/nginx.conf bypasses its cache for the same cookies as the page cache, and for a declared charset."""
    from pathlib import Path

    from django.conf import settings

    conf = (Path(settings.BASE_DIR) / "deploy" / "nginx.conf").read_text()
    for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME):
        assert name in conf
    assert "$http_content_type" in conf and "charset" in conf
    for cookie, bypassed in [
        ("sessionid=1", True),
        ("a=1; csrftoken=2", True),
        ("_ga=1; consent=yes", False),
        ("mysessionid=1", False),
    ]:
        middleware = pagecache.PageCacheMiddleware(lambda request: None)
        assert bool(middleware.editor_cookie.search(cookie)) is bypassed, cookie


@pytest.mark.django_db
def test_pagecache_tracking_parameters_share_one_entry(client):
    client.get("/page/")
    for url in ["/page/?utm_source=news", "/page/?utm_source=x&utm_campaign=y", "/page/?fbclid=abc"]:
        response, renders = renders_of(client, url)
        assert (response.status_code, renders) == (200, 0), url


@pytest.mark.django_db
def test_pagecache_calculator_queries_share_a_page_only_when_the_form_reads_them_the_same(client):
    assert renders_of(client, "/calculator/?age=55&sex=female&food_milk=1.5")[1] == 1
    for same in [
        "/calculator/?sex=female&age=55&food_milk=1.5&utm_source=news",
        "/calculator/?age=055&sex=female&food_milk=1.50",
        "/calculator/?age=%2B55&sex=female&food_milk=01.5&ref=x",
    ]:
        assert renders_of(client, same)[1] == 0, same
    assert renders_of(client, "/calculator/?age=56&sex=female&food_milk=1.5")[1] == 1
    # The form refuses three decimal places: that answer is never stored, nor served from the valid one's entry.
    for _ in range(2):
        assert renders_of(client, "/calculator/?age=55&sex=female&food_milk=1.500")[1] == 1
    # A query with no form field binds the form (its page shows errors): never stored, never the empty form's entry.
    assert renders_of(client, "/calculator/")[1] == 1
    assert renders_of(client, "/calculator/")[1] == 0
    for _ in range(2):
        assert renders_of(client, "/calculator/?utm_source=x")[1] == 1


@pytest.mark.django_db
def test_pagecache_off_renders_every_request(client, settings):
    from django.test import Client

    settings.PAGE_CACHE = False  # DJANGO_PAGE_CACHE=False
    fresh = Client()
    assert renders_of(fresh, "/page/")[1] == 1
    response, renders = renders_of(fresh, "/page/")
    assert renders == 1
    assert "ETag" not in response


K2_FREE_QUESTION = {"age": 70, "sex": "female", "medications": ["warfarin"]}


def _assert_warfarin_answer(body):
    from calculator import panel

    assert "warfarin" in {warning["code"] for warning in body["warnings"]}
    k2_products = {offer.slug for offer in panel.get_catalogue().offers if offer.has_k2}
    assert k2_products, "the catalogue should hold K2 products for this test to mean anything"
    assert not {product["slug"] for product in body["recommendations"]} & k2_products


@pytest.mark.django_db
def test_api_charset_attack_leaves_the_warfarin_answer_intact(client, site_urls):
    import json

    honest = json.dumps(K2_FREE_QUESTION)
    without_warfarin = json.dumps({"age": 70, "sex": "female", "medications": []})
    crafted = [
        ("utf-7", honest.encode("utf-7")),
        ("utf-7", without_warfarin.encode("utf-7")),
        ("cp037", without_warfarin.encode("cp037")),
        ("utf-16", without_warfarin.encode("utf-16")),
        ("latin-1", without_warfarin.encode("latin-1")),
        ("x-unknown", honest.encode()),
    ]

    def ask():
        response = client.post("/api/intake/", honest, content_type="application/json")
        assert response.status_code == 200
        return response.json()

    _assert_warfarin_answer(ask())  # answered and remembered
    for _ in range(3):
        for charset, body in crafted:
            response = client.generic("POST", "/api/intake/", body, f"application/json; charset={charset}")
            assert response.status_code == 415, charset
            assert "content_type" in response.json()["errors"]
    _assert_warfarin_answer(ask())
    generation.bump()  # and with nothing remembered: the crafted requests stored nothing either
    for charset, body in crafted:
        client.generic("POST", "/api/intake/", body, f"application/json; charset={charset}")
    _assert_warfarin_answer(ask())
    utf8 = client.post("/api/intake/", honest, content_type="application/json; charset=UTF-8")
    _assert_warfarin_answer(utf8.json())


@pytest.mark.django_db
def test_get_with_a_declared_charset_bypasses_the_page_cache(client, site_urls):
    import re

    from calculator import panel

    honest = "/calculator/?age=70&sex=female&medications=warfarin"
    for _ in range(3):
        crafted = client.get(honest, CONTENT_TYPE="text/plain; charset=cp037")
        assert "ETag" not in crafted
        assert crafted["Cache-Control"] == "private"  # no shared cache may keep it either
    for _ in range(2):  # the first renders and stores, the second is the stored page
        page = client.get(honest)
        assert page.status_code == 200
        html = page.text
        assert "notice--critical" in html and "warfarin" in html.lower()
        k2_products = {offer.slug for offer in panel.get_catalogue().offers if offer.has_k2}
        assert not set(re.findall(r'data-product="([^"]+)"', html)) & k2_products
    assert "ETag" in page
    assert "ETag" not in client.get(honest, CONTENT_TYPE="text/plain; charset=cp037")


@pytest.mark.django_db
def test_results_pages_sharing_an_entry_print_the_same_address_without_tracking_parameters(client, site_urls):
    first = client.get("/calculator/?age=55&sex=female&fbclid=someone-elses-click&food_milk=1.50").text
    second = client.get("/calculator/?sex=female&age=055&food_milk=1.5&utm_source=news").text
    address = "/calculator/calendar.ics?age=55&amp;sex=female"  # the calendar link carries the canonical query
    assert address in first and address in second
    assert "fbclid" not in first and "someone-elses-click" not in second


@pytest.mark.django_db
def test_kale_written_two_ways_gets_each_its_own_answer(client, site_urls):
    """``1.5`` servings is an answer with the warfarin warning; ``1.500`` is refused by the form (two decimal places
    at most). However often and in whichever order they are asked, neither page is served for the other."""
    valid = "/calculator/?age=70&sex=female&medications=warfarin&food_kale=1.5"
    refused = "/calculator/?age=70&sex=female&medications=warfarin&food_kale=1.500"
    for url in [refused, valid, refused, refused, valid, refused]:
        page = client.get(url)
        assert page.status_code == 200
        html = page.text
        if url == valid:
            assert "notice--critical" in html and "warfarin" in html.lower()
            assert "at most 2 decimal places" not in html
        else:
            assert "at most 2 decimal places" in html
            assert "notice--critical" not in html


@pytest.mark.django_db
def test_a_cached_page_keeps_the_views_last_modified(client, site_urls, make_article):
    """The article says when it or anything it draws on last changed; the page cache passes that on (and answers
    If-Modified-Since with it), rather than the moment it stored the page."""
    import time

    from django.utils.http import parse_http_date

    before = int(time.time())
    article = make_article()
    after = time.time()
    time.sleep(1.1)  # the page is stored a (whole HTTP-date) second after the last save
    first = client.get(article.get_absolute_url())
    second = client.get(article.get_absolute_url())
    assert first["Last-Modified"] == second["Last-Modified"]
    assert before <= parse_http_date(first["Last-Modified"]) <= after
    assert second["ETag"] == first["ETag"]
    assert client.get(article.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
