"""Vitamin K1 (phylloquinone) in the leafy greens on the food list (issue 11): people on warfarin are told to keep
their vitamin K steady, and most of it comes from greens as K1, so the results count it beside the K2.

Per-serving amounts are the USDA SR Legacy value per 100 g times the serving's weight. Created only where missing."""

from django.db import migrations

USDA = "USDA National Nutrient Database for Standard Reference, Legacy (FoodData Central)"
# food slug -> (per-serving mcg, per-100 g mcg, NDB number, FDC id)
K1 = {
    "kale": (1062, 817, "11234", "169238"),
    "collard-greens": (773, 406.6, "11162", "170407"),
    "bok-choy": (58, 34, "11117", "170417"),
}


def create_missing(apps, schema_editor):
    Nutrient = apps.get_model("calculator", "Nutrient")
    Food = apps.get_model("calculator", "Food")
    FoodNutrient = apps.get_model("calculator", "FoodNutrient")
    k1, _ = Nutrient.objects.get_or_create(
        slug="vitamin-k1", defaults={"name": "Vitamin K1 (phylloquinone)", "unit": "mcg"}
    )
    for food in Food.objects.filter(slug__in=K1):
        amount, per_100_g, ndb, fdc = K1[food.slug]
        FoodNutrient.objects.get_or_create(
            food=food,
            nutrient=k1,
            defaults={
                "amount": amount,
                "source_title": f"{USDA}, NDB {ndb}: {per_100_g} mcg vitamin K1 per 100 g",
                "source_url": f"https://fdc.nal.usda.gov/food-details/{fdc}/nutrients",
            },
        )


def remove(apps, schema_editor):
    apps.get_model("calculator", "FoodNutrient").objects.filter(nutrient__slug="vitamin-k1").delete()
    apps.get_model("calculator", "Nutrient").objects.filter(slug="vitamin-k1").delete()


class Migration(migrations.Migration):
    dependencies = [("calculator", "0007_safety_data")]
    operations = [migrations.RunPython(create_missing, remove)]
