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

**The key** is scheme, host, path and the page's part of the query: ``PAGE_CACHE_QUERY`` maps a path pattern to the
parameters that page reads (a tuple), or to a function of the query that returns its key part, or None when the
answer must not be stored. The calculator's function (``intake_form_query``) binds the intake form and keys the
answer by the form's **validated data**, so two URLs share a page only when the form treats them the same; an invalid
form is answered afresh every time, never stored. Every other parameter (``?utm_source=…``) is still sent to the view
but is not part of the key. The **version** (Django's cache versioning) is the content generation token
(``bonehealth.generation``): release, content counter and publication clock. So a save, a deploy, or a scheduled
article's time all make every stored page unreachable, on every worker and instance.

**The store** is the ``pages`` cache alias: Redis when ``CACHE_URL`` is Redis (bounded by Redis's ``maxmemory``),
else each process's ``LocMemCache``. If the shared cache is down, the token is unknown and nothing is cached.

HTTP: a stored page carries a strong ``ETag``, the view's ``Last-Modified`` (or the time it was stored) and
``Cache-Control: public, max-age=0, s-maxage=PAGE_CACHE_SHARED_MAX_AGE`` (5): browsers revalidate (304 through
``get_conditional_response``), a shared front keeps the page a few seconds. A gzip copy is made once when stored
(``Vary: Accept-Encoding``).
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
from django.utils.http import http_date, parse_http_date_safe
from django.utils.module_loading import import_string

from bonehealth import generation

_PER_VARIANT = frozenset({"content-length", "content-encoding", "etag", "last-modified", "cache-control", "vary"})
_NOT_MODIFIED_DROP = frozenset({"content-type", "content-length", "content-encoding"})
_ALLOWED_VARY = frozenset({"cookie", "accept-encoding"})
_UNCACHEABLE_DIRECTIVES = frozenset({"private", "no-cache", "no-store"})
DEFAULT_QUERY = {
    r"^/calculator/$": "bonehealth.pagecache.intake_form_query",
    r"^/calculator/calendar\.ics$": "bonehealth.pagecache.intake_form_query",
    r"^/calculator/edit/$": "bonehealth.pagecache.intake_form_query",
    r"^/blog/$": ("page",),
    r"^/blog/topic/[^/]+/$": ("page",),
    r"^/blog/search/$": ("q", "page"),
    r"^/recommendations/panel/$": ("article",),
    r"^/sitemap\.xml$": ("p",),
}


def intake_form_query(query) -> str | None:
    """The calculator's key part: the intake form's validated data, or None (not stored) when the form is invalid.
    A query with none of the form's fields still binds the form (its page shows the errors), so it is not stored."""
    from calculator import keys, services
    from calculator.forms import IntakeForm

    form = IntakeForm(query, reference=services.get_reference())
    if not form.is_valid():
        return None
    return keys.canonical_answers(form)


class Entry:
    """One stored page: finished headers and body, its gzip copy, their ETags, its Last-Modified. Immutable."""

    __slots__ = ("body", "gzip_body", "etag", "gzip_etag", "headers", "vary", "cache_control", "last_modified")

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
        # The view's own Last-Modified (an article: the later of its save and the content's last change) when it set
        # one, else when the page was stored.
        self.last_modified = parse_http_date_safe(response.get("Last-Modified", "")) or int(time.time())

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
        response.headers["Last-Modified"] = http_date(self.last_modified)
        response.headers["Cache-Control"] = self.cache_control
        if self.vary:
            response.headers["Vary"] = self.vary
        conditional = get_conditional_response(request, etag=etag, last_modified=self.last_modified, response=response)
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
        names = "|".join(re.escape(name) for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME))
        self.editor_cookie = re.compile(rf"(?:^|;)\s*(?:{names})=")
        self.queries = [
            (re.compile(pattern), import_string(rule) if isinstance(rule, str) else tuple(rule))
            for pattern, rule in getattr(settings, "PAGE_CACHE_QUERY", DEFAULT_QUERY).items()
        ]
        self.timeout = getattr(settings, "PAGE_CACHE_TIMEOUT", 600)
        self.query_timeout = getattr(settings, "PAGE_CACHE_QUERY_TIMEOUT", 120)
        self.cache_control = f"public, max-age=0, s-maxage={getattr(settings, 'PAGE_CACHE_SHARED_MAX_AGE', 5)}"

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
        pages = caches[self.alias]
        entry = pages.get(key, version=version)
        if not isinstance(entry, Entry):
            response = self.get_response(request)
            if request.method != "GET" or not self.response_is_cacheable(response):
                return response
            entry = Entry(response, cache_control=self.cache_control)
            timeout = self.query_timeout if request.META.get("QUERY_STRING") else self.timeout
            pages.set(key, entry, timeout, version=version)
        return entry.response(request)

    def key(self, request):
        """The page's key, or None when the request is not cached (the rule in this module's docstring)."""
        meta = request.META
        if request.method not in ("GET", "HEAD") or "charset" in meta.get("CONTENT_TYPE", "").lower():
            return None
        if self.editor_cookie.search(meta.get("HTTP_COOKIE", "")):
            return None
        path = request.path_info
        if path.startswith(self.excluded):
            return None
        query = ""
        for pattern, rule in self.queries if meta.get("QUERY_STRING") else ():
            if pattern.match(path):
                if callable(rule):
                    query = rule(request.GET)
                    if query is None:
                        return None
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
