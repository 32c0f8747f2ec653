"""An editor in the "Editor" group works in the admin with a real browser: the live preview follows their typing, and
restoring an older version from the history puts its text back on the public page. Every page is watched for
console errors and Content-Security-Policy violations (conftest.py)."""

import re

import pytest

from tests.admin_forms import EDITOR_PASSWORD

from .pages import ARTICLE_PATH, ARTICLE_SLUG
from .support import screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def launch_article():
    from articles.models import Article

    return Article.objects.get(slug=ARTICLE_SLUG)


def sign_in(site):
    page = site.context(width=1280).new_page()
    page.goto("/admin/")
    page.locator("#id_username").fill("erin")
    page.locator("#id_password").fill(EDITOR_PASSWORD)
    with page.expect_navigation():
        page.locator("input[type=submit], button[type=submit]").first.click()
    assert page.locator("#attention-module").count() == 1, "the admin index did not open"
    return page


def save(page):
    # Let the live preview's request finish first, as a person reading it would: on SQLite, a preview rendered while
    # the save writes can find the database locked (the preview then says so; the browser logs the 422).
    page.wait_for_load_state("networkidle")
    with page.expect_navigation():
        page.locator("input[name=_save]").last.click()  # the one below the form (there is one above it too)
    assert page.locator(".messagelist .success").count() == 1, page.locator(".errornote, .errorlist").all_inner_texts()


def test_live_preview_follows_the_editors_typing(site, editor):
    page = sign_in(site)
    page.goto("/admin/articles/article/add/")
    preview = page.locator("#article-preview")
    status = page.locator(".article-preview-status")
    assert preview.count() == 1
    body = page.locator("#id_body")
    body.click()
    body.press_sequentially("## Fresh heading\n\nCalcium *builds* bone.[^nobody]\n", delay=5)
    heading = preview.locator("h2#fresh-heading")
    heading.wait_for()
    assert heading.inner_text() == "Fresh heading"
    assert preview.locator(".article-body em").inner_text() == "builds"
    assert "[^nobody] is cited but no reference" in preview.locator(".preview-warnings").inner_text()
    page.wait_for_function("document.querySelector('.article-preview-status').textContent === 'Up to date'")

    # Adding the reference below makes the warning go and numbers the citation, as the page will.
    page.locator("#references-group .add-row a").click()
    page.locator("#id_references-0-key").fill("nobody")
    page.locator("#id_references-0-key").dispatch_event("change")
    preview.locator('sup.cite a[href="#ref-nobody"]').wait_for()
    assert preview.locator(".preview-warnings").count() == 0

    body.press_sequentially("\n<script>document.title='pwned'</script>\n", delay=2)
    page.wait_for_timeout(900)
    page.wait_for_function("document.querySelector('.article-preview-status').textContent === 'Up to date'")
    assert preview.locator("script").count() == 0 and page.title() != "pwned"
    assert status.inner_text() == "Up to date"
    screenshot(page, "admin-live-preview")


def test_restoring_a_version_from_history_puts_its_text_back_on_the_site(site, editor, launch_article):
    first = "First edit from the browser: this sentence belongs to the older version."
    second = "Second edit from the browser: this sentence replaced the first one."
    reader = site.context(width=375).new_page()
    reader.goto(ARTICLE_PATH)

    page = sign_in(site)
    change_url = f"/admin/articles/article/{launch_article.pk}/change/"
    page.goto(change_url)
    body = page.locator("#id_body")
    original = body.input_value()
    body.fill(original.rstrip() + f"\n\n{first}\n")
    save(page)
    page.goto(change_url)
    page.locator("#id_body").fill(original.rstrip() + f"\n\n{second}\n")
    save(page)
    reader.reload()
    assert second in reader.locator(".article-body").inner_text()

    page.goto(f"/admin/articles/article/{launch_article.pk}/history/")
    rows = page.locator("#change-history tbody tr")
    assert rows.count() == 2  # newest first
    assert "erin" in rows.nth(1).inner_text()
    with page.expect_navigation():
        rows.nth(1).locator("a").click()
    assert re.search(r"/history/\d+/$", page.url)
    assert first in page.locator("#id_body").input_value()
    screenshot(page, "admin-revision")
    save(page)

    reader.reload()
    text = reader.locator(".article-body").inner_text()
    assert first in text and second not in text
    page.goto(f"/admin/articles/article/{launch_article.pk}/history/")
    assert "Reverted to previous version" in page.locator("#change-history tbody tr").first.inner_text()


def test_the_launch_articles_edit_page_is_short_enough_to_work_on(site, editor, launch_article):
    """The launch article (then 36 references, 8 takeaways, 7 changes) was about 31,000 px tall to edit, every reference
    open and Save only at the bottom: now the long inlines are folded with their count, and Save is at the top too."""
    page = sign_in(site)
    page.goto(f"/admin/articles/article/{launch_article.pk}/change/")
    page.locator("#article-preview .article-body").wait_for()  # with the live preview of the whole body in place
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"article change page height: {height} px")  # noqa: T201 - the figure for the report (pytest -s)
    assert height < 8000, height
    assert page.locator("input[name=_save]").first.bounding_box()["y"] < 600  # Save without scrolling
    references = page.locator("#references-group details")
    count = launch_article.references.count()
    assert references.locator("summary").inner_text().lower().startswith(f"references ({count})")
    references.locator("summary").click()  # one click opens them to work on
    assert page.locator("#id_references-0-key").is_visible()
    body = page.locator("#id_body").bounding_box()
    assert body["height"] > 500, body  # the body is a real editing area, not ten lines
