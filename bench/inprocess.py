"""In-process measurements for `python -m bench`: queries per page uncached and cached, and bytes on the wire.

Run by bench/pages.py (count_queries) in a subprocess with the bench's environment (its own database), as
`python -m bench.inprocess '<json list of pages>'`; prints one JSON document. Queries are counted with Django's
test client and CaptureQueriesContext, so they are exact, whatever the machine is doing.
"""

import gzip
import json
import os
import re
import sys
from pathlib import Path

ASSET_RE = re.compile(r"""<(?:link[^>]+rel="stylesheet"[^>]*href|script[^>]+src)="(/static/[^"]+)\"""")


def gzipped_size(path: Path) -> int:
    compressed = path.with_name(path.name + ".gz")  # what whitenoise (or nginx gzip_static) actually sends
    if compressed.exists():
        return compressed.stat().st_size
    return len(gzip.compress(path.read_bytes(), compresslevel=6))


def asset_sizes(html: str, static_root: Path, static_url: str) -> dict:
    sizes = {"css": [0, 0], "js": [0, 0]}
    for url in sorted(set(ASSET_RE.findall(html))):
        path = static_root / url.removeprefix(static_url).split("?")[0]
        kind = "css" if path.suffix == ".css" else "js" if path.suffix == ".js" else None
        if kind is None or not path.exists():
            continue
        sizes[kind][0] += path.stat().st_size
        sizes[kind][1] += gzipped_size(path)
    return {
        "css_bytes": sizes["css"][0],
        "css_gzip_bytes": sizes["css"][1],
        "js_bytes": sizes["js"][0],
        "js_gzip_bytes": sizes["js"][1],
    }


def main(pages: list[dict]) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bonehealth.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache, caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bonehealth import generation

    client = Client(HTTP_HOST="127.0.0.1")
    results = {}
    for page in pages:
        # Cold: empty this process's page store and move to a new generation (a shared cache is not flushed: it may be
        # somebody else's Redis).
        if generation.counter_in_file():
            cache.clear()
            caches["pages"].clear()
        generation.bump()
        generation.forget_process_copies()

        def request(page=page):
            if page["method"] == "POST":
                return client.post(page["path"], data=page["body"], content_type="application/json")
            return client.get(page["path"])

        with CaptureQueriesContext(connection) as cold:
            first = request()
        with CaptureQueriesContext(connection) as warm:
            second = request()
        body = first.content
        entry = {
            "status": first.status_code,
            "queries_uncached": len(cold),
            "queries_cached": len(warm),
            "served_from_page_cache": "ETag" in second and second.get("ETag") == first.get("ETag"),
            "html_bytes": len(body),
            "html_gzip_bytes": len(gzip.compress(body, compresslevel=6)),
        }
        if first.get("Content-Type", "").startswith("text/html"):
            entry.update(asset_sizes(body.decode(), Path(settings.STATIC_ROOT), settings.STATIC_URL))
        results[page["name"]] = entry
    return results


if __name__ == "__main__":
    print(json.dumps(main(json.loads(sys.argv[1]))))
