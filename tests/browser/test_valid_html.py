"""Valid HTML: the Nu Html Checker (vnu.jar, run with Java) reports no error on any page type as the live server serves
it. All pages are checked in one Java run; a fragment is checked inside a minimal document, as a page holds it."""

import urllib.error
import urllib.request

import pytest

from .pages import FRAGMENT_TYPES, PAGE_TYPES, PageType
from .support import require, vnu_errors

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FRAGMENT_DOCUMENT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Fragment</title></head>
<body><main>
{}
</main></body></html>
"""


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_every_page_type_is_valid_html(live_server, tmp_path, rf):
    require("vnu")
    checked = {page_type.name: page_type for page_type in [*PAGE_TYPES, *FRAGMENT_TYPES]}
    documents = {}
    for name, page_type in checked.items():
        status, html = fetch(live_server.url + page_type.path)
        assert status == page_type.status, f"{name} ({page_type.path}): HTTP {status}, expected {page_type.status}"
        if page_type in FRAGMENT_TYPES:
            html = FRAGMENT_DOCUMENT.format(html)
        documents[name] = tmp_path / f"{name}.html"
        documents[name].write_text(html, encoding="utf-8")
    from bonehealth.views import server_error  # 500.html has no URL of its own

    documents["server-error"] = tmp_path / "server-error.html"
    documents["server-error"].write_bytes(server_error(rf.get("/")).content)
    checked["server-error"] = PageType("server-error", "500.html", status=500)
    errors = vnu_errors(documents)
    report = [f"{name} ({checked[name].path}) {line}" for name, lines in errors.items() for line in lines]
    assert not errors, "the Nu Html Checker found errors:\n" + "\n".join(report)
