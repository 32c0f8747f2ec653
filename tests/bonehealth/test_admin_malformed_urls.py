"""Any malformed admin address (a non-numeric, unknown or odd id on any admin page, for every model) answers 404 or
the admin's own "does not exist" redirect, never a server error (issue 27)."""

import pytest
from django.contrib import admin

BAD_IDS = ["abc", "999999", "1.5", "-1", "%E2%9C%93", "1%00", "0x10"]
SUFFIXES = ["", "change/", "delete/", "history/", "review/", "history/abc/", "history/999999/", "export/", "preview/"]


def model_admin_paths():
    for model in admin.site._registry:
        opts = model._meta
        yield f"/admin/{opts.app_label}/{opts.model_name}/"


@pytest.mark.parametrize("bad_id", BAD_IDS)
def test_malformed_ids_on_every_admin_page_are_never_a_server_error(superuser_client, bad_id):
    failures = []
    for base in model_admin_paths():
        for suffix in SUFFIXES:
            url = f"{base}{bad_id}/{suffix}"
            status = superuser_client.get(url).status_code
            if status >= 500 or status not in (200, 301, 302, 404):
                failures.append((url, status))
    assert not failures


@pytest.mark.parametrize("bad_id", ["abc", "999999", "1.5", "1 OR 1=1"])
def test_the_review_page_of_a_malformed_or_unknown_article_id_is_404(superuser_client, bad_id):
    url = f"/admin/articles/article/{bad_id}/review/"
    assert superuser_client.get(url).status_code == 404
    assert superuser_client.post(url, {"decision": "send_back"}).status_code == 404


def test_an_unknown_revision_or_deleted_version_is_404(superuser_client, make_article):
    article = make_article()
    assert superuser_client.get(f"/admin/articles/article/{article.pk}/history/999999/").status_code == 404
    assert superuser_client.get("/admin/articles/article/recover/999999/").status_code == 404


@pytest.mark.parametrize("model", ["product", "food"])
@pytest.mark.parametrize(
    "query",
    ["?_selected_action=abc", "?_selected_action=999999", "?export_items=abc", "?format=abc", "?id__in=abc,1"],
)
def test_a_malformed_export_request_is_never_a_server_error(superuser_client, model, query):
    url = f"/admin/calculator/{model}/export/{query}"
    assert superuser_client.get(url).status_code in (200, 302, 400, 404)
    response = superuser_client.post(
        f"/admin/calculator/{model}/export/", {"format": "abc", "export_items": ["abc", "999999"]}
    )
    assert response.status_code in (200, 302, 400, 404)
