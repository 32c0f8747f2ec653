"""The editors' admin: the create -> preview -> publish -> edit flow through the real admin forms, and validation."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

ADD_URL = "/admin/articles/article/add/"
LIST_URL = "/admin/articles/article/"


def article_form(author, *, references=(), existing=(), **fields):
    """The POST data of the article admin form with its references inline (``existing``: saved Reference rows)."""
    now = timezone.now() - timedelta(minutes=1)
    data = {
        "title": "Vitamin D and falls",
        "slug": "vitamin-d-and-falls",
        "summary": "What the trials say about vitamin D and falls.",
        "body": "## Evidence\n\nA large trial found no benefit.[^smith-2020]\n",
        "status": "draft",
        "published_at_0": now.strftime("%Y-%m-%d"),
        "published_at_1": now.strftime("%H:%M:%S"),
        "author": str(author.pk),
        "hero_image_alt": "",
        **fields,
    }
    rows = list(existing) + list(references)
    data.update(
        {
            "references-TOTAL_FORMS": str(len(rows)),
            "references-INITIAL_FORMS": str(len(existing)),
            "references-MIN_NUM_FORMS": "0",
            "references-MAX_NUM_FORMS": "1000",
            **{
                f"{prefix}-{name}": value
                for prefix in ("takeaways", "changes")
                for name, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"), ("MIN_NUM_FORMS", "0"))
            },
        }
    )
    for index, row in enumerate(rows):
        if index < len(existing):
            row = {
                "id": row.pk,
                "order": row.order,
                "key": row.key,
                "authors": row.authors,
                "title": row.title,
                "pmid": row.pmid,
                "doi": row.doi,
                "url": row.url,
            }
        else:
            row = {"order": index + 1, "authors": "Smith A, et al.", "title": "A trial", "pmid": "31234567", **row}
        for name, value in row.items():
            data[f"references-{index}-{name}"] = "" if value is None else str(value)
    return data


def errors_in(response):
    assert response.status_code == 200, "the form should have been shown again with errors"
    return response.text


def test_admin_editor_creates_previews_publishes_and_edits(client, staff_client, make_person):
    from articles.models import Article

    author = make_person(name="Ann Writer")
    response = staff_client.get(ADD_URL)
    assert response.status_code == 200 and 'name="body"' in response.text

    # Create a draft with one reference, cited in the body.
    response = staff_client.post(ADD_URL, article_form(author, references=[{"key": "smith-2020"}]))
    assert response.status_code == 302, response.text
    article = Article.objects.get(slug="vitamin-d-and-falls")
    assert article.status == "draft"
    assert 'href="#ref-smith-2020">[<span class="visually-hidden">reference </span>1]' in article.body_html
    assert article.references.get().pmid == "31234567"

    # Preview: readers get a 404, the editor sees the page with a draft banner ("View on site" goes there).
    url = article.get_absolute_url()
    assert client.get(url).status_code == 404
    preview = staff_client.get(url)
    assert preview.status_code == 200 and "Draft preview" in preview.text
    change_page = staff_client.get(f"{LIST_URL}{article.pk}/change/").text
    view_on_site = re.search(r'href="(/admin/r/\d+/\d+/)" class="viewsitelink"', change_page).group(1)
    assert staff_client.get(view_on_site)["Location"].endswith(url)

    # Publish with the changelist action.
    response = staff_client.post(LIST_URL, {"action": "publish", "_selected_action": [article.pk]}, follow=True)
    assert "1 article(s) published." in response.text
    live = client.get(url)
    assert live.status_code == 200 and "Vitamin D and falls" in live.text and "Draft preview" not in live.text

    # Edit the title, the body and the reference; the reader sees the change on the next request.
    article.refresh_from_db()
    reference = article.references.get()
    reference.title = "A corrected trial title"
    data = article_form(
        author,
        existing=[reference],
        references=[{"key": "jones-2021", "doi": "https://doi.org/10.1000/xyz123", "pmid": ""}],
        title="Vitamin D and falls: the trials",
        status="published",
        body="## Evidence\n\nNo benefit[^smith-2020], confirmed[^jones-2021].\n",
    )
    response = staff_client.post(f"{LIST_URL}{article.pk}/change/", data)
    assert response.status_code == 302, response.text
    page = client.get(url).text
    assert '<h1 id="article-title">Vitamin D and falls: the trials</h1>' in page
    assert "A corrected trial title" in page
    assert 'href="https://doi.org/10.1000/xyz123"' in page  # the DOI was stored without its resolver prefix
    assert 'id="cite-jones-2021"><a href="#ref-jones-2021">[<span class="visually-hidden">reference </span>2]' in page


@pytest.mark.parametrize(
    ("fields", "references", "message"),
    [
        ({"status": "published", "summary": ""}, [{"key": "smith-2020"}], "A published article needs a summary"),
        ({"slug": "feed"}, [{"key": "smith-2020"}], "is the address of another blog page"),
        ({}, [{"key": "smith-2020", "pmid": ""}], "Give a DOI, a PubMed ID or a URL"),
        ({}, [], "The body cites [^smith-2020], but no reference below has that key"),
        ({}, [{"key": "smith-2020"}, {"key": "smith-2020"}], "Please correct the duplicate data for key"),
        ({"body": "[[table:calcium-everything]]"}, [], "Unknown live table: [[table:calcium-everything]]"),
        ({}, [{"key": "smith-2020", "doi": "not-a-doi"}], "A DOI starts with 10."),
        ({}, [{"key": "smith-2020", "pmid": "PMID 123"}], "A PubMed ID is digits only"),
    ],
    ids=[
        "published-without-summary",
        "reserved-slug",
        "reference-without-link",
        "unknown-citation",
        "duplicate-reference-key",
        "unknown-live-table",
        "bad-doi",
        "bad-pmid",
    ],
)
def test_admin_validation_messages(staff_client, make_person, fields, references, message):
    from articles.models import Article

    response = staff_client.post(ADD_URL, article_form(make_person(), references=references, **fields))
    assert message in errors_in(response)
    assert not Article.objects.filter(slug=fields.get("slug", "vitamin-d-and-falls")).exists()


def test_admin_slug_clash_has_a_clear_message(staff_client, make_person, make_article):
    make_article(slug="vitamin-d-and-falls")
    response = staff_client.post(ADD_URL, article_form(make_person(), references=[{"key": "smith-2020"}]))
    assert "Another article already uses this slug" in errors_in(response)


def test_admin_removing_a_cited_reference_is_refused(staff_client, make_article):
    article = make_article(body="Claim[^a].", references=[{"key": "a"}])
    data = article_form(article.author, existing=article.references.all(), body=article.body, slug=article.slug)
    data["references-0-DELETE"] = "on"
    response = staff_client.post(f"{LIST_URL}{article.pk}/change/", data)
    assert "The body cites [^a]" in errors_in(response)
    assert article.references.exists()


def test_admin_changelist_review_overdue_filter(staff_client, make_article, only_our_articles):
    today = timezone.localdate()
    make_article(title="Fresh review", last_reviewed=today - timedelta(days=30))
    make_article(title="Stale review", last_reviewed=today - timedelta(days=400))
    make_article(title="Never reviewed", last_reviewed=None)
    overdue = staff_client.get(LIST_URL, {"review": "overdue"}).text
    assert "Stale review" in overdue and "Never reviewed" in overdue and "Fresh review" not in overdue
    current = staff_client.get(LIST_URL, {"review": "current"}).text
    assert "Fresh review" in current and "Stale review" not in current
    everything = staff_client.get(LIST_URL, {"q": "review"})
    assert everything.status_code == 200 and "Fresh review" in everything.text


def test_admin_publish_refuses_articles_without_summary_and_unpublish_hides(staff_client, client, make_article):
    from articles.models import Article

    draft = make_article(status="draft", summary="")
    scheduled = make_article(status="draft", published_at=timezone.now() + timedelta(days=2))
    live = make_article()
    response = staff_client.post(
        LIST_URL, {"action": "publish", "_selected_action": [draft.pk, scheduled.pk]}, follow=True
    )
    assert "Not published, a summary is missing" in response.text and "1 article(s) scheduled" in response.text
    assert Article.objects.get(pk=draft.pk).status == "draft"
    assert Article.objects.get(pk=scheduled.pk).status == "published"
    assert client.get(scheduled.get_absolute_url()).status_code == 404  # not before its date

    staff_client.post(LIST_URL, {"action": "unpublish", "_selected_action": [live.pk]})
    assert client.get(live.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("model", ["article", "person", "topic"])
def test_admin_changelists_and_add_forms_answer(staff_client, db, model):
    assert staff_client.get(f"/admin/articles/{model}/").status_code == 200
    assert staff_client.get(f"/admin/articles/{model}/add/").status_code == 200
