"""Who may do what in the admin: anonymous visitors, members of the "Editor" and "Medical reviewer" groups, superusers.

The matrix walks every model registered with the admin site, so a model added later is covered (and must be given
to the editors by a migration, or kept from them on purpose, in EDITOR_MODELS below).
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

# What editors manage; every other registered model (users, groups, login attempts) is for superusers only.
EDITOR_MODELS = {
    "articles.article",
    "articles.person",
    "articles.topic",
    "articles.page",
    "calculator.nutrient",
    "calculator.intakeguideline",
    "calculator.food",
    "calculator.medication",
    "calculator.condition",
    "calculator.caution",
    "calculator.product",
}
# Inline-only models the editors need permissions on, although they have no admin page of their own.
EDITOR_INLINE_MODELS = {
    "articles.reference",
    "articles.keytakeaway",
    "articles.articlechange",
    "calculator.foodnutrient",
    "calculator.productnutrient",
}
# What medical reviewers may read (never change): the articles, with everything shown on them, and the policy page.
REVIEWER_MODELS = {"articles.article", "articles.person", "articles.topic", "articles.page"}
# Admins that by design have no "add" page (django-axes' records are made by the login, not by hand).
NO_ADD_PAGE = {"axes.accessattempt", "axes.accesslog", "axes.accessfailurelog", "bonehealth.enrolmentlink"}


def label(model):
    return f"{model._meta.app_label}.{model._meta.model_name}"


REGISTERED = sorted(admin.site._registry, key=label)
PAGES = [(model, page) for model in REGISTERED for page in ("changelist", "add")]
PAGE_IDS = [f"{label(model)}-{page}" for model, page in PAGES]


def page_url(model, page):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}")


def test_every_editor_model_is_registered():
    assert EDITOR_MODELS <= {label(model) for model in REGISTERED}


@pytest.mark.parametrize(("model", "page"), PAGES, ids=PAGE_IDS)
def test_anonymous_is_sent_to_login(client, db, model, page):
    url = page_url(model, page)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert "next=" in response["Location"]


@pytest.mark.parametrize(("model", "page"), PAGES, ids=PAGE_IDS)
def test_editor_reaches_content_and_is_refused_the_rest(editor_client, model, page):
    response = editor_client.get(page_url(model, page))
    if label(model) in EDITOR_MODELS:
        assert response.status_code == 200, response
    else:
        assert response.status_code == 403


@pytest.mark.parametrize(("model", "page"), PAGES, ids=PAGE_IDS)
def test_superuser_reaches_every_page(superuser_client, model, page):
    response = superuser_client.get(page_url(model, page))
    expected = 403 if page == "add" and label(model) in NO_ADD_PAGE else 200
    assert response.status_code == expected


def test_editor_is_refused_users_and_groups(editor_client, make_editor):
    other = make_editor(username="someone-else")
    group = Group.objects.get(name="Editor")
    for url in (
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_change", args=[other.pk]),
        reverse("admin:auth_user_add"),
        reverse("admin:auth_group_change", args=[group.pk]),
    ):
        assert editor_client.get(url).status_code == 403, url
    response = editor_client.post(reverse("admin:auth_user_change", args=[other.pk]), {"is_superuser": "on"})
    assert response.status_code == 403
    other.refresh_from_db()
    assert not other.is_superuser


def test_editor_group_permissions_are_exactly_the_content(db):
    granted = set(
        Group.objects.get(name="Editor").permissions.values_list("content_type__app_label", "content_type__model")
    )
    assert {f"{app}.{model}" for app, model in granted} == EDITOR_MODELS | EDITOR_INLINE_MODELS
    codenames = set(Group.objects.get(name="Editor").permissions.values_list("codename", flat=True))
    assert "delete_nutrient" not in codenames  # the calculator needs its nutrients
    assert {"add_article", "change_article", "delete_article", "view_article", "request_review"} <= codenames
    assert "sign_off_review" not in codenames  # editors ask for a review; only reviewers give one
    assert not codenames & set(
        Permission.objects.filter(content_type__app_label="auth").values_list("codename", flat=True)
    )


def test_editor_sees_only_content_on_the_index(editor_client):
    response = editor_client.get(reverse("admin:index"))
    assert response.status_code == 200
    apps = {app["app_label"] for app in response.context["app_list"]}
    assert apps == {"articles", "calculator"}


def test_editor_without_the_group_sees_nothing(client, django_user_model):
    user = django_user_model.objects.create_user(username="staff-only", password=None, is_staff=True)
    client.force_login(user)
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 403


@pytest.mark.parametrize(("model", "page"), PAGES, ids=PAGE_IDS)
def test_reviewer_reads_articles_and_changes_nothing(reviewer_client, model, page):
    response = reviewer_client.get(page_url(model, page))
    if page == "changelist" and label(model) in REVIEWER_MODELS:
        assert response.status_code == 200, response
    else:
        assert response.status_code == 403


def test_reviewer_group_permissions_are_read_and_sign_off(db):
    codenames = set(Group.objects.get(name="Medical reviewer").permissions.values_list("codename", flat=True))
    assert "sign_off_review" in codenames
    assert "view_article" in codenames
    assert not {code for code in codenames if code.split("_")[0] in {"add", "change", "delete"}}
    assert "request_review" not in codenames


def test_reviewer_sees_an_article_read_only(reviewer_client, make_article):
    article = make_article()
    response = reviewer_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert response.status_code == 200
    assert b'name="_save"' not in response.content  # view permission only: no save button
    response = reviewer_client.post(
        reverse("admin:articles_article_change", args=[article.pk]), {"title": "Changed by a reviewer"}
    )
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title != "Changed by a reviewer"


def test_only_reviewers_reach_the_review_page(editor_client, reviewer_client, make_article):
    article = make_article()
    url = reverse("admin:articles_article_review", args=[article.pk])
    assert editor_client.get(url).status_code == 403
    assert editor_client.post(url, {"decision": "approve"}).status_code == 403
    article.refresh_from_db()
    assert article.reviewer is None and article.last_reviewed is None
    assert reviewer_client.get(url).status_code == 200
