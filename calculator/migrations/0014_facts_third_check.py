"""The third outside fact check (issue 26), in the calculator's data. Every figure below carries its source here and on
its row, so no reference file outside the project is needed to know where a number came from.

Foods
- Cheddar's vitamin K2: 120 mcg per 1.5 oz was Fu et al. 2017's average for a group of hard cheeses (282 mcg per
  100 g), about ten times what cheddar itself holds. The figure now is one measured on cheddar: full-fat cheddar,
  28.2 mcg of vitamin K per 100 g, about 90% of it long-chain menaquinones (the same USDA laboratory), so 12 mcg per
  42.5 g serving. The row's note gives the range: NIH ODS lists 4 mcg per 1.5 oz counting MK-4 only; European cheeses
  measured 0.3 to about 80 mcg per 100 g (Vermeer et al. 2018).
- The egg row held the NIH ODS figure for one whole hard-boiled egg (4 mcg, as MK-4) under the label "one large egg's
  yolk": it is now the whole egg (slug `egg`, formerly `egg-yolk`).
- Chicken thigh (Jensen et al. 2025): 53 mcg per 100 g is total vitamin K (K1 included, as phylloquinone
  equivalents), not K2 alone; the source and note say so.
- Kale and bok choy: official tables disagree by preparation; the notes give the ranges.

Medicines
- Fluoroquinolones: the class row named ciprofloxacin and levofloxacin but kept moxifloxacin's gaps (4 h before, 8 h
  after). The row now names moxifloxacin, and the source says whose each gap is.
- Tetracyclines: labels give no hours; one interaction reference separates them by 2 to 4 hours, another gives the
  mineral 2 hours before or 4 hours after the antibiotic. The site keeps the longest reading: at least 4 hours either
  side (spacing rows and caution).
- New: HIV integrase inhibitors (dolutegravir, bictegravir, cabotegravir): 2 hours before or 6 hours after calcium
  or iron supplements, or together with food (their labels); delayed-release risedronate (Atelvia), taken right
  after breakfast, unlike the other bisphosphonates (its label).

Intake guidelines
- EFSA's vitamin K adequate intake counts phylloquinone (K1) only: its rows say so (`phylloquinone_only`).
- EFSA's vitamin D upper limits are cited to the 2023 opinion, which kept the 2012 values.
- The UK's own figures, each with what kind of figure it is: vitamin K 1 mcg per kg of body weight a day for adults
  (COMA 1991's safe intake, as the NHS gives it: 65 mcg at 65 kg); calcium supplements of 1,500 mg a day or less
  "unlikely to cause harm" (the Expert Group on Vitamins and Minerals' guidance level, used by the NHS: a level for
  supplements, not an upper limit for all intake); vitamin D no more than 100 mcg (4,000 IU) a day for adults and
  children from 11, 50 mcg (2,000 IU) from 1 to 10 (NHS advice); magnesium 300 mg a day for men and 270 mg for women,
  and supplements of 400 mg a day or less unlikely to cause harm (NHS).

Rows are changed only where they still hold the value this project shipped, so an editor's later change survives;
rows are created only where missing. The reverse restores the shipped values on the same condition and removes what
this file created.
"""

from decimal import Decimal

from django.db import migrations, models

import django.core.validators

# ---------------------------------------------------------------------------------------------------------------
# Foods
# ---------------------------------------------------------------------------------------------------------------

FU_2017 = "https://doi.org/10.3945/cdn.117.000638"
ODS_K = "https://ods.od.nih.gov/factsheets/VitaminK-HealthProfessional/"
CHEDDAR_OLD = (
    Decimal("120.0"),
    "Fu X, Harshman SG, Shen X, et al. (2017). Multiple vitamin K forms exist in dairy foods. Curr Dev Nutr "
    "1(6):e000638: hard cheeses 282 mcg vitamin K per 100 g, mostly menaquinones; x 42.5 g",
    FU_2017,
)
CHEDDAR_NEW = (
    Decimal("12.0"),
    "Fu X, Booth SL et al., USDA Human Nutrition Research Center on Aging: vitamin K content of US dairy foods "
    "(with Fu et al. 2017, Curr Dev Nutr 1(6):e000638): full-fat cheddar 28.2 mcg per 100 g, about 90% "
    "menaquinones; x 42.5 g",
    FU_2017,
    "Measured on cheddar: about 4 mcg per 1.5 oz counting MK-4 only (NIH ODS) to about 12 mcg counting all "
    "menaquinones (USDA laboratory, with a wide spread between samples); European cheeses measured 0.3 to about 80 "
    "mcg per 100 g (Vermeer et al. 2018, Nutrients 10(4):446). The 120 mcg shown before was an average for a group "
    "of hard cheeses, not cheddar.",
)

EGG_OLD = {"slug": "egg-yolk", "name": "Egg yolk", "serving": "1 large egg's yolk (17 g)", "serving_quantity": 17}
EGG_NEW = {"slug": "egg", "name": "Egg, hard-boiled (whole)", "serving": "1 large egg (50 g)", "serving_quantity": 50}
EGG_SOURCE_OLD = (
    "NIH Office of Dietary Supplements. Vitamin K fact sheet for health professionals, table of food sources"
)
EGG_SOURCE_NEW = (
    "NIH Office of Dietary Supplements. Vitamin K fact sheet for health professionals, table of food sources: egg, "
    "hard-boiled, 1 large (whole egg), 4 mcg as MK-4"
)

THIGH_OLD = (
    "Vitamin K2 (menaquinones) in Danish foods, Food Chemistry 2025;464:141651 (chicken thigh with skin, 53 mcg per "
    "100 g)"
)
THIGH_NEW = (
    "Jensen MB, Langwagen M, Christensen T, Poulsen A, Jakobsen J (2025). Vitamin K - content in food and dietary "
    "intake among the Danes. Food Chem 464:141651: chicken thigh with skin, 53 mcg of total vitamin K (K1 included) "
    "per 100 g; x 85 g",
    "https://doi.org/10.1016/j.foodchem.2024.141651",
    "Total vitamin K, K1 included (as phylloquinone equivalents): the study gives no figure for K2 alone. Australian "
    "chicken leg meat measured 58 mcg of MK-4 per 100 g (Dunlop et al. 2022, Food Chem 397:133772).",
)

DGA = "Dietary Guidelines for Americans (USDA/HHS). Food Sources of Calcium"
FOOD_NOTES = [
    # (food, nutrient, the shipped source title, note)
    (
        "kale",
        "calcium",
        DGA,
        "Official tables disagree: 177 mg a cup cooked (Dietary Guidelines for Americans) against 94 mg for fresh "
        "kale, cooked (NIH ODS calcium fact sheet). The calculator uses the first.",
    ),
    (
        "bok-choy",
        "calcium",
        DGA,
        "Cooked: 158 mg a cup as pak choi and 185 mg as bok choy (Dietary Guidelines for Americans); raw and "
        "shredded it gives about 74 mg a cup (NIH ODS calcium fact sheet).",
    ),
    (
        "sesame-seeds",
        "calcium",
        "USDA National Nutrient Database for Standard Reference (via FoodData Central)",
        "Whole, unhulled seeds: 975 mg per 100 g. Hulled white seeds give about 5 mg a tablespoon.",
    ),
]

# ---------------------------------------------------------------------------------------------------------------
# Medicines
# ---------------------------------------------------------------------------------------------------------------

QUINOLONE_NAME = (
    "Fluoroquinolone antibiotics (ciprofloxacin, levofloxacin)",
    "Fluoroquinolone antibiotics (ciprofloxacin, levofloxacin, moxifloxacin)",
)
QUINOLONE_SOURCE = (
    "Ciprofloxacin (2 h before / 6 h after), levofloxacin (2 h / 2 h) and moxifloxacin (4 h before / 8 h after) "
    "prescribing information: products with calcium, iron, zinc or magnesium; the class row keeps moxifloxacin's",
    "The gaps kept are moxifloxacin's, the longest in the class: its prescribing information asks at least 4 hours "
    "before or 8 hours after products with calcium, iron, zinc or magnesium. Ciprofloxacin's asks 2 hours before or "
    "6 hours after; levofloxacin's 2 hours either side",
)

TETRACYCLINE_SPACING = (
    (Decimal("2.00"), Decimal("4.00")),
    "Doxycycline, minocycline and tetracycline prescribing information and UK SmPCs: 2 hours before or 4 hours after "
    "calcium, iron, antacids and dairy",
    (Decimal("4.00"), Decimal("4.00")),
    "Tetracyclines: the labels give no hours; one interaction reference separates them from calcium, iron and "
    "antacids by 2 to 4 hours, another gives the mineral 2 hours before or 4 hours after the antibiotic. The site "
    "keeps the longest reading: at least 4 hours either side",
    "https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=doxycycline",
)
TETRACYCLINE_CAUTION = (
    "Calcium, iron and dairy bind tetracycline antibiotics and stop them working fully. Take the antibiotic at least "
    "2 hours before or 4 hours after calcium, iron, dairy or calcium-fortified foods.",
    "Calcium, iron and dairy bind tetracycline antibiotics and stop them working fully. References differ on the "
    "hours, so the timetable keeps the longest: the antibiotic at least 4 hours before or 4 hours after calcium, "
    "iron, dairy or calcium-fortified foods.",
)

BISPHOSPHONATES_NAME = (
    "Bisphosphonates (alendronate, risedronate, ibandronate)",
    "Bisphosphonates (alendronate, immediate-release risedronate, ibandronate)",
)

INTEGRASE_SOURCE = (
    "Tivicay (dolutegravir), Biktarvy (bictegravir) and Vocabria (cabotegravir) prescribing information, drug "
    "interactions with polyvalent cations: 2 hours before or 6 hours after calcium or iron supplements, or together "
    "with food",
    "https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=dolutegravir",
)
INTEGRASE = {
    "slug": "integrase-inhibitors",
    "name": "HIV integrase inhibitors (dolutegravir, bictegravir, cabotegravir)",
    "caution": (
        "calcium",
        "caution",
        "Calcium and iron bind these HIV medicines in the gut and can stop them working. Take dolutegravir, "
        "bictegravir or cabotegravir at least 2 hours before or 6 hours after calcium or iron supplements, or take "
        "them together with food. The timetable keeps the gap.",
    ),
    "spacings": [("nutrient", "calcium"), ("medication", "iron-supplements")],
    "hours": (Decimal("2.00"), Decimal("6.00")),
}
RISEDRONATE_SOURCE = (
    "Atelvia (risedronate sodium delayed-release tablets) prescribing information, dosage and administration: "
    "take in the morning right after breakfast with at least 4 ounces of plain water, stay upright for 30 minutes; "
    "take calcium, antacids, magnesium and iron at a different time of day",
    "https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=atelvia",
)
RISEDRONATE = {
    "slug": "risedronate-delayed-release",
    "name": "Risedronate, delayed-release (Atelvia)",
    "caution": (
        "calcium",
        "caution",
        "Delayed-release risedronate is taken differently from other bisphosphonates: right after breakfast, with a "
        "glass of plain water, staying upright for 30 minutes. Take calcium, iron and antacids at a different time "
        "of day, not with that breakfast.",
    ),
}

# ---------------------------------------------------------------------------------------------------------------
# Intake guidelines
# ---------------------------------------------------------------------------------------------------------------

EFSA_VITAMIN_D = (
    "EFSA NDA Panel (2016). Dietary reference values for vitamin D. EFSA Journal 14(10):4547; upper limit: EFSA "
    "NDA Panel (2012), Tolerable Upper Intake Level of vitamin D, EFSA Journal 10(7):2813",
    "EFSA NDA Panel (2016). Dietary reference values for vitamin D. EFSA Journal 14(10):4547; upper limit: EFSA "
    "NDA Panel (2023), Scientific opinion on the tolerable upper intake level for vitamin D, EFSA Journal "
    "21(8):8145 (the 2012 values kept)",
)
EFSA_K1_ONLY = "EFSA's adequate intake counts vitamin K1 (phylloquinone) only: 1 mcg per kg of body weight a day."

UK_NO_CALCIUM_UL = "The UK sets no upper limit for calcium."
UK_CALCIUM = (
    "Department of Health (1991), COMA Report 41: calcium reference nutrient intakes; guidance level for "
    "supplements: Expert Group on Vitamins and Minerals (2003), Safe Upper Levels for Vitamins and Minerals; both "
    "as the NHS gives them",
    "https://www.nhs.uk/conditions/vitamins-and-minerals/calcium/",
    "The UK sets no upper limit for all calcium intake. Its guidance level is for supplements: 1,500 mg a day or "
    "less of calcium supplements is unlikely to cause harm (Expert Group on Vitamins and Minerals, used by the NHS).",
)
UK_CALCIUM_ADULT_ROWS = [("any", 19, None, "none"), ("female", 19, 50, "lactating")]

UK_NO_VITAMIN_K = "The UK sets no fixed daily amount of vitamin K."
UK_VITAMIN_K_CHILDREN = (
    "The UK's vitamin K figure, 1 mcg per kg of body weight a day, is given for adults; none is set for ages 1 to 18."
)
UK_VITAMIN_K = (
    "Department of Health (1991), COMA Report 41: safe intake of vitamin K for adults, 1 mcg per kg of body weight a "
    "day; NHS: vitamin K",
    "https://www.nhs.uk/conditions/vitamins-and-minerals/vitamin-k/",
    "1 mcg per kg of body weight a day: 65 mcg at 65 kg. Give your weight to have yours worked out.",
)

UK_NO_VITAMIN_D_UL = "SACN set no upper limit for vitamin D of its own."
UK_VITAMIN_D = (
    "Scientific Advisory Committee on Nutrition (2016). Vitamin D and Health; the most to take a day: NHS, vitamin D "
    "(no more than 100 mcg, 4,000 IU, for adults and children from 11; 50 mcg, 2,000 IU, from 1 to 10)",
    "https://www.nhs.uk/conditions/vitamins-and-minerals/vitamin-d/",
    "The NHS advises no more than 100 mcg (4,000 IU) of vitamin D a day for adults and children from 11, and 50 mcg "
    "(2,000 IU) for children aged 1 to 10.",
)

UK_MAGNESIUM = (
    "Department of Health (1991), COMA Report 41: magnesium reference nutrient intakes, as the NHS gives them; "
    "guidance level for supplements: Expert Group on Vitamins and Minerals (2003)",
    "https://www.nhs.uk/conditions/vitamins-and-minerals/others/",
    "For supplements the UK gives a guidance level, not an upper limit: 400 mg a day or less of magnesium supplements "
    "is unlikely to cause harm (Expert Group on Vitamins and Minerals, used by the NHS).",
)
UK_MAGNESIUM_ROWS = [("male", 300), ("female", 270)]


def _guideline(apps, authority, nutrient, sex, age_min, age_max, life_stage):
    IntakeGuideline = apps.get_model("calculator", "IntakeGuideline")
    return IntakeGuideline.objects.filter(
        authority=authority,
        nutrient__slug=nutrient,
        sex=sex,
        age_min=age_min,
        age_max=age_max,
        life_stage=life_stage,
    )


def _create_guideline(apps, **fields):
    IntakeGuideline = apps.get_model("calculator", "IntakeGuideline")
    Nutrient = apps.get_model("calculator", "Nutrient")
    nutrient = Nutrient.objects.filter(slug=fields.pop("nutrient")).first()
    if nutrient is None:
        return
    key = {name: fields[name] for name in ("authority", "sex", "age_min", "age_max", "life_stage")}
    if not IntakeGuideline.objects.filter(nutrient=nutrient, **key).exists():
        IntakeGuideline.objects.create(nutrient=nutrient, **fields)


def _food_amount(apps, food, nutrient):
    FoodNutrient = apps.get_model("calculator", "FoodNutrient")
    return FoodNutrient.objects.filter(food__slug=food, nutrient__slug=nutrient)


def _add_medication(apps, spec, source, spacing_hours=None):
    Medication = apps.get_model("calculator", "Medication")
    Nutrient = apps.get_model("calculator", "Nutrient")
    Caution = apps.get_model("calculator", "Caution")
    Spacing = apps.get_model("calculator", "Spacing")
    if Medication.objects.filter(slug=spec["slug"]).exists():
        return
    medication = Medication.objects.create(slug=spec["slug"], name=spec["name"])
    nutrient, severity, message = spec["caution"]
    Caution.objects.create(
        medication=medication,
        nutrient=Nutrient.objects.get(slug=nutrient),
        severity=severity,
        message=message,
        source_title=source[0],
        source_url=source[1],
    )
    for kind, slug in spec.get("spacings", ()):
        other = {}
        if kind == "nutrient":
            other["other_nutrient"] = Nutrient.objects.filter(slug=slug).first()
        else:
            other["other_medication"] = Medication.objects.filter(slug=slug).first()
        if not any(other.values()):
            continue
        before, after = spacing_hours
        Spacing.objects.create(
            medication=medication,
            hours_before=before,
            hours_after=after,
            source_title=source[0],
            source_url=source[1],
            **other,
        )


def forward(apps, schema_editor):
    Food = apps.get_model("calculator", "Food")
    Medication = apps.get_model("calculator", "Medication")
    Spacing = apps.get_model("calculator", "Spacing")
    Caution = apps.get_model("calculator", "Caution")

    # Foods
    _food_amount(apps, "cheese", "vitamin-k2").filter(amount=CHEDDAR_OLD[0], source_title=CHEDDAR_OLD[1]).update(
        amount=CHEDDAR_NEW[0], source_title=CHEDDAR_NEW[1], source_url=CHEDDAR_NEW[2], note=CHEDDAR_NEW[3]
    )
    if not Food.objects.filter(slug=EGG_NEW["slug"]).exists():
        Food.objects.filter(**EGG_OLD).update(**EGG_NEW)
    _food_amount(apps, EGG_NEW["slug"], "vitamin-k2").filter(source_title=EGG_SOURCE_OLD).update(
        source_title=EGG_SOURCE_NEW
    )
    _food_amount(apps, "chicken-thigh", "vitamin-k2").filter(source_title=THIGH_OLD).update(
        source_title=THIGH_NEW[0], source_url=THIGH_NEW[1], note=THIGH_NEW[2]
    )
    for food, nutrient, title, note in FOOD_NOTES:
        _food_amount(apps, food, nutrient).filter(source_title=title, note="").update(note=note)

    # Medicines
    Medication.objects.filter(slug="fluoroquinolones", name=QUINOLONE_NAME[0]).update(name=QUINOLONE_NAME[1])
    Spacing.objects.filter(medication__slug="fluoroquinolones", source_title=QUINOLONE_SOURCE[0]).update(
        source_title=QUINOLONE_SOURCE[1]
    )
    (old_before, old_after), old_title, (new_before, new_after), new_title, new_url = TETRACYCLINE_SPACING
    Spacing.objects.filter(
        medication__slug="tetracyclines", hours_before=old_before, hours_after=old_after, source_title=old_title
    ).update(hours_before=new_before, hours_after=new_after, source_title=new_title, source_url=new_url)
    Caution.objects.filter(medication__slug="tetracyclines", message=TETRACYCLINE_CAUTION[0]).update(
        message=TETRACYCLINE_CAUTION[1], source_title=new_title, source_url=new_url
    )
    Medication.objects.filter(slug="bisphosphonates", name=BISPHOSPHONATES_NAME[0]).update(
        name=BISPHOSPHONATES_NAME[1]
    )
    _add_medication(apps, INTEGRASE, INTEGRASE_SOURCE, INTEGRASE["hours"])
    _add_medication(apps, RISEDRONATE, RISEDRONATE_SOURCE)

    # Intake guidelines
    IntakeGuideline = apps.get_model("calculator", "IntakeGuideline")
    IntakeGuideline.objects.filter(authority="eu", nutrient__slug="vitamin-d", source_title=EFSA_VITAMIN_D[0]).update(
        source_title=EFSA_VITAMIN_D[1]
    )
    IntakeGuideline.objects.filter(authority="eu", nutrient__slug="vitamin-k2", note=EFSA_K1_ONLY).update(
        phylloquinone_only=True
    )
    for sex, age_min, age_max, stage in UK_CALCIUM_ADULT_ROWS:
        _guideline(apps, "uk", "calcium", sex, age_min, age_max, stage).filter(
            upper_limit__isnull=True, note=UK_NO_CALCIUM_UL
        ).update(
            upper_limit=1500,
            upper_limit_scope="supplements",
            upper_limit_kind="GL",
            note=UK_CALCIUM[2],
            source_title=UK_CALCIUM[0],
            source_url=UK_CALCIUM[1],
        )
    if _guideline(apps, "uk", "vitamin-k2", "any", 1, None, "none").filter(note=UK_NO_VITAMIN_K).update(
        age_max=18, note=UK_VITAMIN_K_CHILDREN
    ):
        _create_guideline(
            apps,
            authority="uk",
            nutrient="vitamin-k2",
            sex="any",
            age_min=19,
            age_max=None,
            life_stage="none",
            target=None,
            target_per_kg=Decimal("1.00"),
            kind="SI",
            note=UK_VITAMIN_K[2],
            source_title=UK_VITAMIN_K[0],
            source_url=UK_VITAMIN_K[1],
        )
    d_fields = {
        "upper_limit_kind": "advice",
        "note": UK_VITAMIN_D[2],
        "source_title": UK_VITAMIN_D[0],
        "source_url": UK_VITAMIN_D[1],
    }
    _guideline(apps, "uk", "vitamin-d", "any", 1, 3, "none").filter(
        upper_limit__isnull=True, note=UK_NO_VITAMIN_D_UL
    ).update(upper_limit=2000, **d_fields)
    if (
        _guideline(apps, "uk", "vitamin-d", "any", 4, None, "none")
        .filter(upper_limit__isnull=True, note=UK_NO_VITAMIN_D_UL)
        .update(age_max=10, upper_limit=2000, **d_fields)
    ):
        _create_guideline(
            apps,
            authority="uk",
            nutrient="vitamin-d",
            sex="any",
            age_min=11,
            age_max=None,
            life_stage="none",
            target=400,
            kind="RNI",
            upper_limit=4000,
            **d_fields,
        )
    for sex, target in UK_MAGNESIUM_ROWS:
        _create_guideline(
            apps,
            authority="uk",
            nutrient="magnesium",
            sex=sex,
            age_min=19,
            age_max=None,
            life_stage="none",
            target=target,
            kind="RNI",
            upper_limit=400,
            upper_limit_scope="supplements",
            upper_limit_kind="GL",
            note=UK_MAGNESIUM[2],
            source_title=UK_MAGNESIUM[0],
            source_url=UK_MAGNESIUM[1],
        )


def backward(apps, schema_editor):
    Food = apps.get_model("calculator", "Food")
    Medication = apps.get_model("calculator", "Medication")
    Spacing = apps.get_model("calculator", "Spacing")
    Caution = apps.get_model("calculator", "Caution")
    IntakeGuideline = apps.get_model("calculator", "IntakeGuideline")

    # Intake guidelines
    for sex, _target in UK_MAGNESIUM_ROWS:
        _guideline(apps, "uk", "magnesium", sex, 19, None, "none").filter(source_title=UK_MAGNESIUM[0]).delete()
    _guideline(apps, "uk", "vitamin-d", "any", 11, None, "none").filter(source_title=UK_VITAMIN_D[0]).delete()
    shipped_d = {
        "upper_limit": None,
        "upper_limit_kind": "UL",
        "note": UK_NO_VITAMIN_D_UL,
        "source_title": "Scientific Advisory Committee on Nutrition (2016). Vitamin D and Health",
        "source_url": "https://assets.publishing.service.gov.uk/government/uploads/system/uploads/attachment_data/"
        "file/537616/SACN_Vitamin_D_and_Health_report.pdf",
    }
    _guideline(apps, "uk", "vitamin-d", "any", 4, 10, "none").filter(note=UK_VITAMIN_D[2]).update(
        age_max=None, **shipped_d
    )
    _guideline(apps, "uk", "vitamin-d", "any", 1, 3, "none").filter(note=UK_VITAMIN_D[2]).update(**shipped_d)
    _guideline(apps, "uk", "vitamin-k2", "any", 19, None, "none").filter(source_title=UK_VITAMIN_K[0]).delete()
    _guideline(apps, "uk", "vitamin-k2", "any", 1, 18, "none").filter(note=UK_VITAMIN_K_CHILDREN).update(
        age_max=None, note=UK_NO_VITAMIN_K
    )
    IntakeGuideline.objects.filter(authority="uk", nutrient__slug="calcium", note=UK_CALCIUM[2]).update(
        upper_limit=None,
        upper_limit_scope="all",
        upper_limit_kind="UL",
        note=UK_NO_CALCIUM_UL,
        source_title="Department of Health (1991). Dietary Reference Values for Food Energy and Nutrients for the "
        "United Kingdom (COMA, Report on Health and Social Subjects 41): calcium reference nutrient intakes",
        source_url="https://pubmed.ncbi.nlm.nih.gov/?term=Dietary+reference+values+for+food+energy+and+nutrients+"
        "for+the+United+Kingdom",
    )
    IntakeGuideline.objects.filter(authority="eu", nutrient__slug="vitamin-d", source_title=EFSA_VITAMIN_D[1]).update(
        source_title=EFSA_VITAMIN_D[0]
    )

    # Medicines
    for spec, source in ((RISEDRONATE, RISEDRONATE_SOURCE), (INTEGRASE, INTEGRASE_SOURCE)):
        Medication.objects.filter(slug=spec["slug"], name=spec["name"], cautions__source_title=source[0]).delete()
    Medication.objects.filter(slug="bisphosphonates", name=BISPHOSPHONATES_NAME[1]).update(
        name=BISPHOSPHONATES_NAME[0]
    )
    (old_before, old_after), old_title, (new_before, new_after), new_title, _url = TETRACYCLINE_SPACING
    Spacing.objects.filter(
        medication__slug="tetracyclines", hours_before=new_before, hours_after=new_after, source_title=new_title
    ).update(
        hours_before=old_before,
        hours_after=old_after,
        source_title=old_title,
        source_url="https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=doxycycline",
    )
    Caution.objects.filter(medication__slug="tetracyclines", message=TETRACYCLINE_CAUTION[1]).update(
        message=TETRACYCLINE_CAUTION[0],
        source_title="Tetracycline-class antibiotics (doxycycline, minocycline) prescribing information, "
        "interactions with calcium",
        source_url="https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=doxycycline",
    )
    Spacing.objects.filter(medication__slug="fluoroquinolones", source_title=QUINOLONE_SOURCE[1]).update(
        source_title=QUINOLONE_SOURCE[0]
    )
    Medication.objects.filter(slug="fluoroquinolones", name=QUINOLONE_NAME[1]).update(name=QUINOLONE_NAME[0])

    # Foods
    for food, nutrient, _title, note in FOOD_NOTES:
        _food_amount(apps, food, nutrient).filter(note=note).update(note="")
    _food_amount(apps, "chicken-thigh", "vitamin-k2").filter(source_title=THIGH_NEW[0]).update(
        source_title=THIGH_OLD,
        source_url="https://pubmed.ncbi.nlm.nih.gov/?term=menaquinone+Danish+food+Food+Chemistry+2025",
        note="",
    )
    _food_amount(apps, EGG_NEW["slug"], "vitamin-k2").filter(source_title=EGG_SOURCE_NEW).update(
        source_title=EGG_SOURCE_OLD
    )
    if not Food.objects.filter(slug=EGG_OLD["slug"]).exists():
        Food.objects.filter(**EGG_NEW).update(**EGG_OLD)
    _food_amount(apps, "cheese", "vitamin-k2").filter(amount=CHEDDAR_NEW[0], source_title=CHEDDAR_NEW[1]).update(
        amount=CHEDDAR_OLD[0], source_title=CHEDDAR_OLD[1], source_url=CHEDDAR_OLD[2], note=""
    )


class Migration(migrations.Migration):
    dependencies = [("calculator", "0013_plan_frequency_and_product_rules")]

    operations = [
        migrations.AddField(
            model_name="foodnutrient",
            name="note",
            field=models.CharField(
                blank=True,
                help_text="Where sources disagree: the range they give and why this figure was chosen (a value "
                "measured on this food, not a group average).",
                max_length=400,
            ),
        ),
        migrations.AddField(
            model_name="intakeguideline",
            name="phylloquinone_only",
            field=models.BooleanField(
                default=False,
                help_text="The figure covers vitamin K1 (phylloquinone) only, as EFSA's does: the calculator compares "
                "K1 intake with it, not K1 and K2 together.",
                verbose_name="counts vitamin K1 only",
            ),
        ),
        migrations.AddField(
            model_name="intakeguideline",
            name="target_per_kg",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                help_text="Where the authority sets its figure per kg of body weight (the UK's vitamin K: 1 mcg per "
                "kg): the amount per kg, with the daily amount left empty. The calculator uses it when the person "
                "gives a weight.",
                max_digits=5,
                null=True,
                validators=[django.core.validators.MinValueValidator(Decimal("0"))],
            ),
        ),
        migrations.AddField(
            model_name="intakeguideline",
            name="upper_limit_kind",
            field=models.CharField(
                choices=[
                    ("UL", "Tolerable upper intake level"),
                    ("GL", "Guidance level for supplements (unlikely to cause harm)"),
                    ("advice", "Official advice: no more than this a day"),
                ],
                default="UL",
                help_text="What kind of figure the upper limit is (shown with it).",
                max_length=6,
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
