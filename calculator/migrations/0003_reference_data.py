"""Reference data: intake guidelines (calcium, vitamin K, magnesium, vitamin D; ages 1 and up), foods with their
calcium and vitamin K2 per serving, medications and conditions with their cautions.

Every number comes from the official tables named below (docs/reference-tables.md keeps a copy of them).
Rows are created only where their natural key is missing, so an editor's later change in the admin survives a
re-run. The data is frozen here (no app code is imported) and the reverse removes exactly what this file defines.

The migration also relaxes the "limit not below target" check for supplements-only limits: magnesium's UL for ages
1-8 (65 and 110 mg, supplements only) is lower than its RDA (80 and 130 mg, all sources), and both are correct.
"""

from django.db import migrations, models

# ---------------------------------------------------------------------------------------------------------------
# Sources
# ---------------------------------------------------------------------------------------------------------------

IOM2011 = (
    "Institute of Medicine (2011). Dietary Reference Intakes for Calcium and Vitamin D. National Academies Press",
    "https://doi.org/10.17226/13050",
)
IOM1997 = (
    "Institute of Medicine (1997). Dietary Reference Intakes for Calcium, Phosphorus, Magnesium, Vitamin D, "
    "and Fluoride. National Academies Press",
    "https://doi.org/10.17226/5776",
)
IOM2001 = (
    "Institute of Medicine (2001). Dietary Reference Intakes for Vitamin A, Vitamin K, Arsenic, Boron, Chromium, "
    "Copper, Iodine, Iron, Manganese, Molybdenum, Nickel, Silicon, Vanadium, and Zinc. National Academies Press",
    "https://doi.org/10.17226/10026",
)
NBK545442 = (
    "Food and Nutrition Board, National Academies. Dietary Reference Intakes: Recommended Dietary Allowances and "
    "Adequate Intakes, Elements (NCBI Bookshelf NBK545442); supplements-only UL: IOM 1997",
    "https://www.ncbi.nlm.nih.gov/books/NBK545442/",
)
DGA = (
    "Dietary Guidelines for Americans (USDA/HHS). Food Sources of Calcium",
    "https://www.dietaryguidelines.gov/food-sources-calcium",
)
ODS_CALCIUM_OLD = (
    "NIH Office of Dietary Supplements. Calcium fact sheet, Table 2 (selected food sources of calcium)",
    "https://ods.od.nih.gov/factsheets/Calcium-HealthProfessional/",
)
USDA_SR = (
    "USDA National Nutrient Database for Standard Reference (via FoodData Central)",
    "https://fdc.nal.usda.gov/",
)
ODS_VITAMIN_K = (
    "NIH Office of Dietary Supplements. Vitamin K fact sheet for health professionals, table of food sources",
    "https://ods.od.nih.gov/factsheets/VitaminK-HealthProfessional/",
)
FU_DAIRY = (
    "Fu X et al. (2017). Multiple vitamin K forms exist in dairy foods. Curr Dev Nutr 1(6):e000638 "
    "(menaquinones in US dairy foods, USDA HNRCA)",
    "https://pubmed.ncbi.nlm.nih.gov/?term=Multiple+vitamin+K+forms+exist+in+dairy+foods",
)
DANISH_MEAT = (
    "Vitamin K2 (menaquinones) in Danish foods, Food Chemistry 2025;464:141651 (chicken thigh with skin, "
    "53 mcg per 100 g)",
    "https://pubmed.ncbi.nlm.nih.gov/?term=menaquinone+Danish+food+Food+Chemistry+2025",
)
THEUWISSEN2013 = (
    "Theuwissen E et al. (2013). Effect of low-dose supplements of menaquinone-7 (vitamin K2) on the stability of "
    "oral anticoagulant treatment. J Thromb Haemost 11(6):1085-92",
    "https://pubmed.ncbi.nlm.nih.gov/?term=Effect+of+low-dose+supplements+of+menaquinone-7+on+the+stability+of+oral+anticoagulant+treatment",
)
LEVOTHYROXINE_LABEL = (
    "Levothyroxine (Synthroid) prescribing information, drug interactions; NIH ODS calcium fact sheet",
    "https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=levothyroxine",
)
TETRACYCLINE_LABEL = (
    "Tetracycline-class antibiotics (doxycycline, minocycline) prescribing information, interactions with calcium",
    "https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=doxycycline",
)
CIPRO_LABEL = (
    "Ciprofloxacin prescribing information: take at least 2 hours before or 6 hours after products with calcium",
    "https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=ciprofloxacin",
)
ALENDRONATE_LABEL = (
    "Alendronate prescribing information: wait at least 30 minutes after the dose before any other oral medicine, "
    "including calcium",
    "https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=alendronate",
)
IRON_CALCIUM = (
    "Calcium and iron absorption: mechanisms and public health relevance. Nutr Rev 1995 (PMID 7770189)",
    "https://pubmed.ncbi.nlm.nih.gov/7770189/",
)
HEANEY_SUPPLEMENTS = (
    "Heaney RP. Calcium supplements: practical considerations. Osteoporos Int; NIH ODS calcium fact sheet",
    "https://ods.od.nih.gov/factsheets/Calcium-HealthProfessional/",
)

# ---------------------------------------------------------------------------------------------------------------
# Intake guidelines: (nutrient slug, sex, age_min, age_max, life_stage, target, kind, upper_limit, scope, source)
# Ages are completed years, both ends inclusive; age_max None means "and older".
# ---------------------------------------------------------------------------------------------------------------

ANY, F, M = "any", "female", "male"
NONE, PREG, LACT = "none", "pregnant", "lactating"
RDA, AI = "RDA", "AI"
ALL, SUPP = "all", "supplements"

GUIDELINES = [
    # Calcium, IOM 2011 (RDA; UL from all sources).
    ("calcium", ANY, 1, 3, NONE, 700, RDA, 2500, ALL, IOM2011),
    ("calcium", ANY, 4, 8, NONE, 1000, RDA, 2500, ALL, IOM2011),
    ("calcium", ANY, 9, 13, NONE, 1300, RDA, 3000, ALL, IOM2011),
    ("calcium", ANY, 14, 18, NONE, 1300, RDA, 3000, ALL, IOM2011),
    ("calcium", ANY, 19, 50, NONE, 1000, RDA, 2500, ALL, IOM2011),
    ("calcium", M, 51, 70, NONE, 1000, RDA, 2000, ALL, IOM2011),
    ("calcium", F, 51, 70, NONE, 1200, RDA, 2000, ALL, IOM2011),
    ("calcium", ANY, 71, None, NONE, 1200, RDA, 2000, ALL, IOM2011),
    ("calcium", F, 14, 18, PREG, 1300, RDA, 3000, ALL, IOM2011),
    ("calcium", F, 19, 50, PREG, 1000, RDA, 2500, ALL, IOM2011),
    ("calcium", F, 14, 18, LACT, 1300, RDA, 3000, ALL, IOM2011),
    ("calcium", F, 19, 50, LACT, 1000, RDA, 2500, ALL, IOM2011),
    # Vitamin K (K1 and K2 together), IOM 2001 (AI; no UL set).
    ("vitamin-k2", ANY, 1, 3, NONE, 30, AI, None, ALL, IOM2001),
    ("vitamin-k2", ANY, 4, 8, NONE, 55, AI, None, ALL, IOM2001),
    ("vitamin-k2", ANY, 9, 13, NONE, 60, AI, None, ALL, IOM2001),
    ("vitamin-k2", ANY, 14, 18, NONE, 75, AI, None, ALL, IOM2001),
    ("vitamin-k2", M, 19, None, NONE, 120, AI, None, ALL, IOM2001),
    ("vitamin-k2", F, 19, None, NONE, 90, AI, None, ALL, IOM2001),
    ("vitamin-k2", F, 14, 18, PREG, 75, AI, None, ALL, IOM2001),
    ("vitamin-k2", F, 19, 50, PREG, 90, AI, None, ALL, IOM2001),
    ("vitamin-k2", F, 14, 18, LACT, 75, AI, None, ALL, IOM2001),
    ("vitamin-k2", F, 19, 50, LACT, 90, AI, None, ALL, IOM2001),
    # Magnesium, IOM 1997 (RDA; the UL covers supplements and medicines only, not food).
    ("magnesium", ANY, 1, 3, NONE, 80, RDA, 65, SUPP, NBK545442),
    ("magnesium", ANY, 4, 8, NONE, 130, RDA, 110, SUPP, NBK545442),
    ("magnesium", ANY, 9, 13, NONE, 240, RDA, 350, SUPP, NBK545442),
    ("magnesium", M, 14, 18, NONE, 410, RDA, 350, SUPP, NBK545442),
    ("magnesium", F, 14, 18, NONE, 360, RDA, 350, SUPP, NBK545442),
    ("magnesium", M, 19, 30, NONE, 400, RDA, 350, SUPP, NBK545442),
    ("magnesium", F, 19, 30, NONE, 310, RDA, 350, SUPP, NBK545442),
    ("magnesium", M, 31, 50, NONE, 420, RDA, 350, SUPP, NBK545442),
    ("magnesium", F, 31, 50, NONE, 320, RDA, 350, SUPP, NBK545442),
    ("magnesium", M, 51, 70, NONE, 420, RDA, 350, SUPP, NBK545442),
    ("magnesium", F, 51, 70, NONE, 320, RDA, 350, SUPP, NBK545442),
    ("magnesium", M, 71, None, NONE, 420, RDA, 350, SUPP, NBK545442),
    ("magnesium", F, 71, None, NONE, 320, RDA, 350, SUPP, NBK545442),
    ("magnesium", F, 14, 18, PREG, 400, RDA, 350, SUPP, NBK545442),
    ("magnesium", F, 19, 30, PREG, 350, RDA, 350, SUPP, NBK545442),
    ("magnesium", F, 31, 50, PREG, 360, RDA, 350, SUPP, NBK545442),
    ("magnesium", F, 14, 18, LACT, 360, RDA, 350, SUPP, NBK545442),
    ("magnesium", F, 19, 30, LACT, 310, RDA, 350, SUPP, NBK545442),
    ("magnesium", F, 31, 50, LACT, 320, RDA, 350, SUPP, NBK545442),
    # Vitamin D in IU, IOM 2011 (RDA; UL from all sources). 1 mcg = 40 IU.
    ("vitamin-d", ANY, 1, 3, NONE, 600, RDA, 2500, ALL, IOM2011),
    ("vitamin-d", ANY, 4, 8, NONE, 600, RDA, 3000, ALL, IOM2011),
    ("vitamin-d", ANY, 9, 70, NONE, 600, RDA, 4000, ALL, IOM2011),
    ("vitamin-d", ANY, 71, None, NONE, 800, RDA, 4000, ALL, IOM2011),
    ("vitamin-d", F, 14, 50, PREG, 600, RDA, 4000, ALL, IOM2011),
    ("vitamin-d", F, 14, 50, LACT, 600, RDA, 4000, ALL, IOM2011),
]

# ---------------------------------------------------------------------------------------------------------------
# Foods: slug, name, category, serving in words, quantity, unit, sort order, {nutrient slug: (amount, source)}.
# Only sourced amounts are recorded: a food without a vitamin K2 row counts as 0 mcg K2 (leafy greens carry
# vitamin K1, not K2), and meats, eggs and natto have no sourced calcium value in the reference tables.
# ---------------------------------------------------------------------------------------------------------------

FOODS = [
    ("milk", "Milk, low-fat (1%)", "dairy", "1 cup (240 ml)", 240, "ml", 10,
     {"calcium": (305, DGA), "vitamin-k2": (31.5, FU_DAIRY)}),
    ("yogurt", "Yogurt, plain, low-fat", "dairy", "1 cup (8 oz, 227 g)", 227, "g", 20,
     {"calcium": (448, DGA)}),
    ("cheese", "Cheese, cheddar", "dairy", "1.5 oz (42.5 g)", 42.5, "g", 30,
     {"calcium": (307, ODS_CALCIUM_OLD), "vitamin-k2": (12.0, FU_DAIRY)}),
    ("kefir", "Kefir, plain, low-fat", "dairy", "1 cup (240 ml)", 240, "ml", 40,
     {"calcium": (317, DGA)}),
    ("kale", "Kale, cooked", "greens", "1 cup cooked (130 g)", 130, "g", 10,
     {"calcium": (177, DGA)}),
    ("collard-greens", "Collard greens, cooked", "greens", "1 cup cooked (190 g)", 190, "g", 20,
     {"calcium": (268, DGA)}),
    ("bok-choy", "Bok choy, cooked", "greens", "1 cup cooked (170 g)", 170, "g", 30,
     {"calcium": (185, DGA)}),
    ("sardines", "Sardines, canned, with bones", "fish", "3 oz (85 g)", 85, "g", 10,
     {"calcium": (325, DGA)}),
    ("canned-salmon", "Salmon, canned, with bones", "fish", "3 oz (85 g)", 85, "g", 20,
     {"calcium": (181, DGA)}),
    ("fortified-plant-milk", "Soy drink, unsweetened, calcium-fortified", "fortified", "1 cup (240 ml)", 240, "ml",
     10, {"calcium": (301, DGA)}),
    ("tofu", "Tofu, regular, made with calcium sulfate", "fortified", "1/2 cup (126 g)", 126, "g", 20,
     {"calcium": (434, DGA)}),
    ("fortified-orange-juice", "Orange juice, calcium-fortified", "fortified", "1 cup (240 ml)", 240, "ml", 30,
     {"calcium": (349, DGA)}),
    ("almonds", "Almonds", "nuts-seeds", "1 oz (28 g, about 23 almonds)", 28, "g", 10,
     {"calcium": (75, USDA_SR)}),
    ("sesame-seeds", "Sesame seeds, whole (unhulled)", "nuts-seeds", "1 tablespoon (9 g)", 9, "g", 20,
     {"calcium": (88, USDA_SR)}),
    ("natto", "Natto (fermented soybeans)", "fermented", "3 oz (85 g)", 85, "g", 10,
     {"vitamin-k2": (850, ODS_VITAMIN_K)}),
    ("egg-yolk", "Egg yolk", "meat-eggs", "1 large egg's yolk (17 g)", 17, "g", 10,
     {"vitamin-k2": (4, ODS_VITAMIN_K)}),
    ("liver", "Chicken liver, braised", "meat-eggs", "3 oz (85 g)", 85, "g", 20,
     {"vitamin-k2": (6, ODS_VITAMIN_K)}),
    ("beef", "Ground beef, broiled", "meat-eggs", "3 oz (85 g)", 85, "g", 30,
     {"vitamin-k2": (6, ODS_VITAMIN_K)}),
    ("chicken-thigh", "Chicken thigh with skin", "meat-eggs", "3 oz (85 g)", 85, "g", 40,
     {"vitamin-k2": (45.1, DANISH_MEAT)}),
]

# ---------------------------------------------------------------------------------------------------------------
# Medications and conditions: slug, name, (anticoagulant,) [(nutrient, severity, spacing hours, message, source)]
# ---------------------------------------------------------------------------------------------------------------

MEDICATIONS = [
    ("warfarin", "Warfarin (Coumadin, Jantoven)", True, [
        ("vitamin-k2", "critical", None,
         "You take warfarin, a vitamin K antagonist. Do not start a vitamin K2 (MK-7) supplement unless your "
         "anticoagulation clinic agrees: as little as 10-20 mcg of MK-7 a day changed the INR in a clinically "
         "relevant way in a controlled study. Keep the vitamin K in your food steady from week to week.",
         THEUWISSEN2013),
    ]),
    ("other-vitamin-k-antagonist", "Another vitamin K antagonist (acenocoumarol, phenprocoumon)", True, [
        ("vitamin-k2", "critical", None,
         "Vitamin K antagonists such as acenocoumarol react to even small doses of vitamin K2 (MK-7). Do not start "
         "a vitamin K2 supplement unless your anticoagulation clinic agrees, and keep the vitamin K in your food "
         "steady.",
         THEUWISSEN2013),
    ]),
    ("levothyroxine", "Levothyroxine (thyroid hormone)", False, [
        ("calcium", "caution", 4,
         "Calcium binds levothyroxine in the gut and lowers how much you absorb. Take levothyroxine at least "
         "4 hours before or 4 hours after calcium supplements and calcium-fortified foods.",
         LEVOTHYROXINE_LABEL),
    ]),
    ("tetracyclines", "Tetracycline antibiotics (doxycycline, minocycline, tetracycline)", False, [
        ("calcium", "caution", 4,
         "Calcium binds tetracycline antibiotics and stops them working fully. Take the antibiotic at least "
         "2 hours before or 4 hours after calcium, dairy or calcium-fortified foods; the plan keeps 4 hours either "
         "side.",
         TETRACYCLINE_LABEL),
    ]),
    ("fluoroquinolones", "Fluoroquinolone antibiotics (ciprofloxacin, levofloxacin)", False, [
        ("calcium", "caution", 6,
         "Calcium binds fluoroquinolone antibiotics. Take ciprofloxacin at least 2 hours before or 6 hours after "
         "calcium supplements, and not with dairy or calcium-fortified drinks alone; the plan keeps 6 hours either "
         "side. Other quinolones have their own label timing: check with your pharmacist.",
         CIPRO_LABEL),
    ]),
    ("bisphosphonates", "Bisphosphonates (alendronate, risedronate, ibandronate)", False, [
        ("calcium", "caution", 2,
         "Calcium stops bisphosphonates being absorbed. Take the bisphosphonate first, on an empty stomach with "
         "plain water, exactly as its label says (alendronate: at least 30 minutes before anything else); the plan "
         "waits 2 hours before calcium, as many pharmacists advise.",
         ALENDRONATE_LABEL),
    ]),
    ("iron-supplements", "Iron supplements", False, [
        ("calcium", "caution", 2,
         "Calcium lowers how much iron you absorb. Take iron and calcium at least 2 hours apart.",
         IRON_CALCIUM),
    ]),
    ("thiazide-diuretics", "Thiazide diuretics (hydrochlorothiazide, chlorthalidone)", False, [
        ("calcium", "caution", None,
         "Thiazide diuretics make the kidneys keep more calcium, so high calcium intakes can raise blood calcium. "
         "Avoid high-dose calcium supplements unless your doctor advises them.",
         IOM1997),
    ]),
]

CONDITIONS = [
    ("kidney-disease", "Chronic kidney disease", [
        ("calcium", "critical", None,
         "People with kidney disease are particularly sensitive to too much calcium. Do not take calcium "
         "supplements unless your kidney doctor recommends a dose.",
         IOM1997),
    ]),
    ("hyperparathyroidism", "Hyperparathyroidism", [
        ("calcium", "critical", None,
         "Hyperparathyroidism can raise blood calcium. Take calcium or vitamin D supplements only under medical "
         "supervision.",
         IOM2011),
    ]),
    ("sarcoidosis", "Sarcoidosis", [
        ("calcium", "critical", None,
         "Sarcoidosis can increase calcium absorption and blood calcium. Do not take calcium or vitamin D "
         "supplements unless your doctor recommends them.",
         IOM2011),
    ]),
    ("kidney-stones", "History of kidney stones", [
        ("calcium", "caution", None,
         "Do not cut the calcium in your food: that does not prevent stones. If you take a calcium supplement, "
         "take it with meals and keep your total within the upper limit; ask your doctor which form suits you.",
         IOM2011),
    ]),
    ("digestive-issues", "Digestive conditions (coeliac disease, Crohn's disease, low stomach acid)", [
        ("calcium", "info", None,
         "Conditions that affect absorption can lower the calcium you take up. Calcium citrate can be taken with "
         "or without food and suits low stomach acid or acid-reducing medicines; calcium carbonate needs a meal. "
         "Ask your doctor whether your levels should be checked.",
         HEANEY_SUPPLEMENTS),
    ]),
]


def _guideline_key(row):
    nutrient, sex, age_min, age_max, life_stage = row[:5]
    return {"nutrient__slug": nutrient, "sex": sex, "age_min": age_min, "age_max": age_max, "life_stage": life_stage}


def create_missing(apps, schema_editor):
    Nutrient = apps.get_model("calculator", "Nutrient")
    IntakeGuideline = apps.get_model("calculator", "IntakeGuideline")
    Food = apps.get_model("calculator", "Food")
    FoodNutrient = apps.get_model("calculator", "FoodNutrient")
    Medication = apps.get_model("calculator", "Medication")
    Condition = apps.get_model("calculator", "Condition")
    Caution = apps.get_model("calculator", "Caution")
    nutrients = {n.slug: n for n in Nutrient.objects.all()}

    for row in GUIDELINES:
        slug, sex, age_min, age_max, life_stage, target, kind, limit, scope, (title, url) = row
        nutrient = nutrients[slug]
        # An editor may have changed the numbers; the band itself (who it is for) is the natural key.
        if IntakeGuideline.objects.filter(**_guideline_key(row)).exists():
            continue
        IntakeGuideline.objects.create(
            nutrient=nutrient, sex=sex, age_min=age_min, age_max=age_max, life_stage=life_stage, target=target,
            kind=kind, upper_limit=limit, upper_limit_scope=scope, source_title=title, source_url=url,
        )

    for slug, name, category, serving, quantity, unit, order, amounts in FOODS:
        food, created = Food.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "category": category, "serving": serving, "serving_quantity": quantity,
                      "serving_unit": unit, "sort_order": order},
        )
        if not created:
            continue
        for nutrient_slug, (amount, (title, url)) in amounts.items():
            FoodNutrient.objects.create(
                food=food, nutrient=nutrients[nutrient_slug], amount=amount, source_title=title, source_url=url
            )

    def add_cautions(owner_field, owner, cautions):
        for nutrient_slug, severity, spacing, message, (title, url) in cautions:
            Caution.objects.create(
                **{owner_field: owner}, nutrient=nutrients[nutrient_slug], severity=severity, spacing_hours=spacing,
                message=message, source_title=title, source_url=url,
            )

    for slug, name, anticoagulant, cautions in MEDICATIONS:
        medication, created = Medication.objects.get_or_create(
            slug=slug, defaults={"name": name, "is_anticoagulant": anticoagulant}
        )
        if created:
            add_cautions("medication", medication, cautions)

    for slug, name, cautions in CONDITIONS:
        condition, created = Condition.objects.get_or_create(slug=slug, defaults={"name": name})
        if created:
            add_cautions("condition", condition, cautions)


def remove(apps, schema_editor):
    IntakeGuideline = apps.get_model("calculator", "IntakeGuideline")
    for row in GUIDELINES:
        IntakeGuideline.objects.filter(**_guideline_key(row)).delete()
    apps.get_model("calculator", "Food").objects.filter(slug__in=[row[0] for row in FOODS]).delete()
    apps.get_model("calculator", "Medication").objects.filter(slug__in=[row[0] for row in MEDICATIONS]).delete()
    apps.get_model("calculator", "Condition").objects.filter(slug__in=[row[0] for row in CONDITIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("calculator", "0002_nutrients")]

    operations = [
        migrations.RemoveConstraint(model_name="intakeguideline", name="guideline_limit_not_below_target"),
        migrations.AddConstraint(
            model_name="intakeguideline",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("upper_limit__isnull", True),
                    ("upper_limit_scope", "supplements"),
                    ("upper_limit__gte", models.F("target")),
                    _connector="OR",
                ),
                name="guideline_limit_not_below_target",
            ),
        ),
        migrations.RunPython(create_missing, remove),
    ]
