"""Starter product catalogue: generic listings described only by what one serving holds, so the recommendation panel
works from the first deploy. Editors replace them with real offers (or deactivate them) in the admin.

No brand, no certification claim, no review: each listing names a composition that many makers sell. The prices are
rough placeholder estimates for a product of that composition, and every outbound link goes to the NIH Office of
Dietary Supplements fact sheet for the main nutrient, not to a shop. Each listing's editor note says so.

Rows are created only where their slug is missing, so an editor's later change survives a re-run. The data is frozen
here (no app code is imported); the reverse removes the listings this file defines that are still starter listings.
"""

from decimal import Decimal

from django.db import migrations

ODS = {
    "calcium": "https://ods.od.nih.gov/factsheets/Calcium-Consumer/",
    "vitamin-k2": "https://ods.od.nih.gov/factsheets/VitaminK-Consumer/",
    "vitamin-d": "https://ods.od.nih.gov/factsheets/VitaminD-Consumer/",
    "magnesium": "https://ods.od.nih.gov/factsheets/Magnesium-Consumer/",
}
EDITOR_NOTE = (
    "Starter listing shipped with the site: a generic composition, not a particular product. The price is a "
    "placeholder estimate for a typical product of this composition, and the link goes to the NIH fact sheet for "
    "{nutrient}. Replace the name, brand, price and link with a real offer you have checked (and set its "
    "certification only if the label shows it), then untick 'starter'; or deactivate this listing."
)

# slug, name, description, servings per container, placeholder price (USD), link nutrient,
# ingredients per serving: (nutrient slug, amount in the nutrient's unit, form)
PRODUCTS = [
    (
        "starter-calcium-citrate-200",
        "Calcium citrate, 200 mg",
        "Calcium citrate tablets: one tablet gives 200 mg of elemental calcium (about 950 mg of calcium citrate). "
        "Can be taken with or without food.",
        120, "9.60", "calcium",
        [("calcium", "200", "calcium-citrate")],
    ),
    (
        "starter-calcium-citrate-500",
        "Calcium citrate, 500 mg",
        "Calcium citrate tablets: two tablets give 500 mg of elemental calcium. Can be taken with or without food.",
        60, "12.00", "calcium",
        [("calcium", "500", "calcium-citrate")],
    ),
    (
        "starter-calcium-carbonate-500",
        "Calcium carbonate, 500 mg",
        "Calcium carbonate tablets: one tablet gives 500 mg of elemental calcium (1,250 mg of calcium carbonate). "
        "Take it with a meal.",
        120, "8.40", "calcium",
        [("calcium", "500", "calcium-carbonate")],
    ),
    (
        "starter-calcium-carbonate-300-d3",
        "Calcium carbonate 300 mg with vitamin D3",
        "Calcium carbonate with vitamin D3: one tablet gives 300 mg of elemental calcium and 400 IU of vitamin D3. "
        "Take it with a meal.",
        120, "9.00", "calcium",
        [("calcium", "300", "calcium-carbonate"), ("vitamin-d", "400", "d3")],
    ),
    (
        "starter-vitamin-k2-mk7-100",
        "Vitamin K2 (MK-7), 100 mcg",
        "Vitamin K2 as menaquinone-7 (MK-7): one capsule gives 100 mcg. No calcium.",
        60, "12.00", "vitamin-k2",
        [("vitamin-k2", "100", "mk-7")],
    ),
    (
        "starter-vitamin-k2-mk7-180",
        "Vitamin K2 (MK-7), 180 mcg",
        "Vitamin K2 as menaquinone-7 (MK-7): one capsule gives 180 mcg, the daily amount used in a three-year "
        "bone study in postmenopausal women. No calcium.",
        60, "18.00", "vitamin-k2",
        [("vitamin-k2", "180", "mk-7")],
    ),
    (
        "starter-calcium-citrate-d3-k2",
        "Calcium citrate 250 mg with vitamin D3 and K2 (MK-7)",
        "Calcium citrate with vitamins D3 and K2: one serving gives 250 mg of elemental calcium, 1,000 IU of "
        "vitamin D3 and 90 mcg of vitamin K2 as MK-7.",
        60, "15.00", "calcium",
        [("calcium", "250", "calcium-citrate"), ("vitamin-d", "1000", "d3"), ("vitamin-k2", "90", "mk-7")],
    ),
    (
        "starter-calcium-carbonate-d3-k2",
        "Calcium carbonate 500 mg with vitamin D3 and K2 (MK-7)",
        "Calcium carbonate with vitamins D3 and K2: one serving gives 500 mg of elemental calcium, 1,000 IU of "
        "vitamin D3 and 90 mcg of vitamin K2 as MK-7. Take it with a meal.",
        60, "13.20", "calcium",
        [("calcium", "500", "calcium-carbonate"), ("vitamin-d", "1000", "d3"), ("vitamin-k2", "90", "mk-7")],
    ),
    (
        "starter-vitamin-d3-k2",
        "Vitamin D3 1,000 IU with K2 (MK-7) 100 mcg",
        "Vitamins D3 and K2 without calcium: one capsule gives 1,000 IU of vitamin D3 and 100 mcg of vitamin K2 "
        "as MK-7.",
        60, "13.80", "vitamin-k2",
        [("vitamin-d", "1000", "d3"), ("vitamin-k2", "100", "mk-7")],
    ),
    (
        "starter-magnesium-glycinate-200",
        "Magnesium glycinate, 200 mg",
        "Magnesium glycinate capsules: two capsules give 200 mg of elemental magnesium, below the 350 mg a day "
        "upper limit for magnesium from supplements.",
        60, "12.00", "magnesium",
        [("magnesium", "200", "magnesium-glycinate")],
    ),
    (
        "starter-magnesium-citrate-150",
        "Magnesium citrate, 150 mg",
        "Magnesium citrate tablets: one tablet gives 150 mg of elemental magnesium.",
        120, "10.80", "magnesium",
        [("magnesium", "150", "magnesium-citrate")],
    ),
]
NUTRIENT_WORDS = {"calcium": "calcium", "vitamin-k2": "vitamin K", "vitamin-d": "vitamin D", "magnesium": "magnesium"}


def create_missing(apps, schema_editor):
    Product = apps.get_model("calculator", "Product")
    ProductNutrient = apps.get_model("calculator", "ProductNutrient")
    nutrients = {n.slug: n for n in apps.get_model("calculator", "Nutrient").objects.filter(slug__in=ODS)}
    existing = set(Product.objects.filter(slug__in=[row[0] for row in PRODUCTS]).values_list("slug", flat=True))
    for slug, name, description, servings, price, link_nutrient, ingredients in PRODUCTS:
        if slug in existing or any(nutrient not in nutrients for nutrient, _, _ in ingredients):
            continue
        product = Product.objects.create(
            slug=slug,
            name=name,
            description=description,
            servings_per_container=servings,
            price=Decimal(price),
            currency="USD",
            url=ODS[link_nutrient],
            certification="none",
            is_active=True,
            is_starter=True,
            editor_note=EDITOR_NOTE.format(nutrient=NUTRIENT_WORDS[link_nutrient]),
        )
        ProductNutrient.objects.bulk_create(
            ProductNutrient(product=product, nutrient=nutrients[nutrient], amount=Decimal(amount), form=form)
            for nutrient, amount, form in ingredients
        )


def remove(apps, schema_editor):
    Product = apps.get_model("calculator", "Product")
    Product.objects.filter(slug__in=[row[0] for row in PRODUCTS], is_starter=True).delete()


class Migration(migrations.Migration):
    dependencies = [("calculator", "0003_reference_data")]
    operations = [migrations.RunPython(create_missing, remove)]
