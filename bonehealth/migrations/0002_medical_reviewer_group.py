"""The "Medical reviewer" group, and what issue 13 adds for the "Editor" group.

Medical reviewers read the articles and their references in the admin (view only) and sign them off or send them
back (``articles.sign_off_review``); they edit nothing. Editors may ask for a review (``articles.request_review``)
and manage the new content: key takeaways, the public "What changed" notes and managed pages. Upsert, like 0001:
nothing an administrator granted later is taken away.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REVIEWER_GROUP = "Medical reviewer"
REVIEWER_CODENAMES = [
    "view_article",
    "view_reference",
    "view_keytakeaway",
    "view_articlechange",
    "view_person",
    "view_topic",
    "view_page",
    "sign_off_review",
]
EDITOR_GROUP = "Editor"
EDITOR_CODENAMES = [
    "request_review",
    *(f"{action}_{model}" for model in ("keytakeaway", "articlechange", "page") for action in ("add", "change", "delete", "view")),
]


def _permissions(apps, using, codenames):
    app_config = apps.get_app_config("articles")
    app_config.models_module = True  # historical app configs have none; create_permissions skips those
    try:
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
    finally:
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    permissions = list(
        Permission.objects.using(using).filter(content_type__app_label="articles", codename__in=codenames)
    )
    missing = sorted(set(codenames) - {permission.codename for permission in permissions})
    if missing:
        raise RuntimeError(f"articles permissions not found: {', '.join(missing)}")
    return permissions


def grant(apps, schema_editor):
    using = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    reviewers, _ = Group.objects.using(using).get_or_create(name=REVIEWER_GROUP)
    reviewers.permissions.add(*_permissions(apps, using, REVIEWER_CODENAMES))
    editors, _ = Group.objects.using(using).get_or_create(name=EDITOR_GROUP)
    editors.permissions.add(*_permissions(apps, using, EDITOR_CODENAMES))


def revoke(apps, schema_editor):
    using = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    Group.objects.using(using).filter(name=REVIEWER_GROUP).delete()
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.using(using).filter(name=EDITOR_GROUP).first()
    if editors is not None:
        editors.permissions.remove(
            *Permission.objects.using(using).filter(content_type__app_label="articles", codename__in=EDITOR_CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("bonehealth", "0001_editor_group"),
        ("articles", "0005_review_date_needs_reviewer"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
