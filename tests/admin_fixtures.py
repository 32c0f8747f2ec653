"""Admin test fixtures (``pytest_plugins = ["admin_fixtures"]``): editors in the "Editor" group, superusers."""

import pytest

EDITOR_PASSWORD = "a-long-editor-password"


@pytest.fixture
def make_editor(db, django_user_model):
    """make_editor(username=..., password=None): a staff user in the "Editor" group the migration created.

    Without a password (the default) the user can only be logged in with force_login, which skips the slow hashing.
    """
    from django.contrib.auth.models import Group

    def build(username="editor-in-group", password=None, **fields):
        user = django_user_model.objects.create_user(username=username, password=password, is_staff=True, **fields)
        user.groups.add(Group.objects.get(name="Editor"))
        return user

    return build


@pytest.fixture
def make_reviewer(db, django_user_model):
    """make_reviewer(username=..., person=True): a staff user in "Medical reviewer", linked to a named Person."""
    from django.contrib.auth.models import Group

    from articles.models import Person

    def build(username="reviewer-in-group", password=None, person=True, **fields):
        user = django_user_model.objects.create_user(username=username, password=password, is_staff=True, **fields)
        user.groups.add(Group.objects.get(name="Medical reviewer"))
        if person:
            Person.objects.create(
                slug=f"dr-{username}", name="Dr Ada Reviewer", credentials="MD, endocrinologist", user=user
            )
        return user

    return build


@pytest.fixture
def editor_client(make_editor):
    from django.test import Client

    client = Client()
    client.force_login(make_editor())
    return client


@pytest.fixture
def superuser_client(db, django_user_model):
    from django.test import Client

    user = django_user_model.objects.create_superuser(username="root", password=None, email="")
    client = Client()
    client.force_login(user)
    return client
