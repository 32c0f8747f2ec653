"""An editor signs in to the admin, corrects the launch article, and readers see the correction at once (the page
cache is invalidated by the save)."""

import pytest

from tests.admin_forms import EDITOR_PASSWORD

from .pages import ARTICLE_PATH, ARTICLE_SLUG
from .support import screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CORRECTION = "Editor's correction: this sentence was added in the admin a moment ago."


def test_editor_corrects_the_article_and_readers_see_it_live(site, editor):
    reader = site.context(width=375).new_page()
    reader.goto(ARTICLE_PATH)
    assert CORRECTION not in reader.locator("article").inner_text()
    cached = reader.reload()  # a second visit: from the page cache, which marks what it serves with an ETag
    etag = cached.headers.get("etag")
    assert etag, f"the article was not served from the page cache: {cached.status} {cached.headers}"

    admin = site.context(width=1280).new_page()
    admin.goto("/admin/")
    admin.locator("#id_username").fill("erin")
    admin.locator("#id_password").fill(EDITOR_PASSWORD)
    with admin.expect_navigation():
        admin.locator("input[type=submit], button[type=submit]").first.click()
    admin.goto("/admin/articles/article/")
    with admin.expect_navigation():
        admin.get_by_role("link", name="Calcium and vitamin K2").first.click()
    assert admin.locator("#id_slug").input_value() == ARTICLE_SLUG
    body = admin.locator("#id_body")
    body.fill(body.input_value().rstrip() + f"\n\n{CORRECTION}\n")
    with admin.expect_navigation():
        admin.locator("input[name=_save]").last.click()
    success = admin.locator(".messagelist .success")
    assert success.count() == 1, admin.locator(".errornote, .errorlist").all_inner_texts()
    screenshot(admin, "admin-article-saved")

    fresh = reader.reload()
    assert reader.locator(".article-body", has_text=CORRECTION).count() == 1, "the reader still sees the old article"
    assert fresh.headers.get("etag") != etag
    editor_view = admin.context.new_page()
    editor_view.goto(ARTICLE_PATH)
    assert CORRECTION in editor_view.locator(".article-body").inner_text()
