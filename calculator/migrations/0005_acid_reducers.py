"""Reference data: acid-reducing medicines, so the calculator can warn about calcium carbonate and the
recommendation ranking can prefer calcium citrate for people who take them (recommend.ACID_REDUCER_MEDICATIONS).

Created only where the slug is missing (an editor's later change survives); the reverse removes the row."""

from django.db import migrations

SLUG = "acid-reducers"
NAME = "Acid reducers (omeprazole and other proton-pump inhibitors, famotidine and other H2 blockers)"
MESSAGE = (
    "Acid-reducing medicines lower stomach acid, which calcium carbonate needs to dissolve. Calcium citrate is "
    "absorbed without it, so it is the better choice for you; if you use carbonate, always take it with a meal."
)
SOURCE = (
    "NIH Office of Dietary Supplements. Calcium fact sheet for health professionals (calcium citrate and "
    "achlorhydria or acid-reducing medicines)",
    "https://ods.od.nih.gov/factsheets/Calcium-HealthProfessional/",
)


def create_missing(apps, schema_editor):
    Medication = apps.get_model("calculator", "Medication")
    Caution = apps.get_model("calculator", "Caution")
    Nutrient = apps.get_model("calculator", "Nutrient")
    medication, created = Medication.objects.get_or_create(slug=SLUG, defaults={"name": NAME})
    if created:
        Caution.objects.create(
            medication=medication,
            nutrient=Nutrient.objects.get(slug="calcium"),
            severity="info",
            message=MESSAGE,
            source_title=SOURCE[0],
            source_url=SOURCE[1],
        )


def remove(apps, schema_editor):
    apps.get_model("calculator", "Medication").objects.filter(slug=SLUG).delete()


class Migration(migrations.Migration):
    dependencies = [("calculator", "0004_starter_products")]
    operations = [migrations.RunPython(create_missing, remove)]
