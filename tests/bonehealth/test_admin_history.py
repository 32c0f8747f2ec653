"""Revision history: every admin save is a revision (who, when, what), any of them can be restored in one click,
deleted rows can be recovered, and the public pages show the restored content at once (page cache included)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from tests.admin_forms import form_errors, submit


@pytest.fixture
def author(make_person):
    return make_person(name="Ada Author")


def published_at_fields():
    when = timezone.now() - timedelta(days=2)
    return {"published_at_0": when.strftime("%Y-%m-%d"), "published_at_1": when.strftime("%H:%M:%S")}


def add_article(client, author, **changes):
    url = reverse("admin:articles_article_add")
    response = submit(
        client,
        url,
        changes={
            "title": "Magnesium and sleep",
            "slug": "magnesium-and-sleep",
            "summary": "What magnesium does and does not do for sleep.",
            "status": "published",
            "author": str(author.pk),
            **published_at_fields(),
            **changes,
        },
    )
    assert response.status_code == 302, form_errors(response)
    from articles.models import Article

    return Article.objects.get(slug=changes.get("slug", "magnesium-and-sleep"))


def change_article(client, article, **changes):
    response = submit(client, reverse("admin:articles_article_change", args=[article.pk]), changes=changes)
    assert response.status_code == 302, form_errors(response)


def versions_of(obj):
    return list(Version.objects.get_for_object(obj).select_related("revision__user").order_by("pk"))


def test_edit_twice_and_restore_the_first_version_from_history(editor_client, client, author):
    article = add_article(
        editor_client,
        author,
        body="## Evidence\n\nThe FIRST VERSION says one thing.[^lee-2019]\n",
        **{
            "references-TOTAL_FORMS": "1",
            "references-0-order": "1",
            "references-0-key": "lee-2019",
            "references-0-authors": "Lee K",
            "references-0-title": "A magnesium trial",
            "references-0-pmid": "30000001",
        },
    )
    reference = article.references.get()
    # Second version: new text, the reference removed.
    change_article(
        editor_client,
        article,
        body="## Evidence\n\nThe SECOND VERSION says another.\n",
        **{"references-0-DELETE": "on"},
    )
    change_article(editor_client, article, summary="Third version summary.")
    public_url = article.get_absolute_url()
    page = client.get(public_url)
    assert b"SECOND VERSION" in page.content and b"A magnesium trial" not in page.content  # and now cached

    versions = versions_of(article)
    assert len(versions) == 3
    assert all(version.revision.user.username == "editor-in-group" for version in versions)
    history = editor_client.get(reverse("admin:articles_article_history", args=[article.pk]))
    assert history.status_code == 200
    assert b"editor-in-group" in history.content and b"Changed Body" in history.content

    revision_url = reverse("admin:articles_article_revision", args=[article.pk, versions[0].pk])
    preview = editor_client.get(revision_url)
    assert preview.status_code == 200 and b"FIRST VERSION" in preview.content
    article.refresh_from_db()
    assert "SECOND VERSION" in article.body  # looking at an old version changes nothing

    response = submit(editor_client, revision_url)
    assert response.status_code == 302

    article.refresh_from_db()
    assert "FIRST VERSION" in article.body
    assert "FIRST VERSION" in article.body_html  # re-rendered, not only the Markdown restored
    assert article.references.get().pk == reference.pk  # the inline row came back with the article
    page = client.get(public_url)
    assert b"FIRST VERSION" in page.content and b"SECOND VERSION" not in page.content
    assert b"A magnesium trial" in page.content
    assert b'href="#ref-lee-2019"' in page.content or b"lee-2019" in page.content
    latest = versions_of(article)[-1]
    assert latest.revision.user.username == "editor-in-group"
    assert "Reverted to previous version" in latest.revision.get_comment()


def test_deleted_article_asks_first_and_can_be_recovered(editor_client, client, make_article):
    article = make_article(
        title="Vitamin D basics",
        body="Sunlight and VITAMIN D.[^holick-2007]",
        references=[{"key": "holick-2007", "title": "Vitamin D deficiency"}],
    )  # made outside the admin: no revision yet
    assert versions_of(article) == []
    delete_url = reverse("admin:articles_article_delete", args=[article.pk])
    confirm = editor_client.get(delete_url)
    assert confirm.status_code == 200 and b"Are you sure" in confirm.content
    assert client.get(article.get_absolute_url()).status_code == 200

    response = editor_client.post(delete_url, {"post": "yes"})
    assert response.status_code == 302
    from articles.models import Article

    assert not Article.objects.filter(pk=article.pk).exists()
    assert client.get(article.get_absolute_url()).status_code == 404

    recover_list = editor_client.get(reverse("admin:articles_article_recoverlist"))
    assert recover_list.status_code == 200 and b"Vitamin D basics" in recover_list.content
    changelist = editor_client.get(reverse("admin:articles_article_changelist"))
    assert reverse("admin:articles_article_recoverlist").encode() in changelist.content

    (version,) = Version.objects.get_deleted(Article)
    response = submit(editor_client, reverse("admin:articles_article_recover", args=[version.pk]))
    assert response.status_code == 302
    restored = Article.objects.get(pk=article.pk)
    assert restored.references.get().title == "Vitamin D deficiency"
    assert "VITAMIN D" in restored.body_html
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200 and b"Vitamin D deficiency" in page.content


def test_bulk_deleted_articles_can_be_recovered(editor_client, make_article):
    from articles.models import Article

    first, second = make_article(title="First to go"), make_article(title="Second to go")
    response = editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Article.objects.filter(pk__in=[first.pk, second.pk]).exists()
    deleted = {version.object_repr for version in Version.objects.get_deleted(Article)}
    assert {"First to go", "Second to go"} <= deleted
    (version,) = [v for v in Version.objects.get_deleted(Article) if v.object_repr == "Second to go"]
    assert submit(editor_client, reverse("admin:articles_article_recover", args=[version.pk])).status_code == 302
    assert Article.objects.filter(title="Second to go").exists()


def test_publish_action_is_recorded_in_history(editor_client, make_article):
    article = make_article(status="draft")
    editor_client.post(
        reverse("admin:articles_article_changelist"), {"action": "publish", "_selected_action": [article.pk]}
    )
    (version,) = versions_of(article)
    assert version.field_dict["status"] == "published"
    assert version.revision.user.username == "editor-in-group"


@pytest.mark.parametrize(
    ("model_name", "new"), [("product", "333"), ("food", "111")], ids=["product-amounts", "food-amounts"]
)
def test_catalogue_rows_restore_with_their_nutrient_amounts(editor_client, model_name, new):
    from calculator.models import Food, Product

    model = {"product": Product, "food": Food}[model_name]
    obj = model.objects.order_by("pk").first()  # shipped by a data migration
    amount_before = obj.nutrients.order_by("pk").first().amount
    change_url = reverse(f"admin:calculator_{model_name}_change", args=[obj.pk])
    assert submit(editor_client, change_url).status_code == 302  # first revision: as shipped
    assert submit(editor_client, change_url, changes={"nutrients-0-amount": new}).status_code == 302
    assert str(obj.nutrients.order_by("pk").first().amount) == f"{new}.0"

    first = versions_of(obj)[0]
    response = submit(editor_client, reverse(f"admin:calculator_{model_name}_revision", args=[obj.pk, first.pk]))
    assert response.status_code == 302
    assert obj.nutrients.order_by("pk").first().amount == amount_before


@pytest.mark.parametrize(
    "model_name", ["intakeguideline", "caution", "medication", "condition", "nutrient", "person", "topic"]
)
def test_every_content_admin_keeps_history(editor_client, model_name, make_person, make_topic):
    from django.apps import apps

    model = apps.get_model("articles" if model_name in ("person", "topic") else "calculator", model_name)
    obj = {"person": make_person, "topic": make_topic}.get(model_name, lambda: model.objects.order_by("pk").first())()
    opts = model._meta
    change_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    assert submit(editor_client, change_url).status_code == 302
    (version,) = versions_of(obj)
    history = editor_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk]))
    assert history.status_code == 200 and b"editor-in-group" in history.content
    assert version.revision.user.username == "editor-in-group"
