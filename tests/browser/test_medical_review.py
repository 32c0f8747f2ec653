"""An editor asks for a medical review of the launch article, a medical reviewer approves it with a note, and
readers then see the named reviewer and the review date where the page said "Medical review pending"."""

import pytest

from .pages import ARTICLE_PATH, ARTICLE_SLUG
from .support import screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "a-long-test-passphrase-for-the-review"


@pytest.fixture
def people():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from articles.models import Person

    users = get_user_model().objects
    editor = users.create_user("editor", "editor@example.com", PASSWORD, is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    reviewer = users.create_user("reviewer", "reviewer@example.com", PASSWORD, is_staff=True)
    reviewer.groups.add(Group.objects.get(name="Medical reviewer"))
    Person.objects.create(
        slug="dr-grace-hopper", name="Dr Grace Bone", credentials="MD, endocrinologist", user=reviewer
    )
    return editor, reviewer


def sign_in(site, username):
    page = site.context(width=1280).new_page()
    page.goto("/admin/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("input[type=submit], button[type=submit]").first.click()
    return page


def test_editor_requests_review_reviewer_approves_and_the_page_shows_the_reviewer(site, people):
    reader = site.context(width=375).new_page()
    reader.goto(ARTICLE_PATH)
    assert "Medical review pending" in reader.locator("#review-status").inner_text()
    assert "Last reviewed" not in reader.locator(".article-meta").inner_text()

    editor = sign_in(site, "editor")
    editor.goto("/admin/articles/article/")
    editor.locator("input[name=_selected_action]").first.check()
    editor.locator("select[name=action]").select_option("request_review")
    with editor.expect_navigation():
        editor.locator("button[name=index], input[name=index]").first.click()
    assert "Medical review requested for 1 article(s)." in editor.locator(".messagelist").inner_text()

    reviewer = sign_in(site, "reviewer")
    waiting = reviewer.locator("#attention-module tr", has_text="Articles waiting for medical review")
    assert waiting.locator("td").inner_text().strip() == "1"
    with reviewer.expect_navigation():
        waiting.get_by_role("link").click()
    with reviewer.expect_navigation():
        reviewer.locator("#result_list").get_by_role("link", name="Review", exact=True).click()
    assert "You sign off as" in reviewer.locator("#content-main").inner_text()
    reviewer.locator("#id_note").fill("Checked every dose against the official tables.")
    screenshot(reviewer, "admin-medical-review")
    with reviewer.expect_navigation():
        reviewer.get_by_role("button", name="Approve").click()
    assert "Approved" in reviewer.locator(".messagelist .success").inner_text()

    reader.reload()
    status = reader.locator("#review-status").inner_text()
    assert "Medically reviewed by Dr Grace Bone" in status and "MD, endocrinologist" in status
    assert "Last reviewed" in reader.locator(".article-meta").inner_text()
    assert "Dr Grace Bone" in reader.locator("#about").inner_text()
    screenshot(reader, "article-medically-reviewed")


def json_ld(page):
    import json

    return json.loads(page.locator('script[type="application/ld+json"]').first.text_content())


def approve(reviewer, article_pk):
    reviewer.goto(f"/admin/articles/article/{article_pk}/review/")
    with reviewer.expect_navigation():
        reviewer.get_by_role("button", name="Approve").click()
    assert "Approved" in reviewer.locator(".messagelist .success").inner_text()


def save(page):
    page.wait_for_load_state("networkidle")  # the live preview's request first (SQLite)
    with page.expect_navigation():
        page.locator("input[name=_save]").first.click()  # the Save above the form
    assert page.locator(".messagelist .success").count() == 1, page.locator(".errornote, .errorlist").all_inner_texts()


def test_text_added_after_the_approval_is_never_shown_under_the_reviewers_name(site, people):
    from articles.models import Article

    article = Article.objects.get(slug=ARTICLE_SLUG)
    reviewer = sign_in(site, "reviewer")
    approve(reviewer, article.pk)
    reader = site.context(width=375).new_page()
    reader.goto(ARTICLE_PATH)
    assert "Medically reviewed by Dr Grace Bone" in reader.locator("#review-status").inner_text()
    assert json_ld(reader)["reviewedBy"]["name"] == "Dr Grace Bone"

    # An editor adds a sentence, with no "What changed" note.
    editor = sign_in(site, "editor")
    change_url = f"/admin/articles/article/{article.pk}/change/"
    editor.goto(change_url)
    body = editor.locator("#id_body")
    approved_body = body.input_value()
    body.fill(approved_body.rstrip() + "\n\nTake 5000 mg calcium a day.\n")
    save(editor)

    reader.reload()
    status = reader.locator("#review-status").inner_text()
    assert "Changed since its medical review on" in status and "review pending" in status
    assert "Medically reviewed by" not in reader.locator("main").inner_text()
    assert "Last reviewed" not in reader.locator(".article-meta").inner_text()
    data = json_ld(reader)
    assert "lastReviewed" not in data and "reviewedBy" not in data
    screenshot(reader, "article-changed-since-review")

    # The reviewer's dashboard lists it.
    reviewer.goto("/admin/")
    changed = reviewer.locator("#attention-module tr", has_text="Articles changed since their medical review")
    assert changed.locator("td").inner_text().strip() == "1"

    # History -> the approval's revision -> change the body there -> Save: still not covered by the approval.
    editor.goto(f"/admin/articles/article/{article.pk}/history/")
    with editor.expect_navigation():
        editor.locator("#change-history tbody tr", has_text="Medical review: approved").locator("a").first.click()
    assert "Take 5000 mg" not in editor.locator("#id_body").input_value()  # the approved text, as it was
    editor.locator("#id_body").fill(approved_body.rstrip() + "\n\nCalcium needs no spacing from thyroid tablets.\n")
    save(editor)
    reader.reload()
    assert "Changed since its medical review on" in reader.locator("#review-status").inner_text()
    assert "reviewedBy" not in json_ld(reader)

    # Only a reviewer's new approval covers it again.
    approve(reviewer, article.pk)
    reader.reload()
    assert "Medically reviewed by Dr Grace Bone" in reader.locator("#review-status").inner_text()
    assert json_ld(reader)["lastReviewed"]
