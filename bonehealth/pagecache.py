"""Full-page cache for anonymous GET/HEAD requests (``PAGE_CACHE``, env ``DJANGO_PAGE_CACHE``; on by default).

Where it sits: right after SecurityMiddleware and WhiteNoise, before CSP, sessions, CSRF, auth and messages. It
stores the response as those inner middlewares finished it, so a cached page carries the same CSP and frame headers
as a fresh one (SecurityMiddleware, outside, adds its headers to both alike).

**The rule** (the same in ``deploy/nginx.conf``): a GET or HEAD is answered from the cache, or stored, unless

- it carries a session or CSRF cookie (``SESSION_COOKIE_NAME``, ``CSRF_COOKIE_NAME``: an editor); any other cookie
  (analytics, consent) changes nothing, since no page reads one;
- its ``Content-Type`` declares a charset (Django would decode the query string with it);
- its path is the admin, ``/healthz`` or ``/go/…``.

Only 200 responses without ``Set-Cookie``, without ``Cache-Control: private/no-cache/no-store``, without a ``Vary``
other than ``Cookie``/``Accept-Encoding`` and without a CSP nonce are stored.

**The key** is scheme, host, path and the canonical query: ``PAGE_CACHE_QUERY`` maps a path pattern to the
parameters that page reads (a tuple), or to a function that returns the canonical query (the calculator keeps only
its form's fields, in the form's order, with normalized numbers). Every other parameter (``?utm_source=…``) is still
sent to the view but not part of the key. The **version** (Django's cache versioning) is the content generation
token (``bonehealth.generation``): release, content counter and publication clock. So a save, a deploy, or a
scheduled article's time all make every stored page unreachable, on every worker and instance.

**The store** is the ``pages`` cache alias (Redis when ``CACHE_URL`` is Redis, bounded by Redis's ``maxmemory``;
else an in-process LRU bounded in entries and bytes). With Redis, each worker also keeps recent pages in a small
in-process LRU in front of it, under the same keys, versions and timeouts.

HTTP: a stored page carries a strong ``ETag``, ``Last-Modified`` and ``Cache-Control: public, max-age=0,
s-maxage=PAGE_CACHE_SHARED_MAX_AGE`` (5): browsers revalidate (304 through ``get_conditional_response``), a shared
front keeps the page a few seconds. A gzip copy is made once when stored (``Vary: Accept-Encoding``).

``FastPath`` (bonehealth/wsgi.py) replays a page this worker served before Django builds a request, under exactly
the same rule, version and expiry. If the shared cache is down, the token is unknown and nothing is cached.
"""

import gzip
import hashlib
import re
import time
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.module_loading import import_string

from bonehealth import generation
from bonehealth.cache import BoundedMemoryCache

_PER_VARIANT = frozenset({"content-length", "content-encoding", "etag", "last-modified", "cache-control", "vary"})
_NOT_MODIFIED_DROP = frozenset({"content-type", "content-length", "content-encoding"})
_ALLOWED_VARY = frozenset({"cookie", "accept-encoding"})
_UNCACHEABLE_DIRECTIVES = frozenset({"private", "no-cache", "no-store"})
DEFAULT_QUERY = {
    r"^/calculator/$": "calculator.keys.page_query",
    r"^/calculator/calendar\.ics$": "calculator.keys.page_query",  # the same answers' calendar file
    r"^/blog/$": ("page",),
    r"^/blog/topic/[^/]+/$": ("page",),
    r"^/blog/search/$": ("q", "page"),
    r"^/recommendations/panel/$": ("article",),
    r"^/sitemap\.xml$": ("p",),
}


def editor_cookie():
    """The cookies that turn the cache off (nginx's ``$bonehealth_bypass`` map is the same expression)."""
    names = "|".join(re.escape(name) for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME))
    return re.compile(rf"(?:^|;)\s*(?:{names})=")


def is_cacheable_request(method, cookie, content_type):
    """The one rule for the middleware and FastPath (and nginx): GET/HEAD, no editor cookie, no declared charset."""
    if method != "GET" and method != "HEAD":
        return False
    if cookie and _rules().editor_cookie.search(cookie):
        return False
    return "charset" not in content_type.lower()


class _Rules:
    def __init__(self):
        self.editor_cookie = editor_cookie()


def _rules():
    rules = getattr(_rules, "cached", None)
    if rules is None:
        rules = _rules.cached = _Rules()
    return rules


def _reset_rules(**kwargs):
    _rules.cached = None


class Entry:
    """One stored page: finished headers and body, its gzip copy, their ETags, when it was stored. Immutable."""

    __slots__ = ("body", "gzip_body", "etag", "gzip_etag", "headers", "vary", "cache_control", "stored", "size")

    def __init__(self, response, *, cache_control):
        body = response.content
        digest = hashlib.blake2b(body, digest_size=16).hexdigest()
        compressed = gzip.compress(body, compresslevel=6, mtime=0) if len(body) >= 200 else None
        self.body = body
        self.gzip_body = compressed if compressed is not None and len(compressed) < len(body) else None
        self.etag = f'"{digest}"'
        self.gzip_etag = f'"{digest}-gz"'
        if self.gzip_body is not None:
            patch_vary_headers(response, ("Accept-Encoding",))
        self.vary = response.get("Vary", "")
        self.headers = tuple((name, value) for name, value in response.items() if name.lower() not in _PER_VARIANT)
        self.cache_control = response.get("Cache-Control") or cache_control
        self.stored = int(time.time())
        self.size = len(body) + len(self.gzip_body or b"") + 1024

    def response(self, request):
        use_gzip = self.gzip_body is not None and "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")
        body, etag = (self.gzip_body, self.gzip_etag) if use_gzip else (self.body, self.etag)
        response = HttpResponse(body)
        for name, value in self.headers:
            response.headers[name] = value
        response.headers["Content-Length"] = str(len(body))
        if use_gzip:
            response.headers["Content-Encoding"] = "gzip"
        response.headers["ETag"] = etag
        response.headers["Last-Modified"] = http_date(self.stored)
        response.headers["Cache-Control"] = self.cache_control
        if self.vary:
            response.headers["Vary"] = self.vary
        conditional = get_conditional_response(request, etag=etag, last_modified=self.stored, response=response)
        if conditional is not response:  # 304 (or 412): keep the page's security headers on it
            for name, value in self.headers:
                if name.lower() not in _NOT_MODIFIED_DROP and name not in conditional:
                    conditional.headers[name] = value
        return conditional


class PageCacheMiddleware:
    def __init__(self, get_response):
        if not getattr(settings, "PAGE_CACHE", True):
            raise MiddlewareNotUsed("DJANGO_PAGE_CACHE is off")
        self.get_response = get_response
        self.alias = getattr(settings, "PAGE_CACHE_ALIAS", "pages")
        self.excluded = ("/" + settings.ADMIN_URL, "/healthz", "/go/")
        self.queries = [
            (re.compile(pattern), import_string(rule) if isinstance(rule, str) else tuple(rule))
            for pattern, rule in getattr(settings, "PAGE_CACHE_QUERY", DEFAULT_QUERY).items()
        ]
        self.timeout = getattr(settings, "PAGE_CACHE_TIMEOUT", 600)
        self.query_timeout = getattr(settings, "PAGE_CACHE_QUERY_TIMEOUT", 120)
        self.cache_control = f"public, max-age=0, s-maxage={getattr(settings, 'PAGE_CACHE_SHARED_MAX_AGE', 5)}"

    @property
    def pages(self):
        return caches[self.alias]

    def __call__(self, request):
        key = self.key(request)
        if key is None:
            response = self.get_response(request)
            personal = request.META.get("HTTP_COOKIE") or "charset" in request.META.get("CONTENT_TYPE", "").lower()
            if personal and "Cache-Control" not in response:
                # Rendered for an editor, or for a request that chose how its query is decoded: no shared cache
                # (a CDN, a proxy) may keep it for anybody else.
                response.headers["Cache-Control"] = "private"
            return response
        version = generation.token()
        if version is None:  # shared cache down: serve uncached
            return self.get_response(request)
        stored = self.lookup(key, version)
        if stored is None:
            response = self.get_response(request)
            if request.method != "GET" or not self.response_is_cacheable(response):
                return response
            timeout = self.query_timeout if request.META.get("QUERY_STRING") else self.timeout
            stored = (time.time() + timeout, Entry(response, cache_control=self.cache_control))
            self.pages.set(key, stored, timeout, version=version)
            if _front(self.pages) is not None:
                _front(self.pages).set(key, stored, timeout, version=version)
        expires, entry = stored
        response = entry.response(request)
        if response.status_code == 200:
            response.page_cache = (version, expires)  # FastPath may replay it under the same version and expiry
        return response

    def lookup(self, key, version):
        front = _front(self.pages)
        stored = front.get(key, version=version) if front is not None else None
        if stored is None:
            stored = self.pages.get(key, version=version)
            if not (isinstance(stored, tuple) and len(stored) == 2 and isinstance(stored[1], Entry)):
                return None
            if front is not None:
                front.set(key, stored, max(1, int(stored[0] - time.time())), version=version)
        return stored

    def key(self, request):
        """The page's key, or None when the request is not cached (the rule in this module's docstring)."""
        meta = request.META
        if not is_cacheable_request(request.method, meta.get("HTTP_COOKIE", ""), meta.get("CONTENT_TYPE", "")):
            return None
        path = request.path_info
        if path.startswith(self.excluded):
            return None
        query = ""
        if meta.get("QUERY_STRING"):
            for pattern, rule in self.queries:
                if pattern.match(path):
                    if callable(rule):
                        query = rule(request.GET)
                    else:
                        query = urlencode([(name, value) for name in rule for value in request.GET.getlist(name)])
                    break
        url = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
        return "page:" + hashlib.blake2b(url.encode(), digest_size=16).hexdigest()

    @staticmethod
    def response_is_cacheable(response):
        if response.status_code != 200 or response.streaming or response.cookies or "Content-Encoding" in response:
            return False
        cache_control = response.get("Cache-Control", "")
        if {part.split("=", 1)[0].strip().lower() for part in cache_control.split(",")} & _UNCACHEABLE_DIRECTIVES:
            return False
        vary = {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}
        if not vary <= _ALLOWED_VARY:
            return False
        csp = response.get("Content-Security-Policy", "") + response.get("Content-Security-Policy-Report-Only", "")
        return "'nonce-" not in csp


_fronts = {}


def _front(pages):
    """The in-process LRU in front of a shared (network) store; None when the store is this process's own."""
    if isinstance(pages, BoundedMemoryCache):
        return None
    location = getattr(settings, "PAGE_CACHE_ALIAS", "pages")
    front = _fronts.get(location)
    if front is None:
        options = {"MAX_ENTRIES": 256, "MAX_BYTES": getattr(settings, "PAGE_CACHE_FRONT_BYTES", 32 * 1024 * 1024)}
        front = _fronts[location] = BoundedMemoryCache(f"pagecache-front-{location}", {"OPTIONS": options})
    return front


def clear_process_copies():
    """Tests: another worker has nothing in its memory."""
    for front in _fronts.values():
        front.clear()


class FastPath:
    """WSGI wrapper that replays a page this worker's middleware served, before Django builds a request.

    The middleware marks a 200 it served from a stored entry with the entry's version and expiry; this wrapper keeps
    the final status, headers (SecurityMiddleware's included) and body under the raw request's scheme, host,
    forwarding headers, path, query and gzip choice, in a bounded LRU that expires with the entry. A later request
    with exactly those, that the same rule allows (``is_cacheable_request``) and without a conditional header, is
    answered while the content generation token is unchanged. Everything else goes to Django. Host validation and
    the HTTPS redirect are not skipped in effect: a record exists only for a host and scheme Django accepted.
    """

    def __init__(self, application):
        self.application = application
        self.records = BoundedMemoryCache("pagecache-fastpath", {"OPTIONS": {"MAX_ENTRIES": 256}})
        ssl_header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
        forwarded = ["HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT", "HTTP_X_FORWARDED_PROTO"]
        self.forwarded = tuple(dict.fromkeys(forwarded + ([ssl_header[0]] if ssl_header else [])))

    def key(self, environ):
        parts = (
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
        return "fast:" + hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()

    def __call__(self, environ, start_response):
        if (
            not is_cacheable_request(
                environ.get("REQUEST_METHOD"), environ.get("HTTP_COOKIE", ""), environ.get("CONTENT_TYPE", "")
            )
            or "HTTP_IF_NONE_MATCH" in environ
            or "HTTP_IF_MODIFIED_SINCE" in environ
        ):
            return self.application(environ, start_response)
        key = self.key(environ)
        version = generation.token()
        record = self.records.get(key, version=version) if version is not None else None
        if record is not None:
            start_response(record[0], list(record[1]))
            return [record[2]]
        captured = []

        def capture(status, headers, exc_info=None):
            captured[:] = [status, headers]
            return start_response(status, headers, exc_info)

        response = self.application(environ, capture)
        marked = getattr(response, "page_cache", None)
        if marked is not None and captured and captured[0].startswith("200"):
            stored_version, expires = marked
            remaining = int(expires - time.time())
            if remaining > 0:
                self.records.set(key, (captured[0], tuple(captured[1]), response.content), remaining, stored_version)
        return response


def connect_signals():
    from django.core.signals import setting_changed

    setting_changed.connect(_reset_rules, dispatch_uid="pagecache.rules")
