"""Who may do what in the admin: anonymous visitors, members of the "Editor" group, superusers.

The matrix walks every model registered with the admin site, so a model added later is covered (and must be given
to the editors by a migration, or kept from them on purpose, in EDITOR_MODELS below).
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

pytest_plugins = ["admin_fixtures"]

# What editors manage; every other registered model (users, groups, login attempts) is for superusers only.
EDITOR_MODELS = {
    "articles.article",
    "articles.person",
    "articles.topic",
    "calculator.nutrient",
    "calculator.intakeguideline",
    "calculator.food",
    "calculator.medication",
    "calculator.condition",
    "calculator.caution",
    "calculator.product",
}
# Inline-only models the editors need permissions on, although they have no admin page of their own.
EDITOR_INLINE_MODELS = {"articles.reference", "calculator.foodnutrient", "calculator.productnutrient"}
# Admins that by design have no "add" page (django-axes' records are made by the login, not by hand).
NO_ADD_PAGE = {"axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}


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
    assert {"add_article", "change_article", "delete_article", "view_article"} <= codenames
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
