"""Full-page cache for anonymous GET/HEAD requests, shared by every instance through the default cache.

Where it sits: right after SecurityMiddleware and WhiteNoise, before CSP, sessions, CSRF, auth and messages, so a
hit costs one small cache read (the content generation) and a dictionary lookup, nothing else. What it stores is the
response as those inner middlewares finished it, so a cached page carries the same CSP, frame and other headers as
a freshly rendered one (SecurityMiddleware, outside, adds its headers to both alike).

What is cached (all of it, or the request is passed through untouched):

- the request: GET or HEAD, no ``Cookie`` header at all (a reader has none: the site sets no cookie for readers),
  not the admin, ``/healthz`` or ``/go/…``, and no query string unless the path is on ``PAGE_CACHE_QUERY_PATHS``
  (the calculator results, the blog index and topic pages with ``?page=``, the recommendation panel fragment);
- the response: status 200, not streaming, no ``Set-Cookie``, no ``Cache-Control`` saying private/no-cache/no-store,
  no ``Vary`` other than ``Cookie``/``Accept-Encoding``, and no CSP nonce (a nonce must be new on every response).

The key is the content generation plus scheme, host, path and query (the page prints its canonical URL). The
generation is a counter in the shared cache, bumped when any model of the content apps (``articles``,
``calculator``) is saved or deleted, or an m2m relation changes, and after every ``migrate`` (a deploy). Old entries
are never read again and expire on their own. Queryset ``.update()`` sends no signal, so counting clicks does not
empty the cache. Each worker also keeps a small in-process copy of recent entries, keyed by the same generation, so
a hit does not move the page over the network; the generation itself is read from the shared cache on every
request, which is what makes an edit through one instance visible on the next request to any other.

With the default local-memory cache (``make run``: one machine, several gunicorn workers, each with its own cache)
the generation is the modification time of a small file beside the SQLite database (``generation_file()``): a save
in any process on the machine, the admin or a ``manage.py shell``, moves it, and every worker sees that with one
``stat`` per request.

``FastPath`` (wrapped around the WSGI application in bonehealth/wsgi.py) replays a page this worker already served
from the cache without building a Django request at all, under the same generation check; see its docstring.

HTTP: every cached page carries a strong ``ETag`` (hash of the body, computed once when stored), ``Last-Modified``
(when it was stored) and ``Cache-Control: public, max-age=0, s-maxage=PAGE_CACHE_SHARED_MAX_AGE`` (default 5): a
browser revalidates every time (and gets a 304 without a render), a shared cache such as the nginx front in
``deploy/nginx.conf`` may hold the page for a few seconds. So an editor's change is visible at once to requests
that reach gunicorn, and within ``PAGE_CACHE_SHARED_MAX_AGE`` seconds behind such a front.

Compression: a gzip copy of each page (level 6) is made once when stored and sent to clients that accept gzip
(``Vary: Accept-Encoding``), with its own ETag.

JSON questions: a POST to an ``ANSWERED_POST_PATHS`` endpoint (the intake API, whose answer depends only on the body
and the content) is answered from the cache when the same question, in canonical JSON, was answered under the same
generation; otherwise the view answers and a 200 is kept.

If the shared cache is unreachable (``ResilientRedisCache`` answers with misses), the generation cannot be read and
every request is rendered as usual, without cache headers.
"""

import gzip
import hashlib
import json
import logging
import os
import re
import tempfile
import time
from collections import OrderedDict
from pathlib import Path

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.http import http_date, parse_http_date_safe

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
ENTRY_FORMAT = 1  # bump when the stored tuple changes shape
# Apps whose rows show up on pages: saving any of their models empties the page cache.
CONTENT_APPS = frozenset({"articles", "calculator"})
# Saves that only touch these fields change nothing a page shows (a click counter bumped with save(update_fields=…)).
IGNORED_UPDATE_FIELDS = frozenset({"click_count", "updated"})
DEFAULT_QUERY_PATHS = (
    r"^/calculator/$",
    r"^/blog/$",
    r"^/blog/search/$",
    r"^/blog/topic/[^/]+/$",
    r"^/recommendations/panel/$",
)
# POST endpoints whose answer depends only on the JSON body and the content (the intake API); their answers are kept
# like pages. Bodies above the limit go to the view, which refuses them.
ANSWERED_POST_PATHS = frozenset({"/api/intake/"})
ANSWERED_BODY_LIMIT = 64 * 1024
# Headers that are recomputed per variant, or that a stored page must never replay.
_PER_VARIANT = frozenset({"content-length", "content-encoding", "etag", "last-modified", "cache-control", "vary"})
_NOT_MODIFIED_DROP = frozenset({"content-type", "content-length", "content-encoding"})
_ALLOWED_VARY = frozenset({"cookie", "accept-encoding", ""})
_UNCACHEABLE_DIRECTIVES = frozenset({"private", "no-cache", "no-store"})


_memo = {}


def _setting(name, default):
    return getattr(settings, name, default)


def new_generation():
    """A fresh generation (microseconds since the epoch): bumps add 1, each taking longer than a microsecond, so a
    counter that was lost (cache flushed, key evicted) restarts above every number it ever reached."""
    return time.time_ns() // 1_000


def generation_file():
    """Where processes that do not share a cache (``LocMemCache``: ``make run``'s workers, a ``manage.py shell``)
    share the generation: beside the SQLite database by default (it names the content it stands for), or
    ``PAGE_CACHE_GENERATION_FILE``."""
    if _memo.get("file") is None:
        configured = _setting("PAGE_CACHE_GENERATION_FILE", None)
        database = settings.DATABASES["default"]
        name = str(database.get("NAME") or "")
        if configured:
            path = Path(configured)
        elif database["ENGINE"].endswith("sqlite3") and name and not name.startswith((":memory:", "file:")):
            path = Path(f"{name}-pagecache")
        else:
            tag = hashlib.blake2b(str(settings.BASE_DIR).encode(), digest_size=6).hexdigest()
            path = Path(tempfile.gettempdir()) / f"bonehealth-pagecache-{tag}"
        _memo["file"] = path
    return _memo["file"]


def _process_local_cache():
    return isinstance(caches["default"], LocMemCache)


def _file_generation(path):
    try:
        return os.stat(path).st_mtime_ns
    except FileNotFoundError:
        _touch(path)
        return os.stat(path).st_mtime_ns


def _touch(path):
    """Move the file's mtime forward (never back, never to the same value), creating it if needed."""
    now = time.time_ns()
    try:
        old = os.stat(path).st_mtime_ns
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
        old = 0
    os.utime(path, ns=(now, max(now, old + 1)))


def current_generation():
    """The content generation, created if missing; None when the shared cache is unreachable.

    With a shared cache (Redis) it is a counter there, read on every request. With a process-local cache it is the
    generation file's mtime, which every process on the machine sees at the cost of one ``stat``.
    """
    if _process_local_cache():
        return _file_generation(generation_file())
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = new_generation()
        if not cache.add(GENERATION_KEY, generation, timeout=None):
            return None  # the cache is down, or another worker just created it: this one request goes uncached
    return generation


_per_process = {}


def per_generation(key, load):
    """``load()``'s result, kept in this process until the content generation moves (any content save, on any
    instance). For data every request needs, such as the calculator's reference snapshot and the product catalogue:
    one generation read instead of a shared-cache round trip and an unpickle per request."""
    generation = current_generation()
    if generation is None:  # shared cache unreachable: no way to know when to drop a copy, so keep none
        return load()
    kept = _per_process.get(key)
    if kept is not None and kept[0] == generation:
        return kept[1]
    value = load()
    _per_process[key] = (generation, value)
    return value


def bump_generation():
    """Invalidate every cached page on every instance: later requests use new keys."""
    if _process_local_cache():
        try:
            _touch(generation_file())
        except OSError as error:
            logger.error(
                "page cache: cannot update %s (%s); other workers serve cached pages until they expire",
                generation_file(),
                error,
            )
        return
    try:
        generation = cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet (or evicted): start a new one that no old entry can match
        generation = None
    if generation is None:
        cache.set(GENERATION_KEY, new_generation(), timeout=None)
    _local.clear()


def _settings_changed(setting, **kwargs):
    if setting in ("PAGE_CACHE_GENERATION_FILE", "DATABASES", "BASE_DIR"):
        _memo.clear()


def _content_changed(sender, **kwargs):
    if sender._meta.app_label not in CONTENT_APPS:
        return
    update_fields = kwargs.get("update_fields")
    if update_fields and frozenset(update_fields) <= IGNORED_UPDATE_FIELDS:
        return
    bump_generation()
    # A request served between the save and its commit still reads the old rows and may store them under the new
    # generation; a second bump once the new rows are visible makes that copy unreachable.
    transaction.on_commit(bump_generation, using=kwargs.get("using"))


def _m2m_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        _content_changed(sender)


def _migrated(sender, **kwargs):
    if sender.label in CONTENT_APPS:
        bump_generation()


def connect_signals():
    """Called from BoneHealthConfig.ready(): invalidation must work in the admin, shells and commands alike."""
    from django.core.signals import setting_changed
    from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

    post_save.connect(_content_changed, dispatch_uid="pagecache.post_save")
    post_delete.connect(_content_changed, dispatch_uid="pagecache.post_delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="pagecache.m2m_changed")
    post_migrate.connect(_migrated, dispatch_uid="pagecache.post_migrate")
    setting_changed.connect(_settings_changed, dispatch_uid="pagecache.setting_changed")


class _LocalEntries:
    """A small per-process LRU of entries; keys carry the generation, so it is never stale, only bounded."""

    def __init__(self, size):
        self.size = size
        self.entries = OrderedDict()

    def get(self, key):
        entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
        return entry

    def put(self, key, entry):
        self.entries[key] = entry
        if len(self.entries) > self.size:
            self.entries.popitem(last=False)

    def clear(self):
        self.entries.clear()


_local = _LocalEntries(size=256)


class Entry:
    """One stored page: the finished headers and body, its gzip copy, their ETags, and when it was stored.

    The shared cache holds it as a plain tuple (``as_tuple``), so a deploy that changes this class cannot make an old
    entry fail to unpickle.
    """

    _FIELDS = ("body", "gzip_body", "etag", "gzip_etag", "headers", "vary", "cache_control", "stored")
    __slots__ = (*_FIELDS, "last_modified")

    def __init__(self, *, body, headers, vary, cache_control, stored, gzip_body, etag, gzip_etag):
        self.body = body
        self.gzip_body = gzip_body
        self.etag = etag
        self.gzip_etag = gzip_etag
        self.headers = headers  # tuple of (name, value), without the per-variant ones
        self.vary = vary
        self.cache_control = cache_control
        self.stored = stored
        self.last_modified = http_date(stored)

    @classmethod
    def from_response(cls, response, *, cache_control):
        body = response.content
        digest = hashlib.blake2b(body, digest_size=16).hexdigest()
        compressed = gzip.compress(body, compresslevel=6, mtime=0) if len(body) >= 200 else None
        if compressed is None or len(compressed) >= len(body):
            compressed = None
        vary = [part.strip() for part in response.get("Vary", "").split(",") if part.strip()]
        if compressed is not None and "accept-encoding" not in {part.lower() for part in vary}:
            vary.append("Accept-Encoding")
        return cls(
            body=body,
            gzip_body=compressed,
            etag=f'"{digest}"',
            gzip_etag=f'"{digest}-gz"' if compressed is not None else None,
            headers=tuple((name, value) for name, value in response.items() if name.lower() not in _PER_VARIANT),
            vary=", ".join(vary),
            cache_control=response.get("Cache-Control") or cache_control,
            stored=int(time.time()),
        )

    def as_tuple(self):
        return (ENTRY_FORMAT, *(getattr(self, name) for name in self._FIELDS))

    @classmethod
    def from_tuple(cls, stored):
        if not isinstance(stored, tuple) or not stored or stored[0] != ENTRY_FORMAT:
            return None
        return cls(**dict(zip(cls._FIELDS, stored[1:], strict=True)))

    def not_modified(self, request):
        """RFC 9110 section 13.2.2: If-None-Match wins; If-Modified-Since only when there is no If-None-Match."""
        if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
        if if_none_match is not None:
            if if_none_match.strip() == "*":
                return True
            tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            return self.etag in tags or (self.gzip_etag is not None and self.gzip_etag in tags)
        if_modified_since = request.META.get("HTTP_IF_MODIFIED_SINCE")
        if if_modified_since is not None:
            since = parse_http_date_safe(if_modified_since)
            return since is not None and self.stored <= since
        return False

    def response(self, request):
        use_gzip = self.gzip_body is not None and "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")
        body, etag = (self.gzip_body, self.gzip_etag) if use_gzip else (self.body, self.etag)
        if self.not_modified(request):
            response = HttpResponseNotModified()
            for name, value in self.headers:
                if name.lower() not in _NOT_MODIFIED_DROP:
                    response.headers[name] = value
        else:
            response = HttpResponse(body)
            for name, value in self.headers:
                response.headers[name] = value
            response.headers["Content-Length"] = str(len(body))
            if use_gzip:
                response.headers["Content-Encoding"] = "gzip"
        response.headers["ETag"] = etag
        response.headers["Last-Modified"] = self.last_modified
        response.headers["Cache-Control"] = self.cache_control
        if self.vary:
            response.headers["Vary"] = self.vary
        return response


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.excluded_prefixes = ("/" + settings.ADMIN_URL, "/healthz", "/go/")
        self.query_paths = re.compile("|".join(_setting("PAGE_CACHE_QUERY_PATHS", DEFAULT_QUERY_PATHS)))
        self.timeout = _setting("PAGE_CACHE_TIMEOUT", 600)
        self.query_timeout = _setting("PAGE_CACHE_QUERY_TIMEOUT", 120)
        shared_max_age = _setting("PAGE_CACHE_SHARED_MAX_AGE", 5)
        self.cache_control = f"public, max-age=0, s-maxage={shared_max_age}"

    def __call__(self, request):
        if request.method == "POST" and request.path_info in ANSWERED_POST_PATHS:
            return self.answer(request)
        if not self.request_is_cacheable(request):
            response = self.get_response(request)
            if request.META.get("HTTP_COOKIE") and "Cache-Control" not in response:
                # Rendered for someone with cookies (an editor): no shared cache may keep it.
                response.headers["Cache-Control"] = "private"
            return response
        generation = current_generation()
        if generation is None:  # shared cache down: serve uncached
            return self.get_response(request)
        query = request.META.get("QUERY_STRING", "")
        url = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
        key = f"pagecache:{generation}:{hashlib.blake2b(url.encode(), digest_size=16).hexdigest()}"
        # A local-memory cache is this process's own: the in-process copy would only duplicate it.
        shared = not _process_local_cache()
        entry = _local.get(key) if shared else None
        if entry is None:
            entry = Entry.from_tuple(cache.get(key))
            if entry is not None and shared:
                _local.put(key, entry)
        if entry is not None:
            return self.served(entry, request, generation)
        response = self.get_response(request)
        if request.method != "GET" or not self.response_is_cacheable(response):
            return response
        entry = Entry.from_response(response, cache_control=self.cache_control)
        cache.set(key, entry.as_tuple(), self.query_timeout if query else self.timeout)
        if shared:
            _local.put(key, entry)
        return self.served(entry, request, generation)

    def answer(self, request):
        """A JSON question (``ANSWERED_POST_PATHS``) asked before under the same content generation gets the same
        answer: the view is pure given the body and the content. Stored like a page, with its finished headers; keyed
        by the body's canonical JSON, so key order and spacing do not matter. Anything unusual goes to the view."""
        key = self.question_key(request)
        if key is None:
            return self.get_response(request)
        stored = cache.get(key)
        if isinstance(stored, tuple) and len(stored) == 3 and stored[0] == ENTRY_FORMAT:
            response = HttpResponse(stored[2])
            for name, value in stored[1]:
                response.headers[name] = value
            return response
        response = self.get_response(request)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            headers = tuple((name, value) for name, value in response.items() if name.lower() != "content-length")
            cache.set(key, (ENTRY_FORMAT, headers, response.content), self.query_timeout)
        return response

    @staticmethod
    def question_key(request):
        if request.content_type != "application/json":
            return None
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return None
        if not 0 < length <= ANSWERED_BODY_LIMIT:
            return None
        generation = current_generation()
        if generation is None:
            return None
        try:
            question = json.loads(request.body)
        except (ValueError, RecursionError):  # the view explains what is wrong with it
            return None
        canonical = json.dumps(question, sort_keys=True, separators=(",", ":")).encode()
        digest = hashlib.blake2b(canonical, digest_size=16).hexdigest()
        return f"pagecache:answer:{generation}:{request.path_info}:{digest}"

    @staticmethod
    def served(entry, request, generation):
        response = entry.response(request)
        if response.status_code == 200:
            response._pagecache_generation = generation  # FastPath may replay it while the generation holds
        return response

    def request_is_cacheable(self, request):
        if request.method not in ("GET", "HEAD") or request.META.get("HTTP_COOKIE"):
            return False
        path = request.path_info
        if path.startswith(self.excluded_prefixes):
            return False
        return not request.META.get("QUERY_STRING") or self.query_paths.match(path) is not None

    @staticmethod
    def response_is_cacheable(response):
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if "Content-Encoding" in response:
            return False
        cache_control = response.get("Cache-Control", "")
        if cache_control:
            directives = {part.split("=", 1)[0].strip().lower() for part in cache_control.split(",")}
            if directives & _UNCACHEABLE_DIRECTIVES:
                return False
        vary = response.get("Vary", "")
        if vary and not {part.strip().lower() for part in vary.split(",")} <= _ALLOWED_VARY:
            return False
        csp = response.get("Content-Security-Policy", "") + response.get("Content-Security-Policy-Report-Only", "")
        return "'nonce-" not in csp


class FastPath:
    """WSGI wrapper (bonehealth/wsgi.py) that replays a page the middleware served, before Django's request handling.

    A hit through Django costs a request object, two signals, the middleware chain and a response object; for a
    page that is already cached that is most of the time spent. When PageCacheMiddleware serves a full 200 page it
    marks the response with the generation; this wrapper records the final status, headers (SecurityMiddleware's
    included) and body under the raw request's scheme, host and forwarding headers, path, query and gzip choice. A
    later request with exactly those, no cookie and no conditional header is answered from that record while the
    content generation is unchanged (read on every request, as the middleware does). Everything else, and any
    request the middleware would not cache (it never marked one), goes to Django as usual.

    Host validation and the HTTPS redirect are not skipped in effect: a record exists only for a raw host and scheme
    that Django accepted and answered with a page.
    """

    def __init__(self, application, size=256):
        self.application = application
        self.size = size
        self.records = OrderedDict()
        ssl_header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
        self.forwarded = tuple(
            dict.fromkeys(
                ["HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT", "HTTP_X_FORWARDED_PROTO"]
                + ([ssl_header[0]] if ssl_header else [])
            )
        )

    def key(self, environ):
        return (
            environ.get("wsgi.url_scheme"),
            environ.get("HTTP_HOST"),
            environ.get("SERVER_NAME"),
            environ.get("SERVER_PORT"),
            *(environ.get(name) for name in self.forwarded),
            environ.get("SCRIPT_NAME", ""),
            environ.get("PATH_INFO", ""),
            environ.get("QUERY_STRING", ""),
            "gzip" in environ.get("HTTP_ACCEPT_ENCODING", ""),
        )

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD")
        if (
            (method != "GET" and method != "HEAD")
            or environ.get("HTTP_COOKIE")
            or "HTTP_IF_NONE_MATCH" in environ
            or "HTTP_IF_MODIFIED_SINCE" in environ
        ):
            return self.application(environ, start_response)
        key = self.key(environ)
        record = self.records.get(key)
        if record is not None:
            try:
                generation = current_generation()
            except Exception:  # never let the shortcut fail a request: Django will answer it
                logger.exception("page cache fast path failed")
                generation = None
            if generation is not None and record[0] == generation:
                start_response(record[1], list(record[2]))
                return [record[3]]
        captured = []

        def capture(status, headers, exc_info=None):
            captured[:] = [status, headers]
            return start_response(status, headers, exc_info)

        response = self.application(environ, capture)
        generation = getattr(response, "_pagecache_generation", None)
        if generation is not None and captured and captured[0].startswith("200"):
            self.records[key] = (generation, captured[0], tuple(captured[1]), response.content)
            if len(self.records) > self.size:
                self.records.popitem(last=False)
        return response
