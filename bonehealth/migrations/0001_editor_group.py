"""The "Editor" group: add, change, view and (except nutrients) delete the site's content; nothing on users or groups.

Permissions are normally created after `migrate` (a post_migrate handler), too late for a migration that assigns
them, so they are created here first for the two content apps, with the historical models. Upsert: the group and
its permissions are added where missing, nothing an administrator granted later is taken away. A model added to the
content apps later needs a new migration that grants it.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Editor"
# app label -> model -> actions. Nutrients are structural (the calculator needs its four slugs): no delete.
GRANTS = {
    "articles": {
        "article": ("add", "change", "delete", "view"),
        "reference": ("add", "change", "delete", "view"),
        "person": ("add", "change", "delete", "view"),
        "topic": ("add", "change", "delete", "view"),
    },
    "calculator": {
        "nutrient": ("add", "change", "view"),
        "intakeguideline": ("add", "change", "delete", "view"),
        "food": ("add", "change", "delete", "view"),
        "foodnutrient": ("add", "change", "delete", "view"),
        "medication": ("add", "change", "delete", "view"),
        "condition": ("add", "change", "delete", "view"),
        "caution": ("add", "change", "delete", "view"),
        "product": ("add", "change", "delete", "view"),
        "productnutrient": ("add", "change", "delete", "view"),
    },
}


def create_editor_group(apps, schema_editor):
    using = schema_editor.connection.alias
    for label in GRANTS:
        app_config = apps.get_app_config(label)
        app_config.models_module = True  # historical app configs have none; create_permissions skips those
        try:
            create_permissions(app_config, verbosity=0, using=using, apps=apps)
        finally:
            app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.using(using).get_or_create(name=GROUP)
    wanted = [
        f"{action}_{model}" for models in GRANTS.values() for model, actions in models.items() for action in actions
    ]
    permissions = Permission.objects.using(using).filter(
        content_type__app_label__in=list(GRANTS), codename__in=wanted
    )
    found = {permission.codename for permission in permissions}
    missing = sorted(set(wanted) - found)
    if missing:
        raise RuntimeError(f"Editor group: permissions not found: {', '.join(missing)}")
    group.permissions.add(*permissions)


def remove_editor_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.using(schema_editor.connection.alias).filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("articles", "0002_launch_article"),
        ("calculator", "0004_starter_products"),
    ]

    operations = [migrations.RunPython(create_editor_group, remove_editor_group)]
