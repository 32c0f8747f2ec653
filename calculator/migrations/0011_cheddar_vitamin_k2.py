"""Cheddar's vitamin K2 (issue 13's fact check): the shipped 12 mcg per 1.5 oz came from a conference abstract and is
about ten times too low. Fu et al. 2017 measured hard cheeses at 282 mcg of vitamin K per 100 g, about 90% of it as
menaquinones (K2): 282 x 0.425 = 120 mcg per 42.5 g serving. The row is changed only where it still holds the shipped
value, so an editor's own figure survives; the reverse restores it on the same condition."""

from decimal import Decimal

from django.db import migrations

OLD = (Decimal("12.0"), "Fu X et al. (2017). Multiple vitamin K forms exist in dairy foods.")
NEW = (
    Decimal("120.0"),
    "Fu X, Harshman SG, Shen X, et al. (2017). Multiple vitamin K forms exist in dairy foods. Curr Dev Nutr "
    "1(6):e000638: hard cheeses 282 mcg vitamin K per 100 g, mostly menaquinones; x 42.5 g",
    "https://doi.org/10.3945/cdn.117.000638",
)


def _row(apps):
    FoodNutrient = apps.get_model("calculator", "FoodNutrient")
    return FoodNutrient.objects.filter(food__slug="cheese", nutrient__slug="vitamin-k2")


def forward(apps, schema_editor):
    _row(apps).filter(amount=OLD[0], source_title__startswith=OLD[1]).update(
        amount=NEW[0], source_title=NEW[1], source_url=NEW[2]
    )


def backward(apps, schema_editor):
    _row(apps).filter(amount=NEW[0], source_title=NEW[1]).update(
        amount=OLD[0],
        source_title="Fu X et al. (2017). Multiple vitamin K forms exist in dairy foods. Curr Dev Nutr 1(6):e000638 "
        "(menaquinones in US dairy foods, USDA HNRCA)",
        source_url="https://pubmed.ncbi.nlm.nih.gov/?term=Multiple+vitamin+K+forms+exist+in+dairy+foods",
    )


class Migration(migrations.Migration):
    dependencies = [("calculator", "0010_eu_uk_guidelines")]
    operations = [migrations.RunPython(forward, backward)]
