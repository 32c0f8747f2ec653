from django.db import migrations

NUTRIENTS = [
    ("calcium", "Calcium", "mg"),
    ("vitamin-k2", "Vitamin K", "mcg"),
    ("vitamin-d", "Vitamin D", "IU"),
    ("magnesium", "Magnesium", "mg"),
]


def create_missing(apps, schema_editor):
    Nutrient = apps.get_model("calculator", "Nutrient")
    for slug, name, unit in NUTRIENTS:
        Nutrient.objects.get_or_create(slug=slug, defaults={"name": name, "unit": unit})


def remove(apps, schema_editor):
    apps.get_model("calculator", "Nutrient").objects.filter(slug__in=[slug for slug, _, _ in NUTRIENTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("calculator", "0001_initial")]
    operations = [migrations.RunPython(create_missing, remove)]
