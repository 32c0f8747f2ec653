"""EU (EFSA) and UK intake guidelines beside the US ones: calcium, vitamin K, magnesium and vitamin D, by age, sex,
pregnancy and lactation as each opinion defines its groups. Every figure was checked against the opinion (or its
official summary) and is cited on its row; see docs/calculator.md, "Whose tables".

Where an authority sets no figure, the amount is empty and the note says so; nothing is borrowed from another table.
Where an opinion says pregnancy and lactation take the ordinary value of the age group and gives no separate row, the
calculator falls back to the ordinary band (EFSA vitamin K and magnesium under 18; UK calcium in pregnancy, "no
increment"; UK vitamin D). Ages are completed years, both ends inclusive; EFSA's "1 to < 3 years" is 1-2.

Rows are created only where their natural key (authority, nutrient, sex, ages, life stage) is missing, so an editor's
later change in the admin survives; the reverse removes exactly the rows this file defines.
"""

from django.db import migrations

# ---------------------------------------------------------------------------------------------------------------
# Sources (one per row: the reference intake's opinion, and the upper limit's where it is another one)
# ---------------------------------------------------------------------------------------------------------------

EFSA_CALCIUM = (
    "EFSA NDA Panel (2015). Scientific Opinion on Dietary Reference Values for calcium. EFSA Journal 13(5):4101; "
    "upper limit: EFSA NDA Panel (2012), Tolerable Upper Intake Level of calcium, EFSA Journal 10(7):2814",
    "https://doi.org/10.2903/j.efsa.2015.4101",
)
EFSA_VITAMIN_K = (
    "EFSA NDA Panel (2017). Dietary reference values for vitamin K. EFSA Journal 15(5):4780",
    "https://doi.org/10.2903/j.efsa.2017.4780",
)
EFSA_MAGNESIUM = (
    "EFSA NDA Panel (2015). Scientific Opinion on Dietary Reference Values for magnesium. EFSA Journal 13(7):4186; "
    "upper limit for supplemental magnesium from age 4: Scientific Committee on Food (2001)",
    "https://doi.org/10.2903/j.efsa.2015.4186",
)
EFSA_VITAMIN_D = (
    "EFSA NDA Panel (2016). Dietary reference values for vitamin D. EFSA Journal 14(10):4547; upper limit: EFSA "
    "NDA Panel (2012), Tolerable Upper Intake Level of vitamin D, EFSA Journal 10(7):2813",
    "https://doi.org/10.2903/j.efsa.2016.4547",
)
COMA_CALCIUM = (
    "Department of Health (1991). Dietary Reference Values for Food Energy and Nutrients for the United Kingdom "
    "(COMA, Report on Health and Social Subjects 41): calcium reference nutrient intakes",
    "https://pubmed.ncbi.nlm.nih.gov/?term=Dietary+reference+values+for+food+energy+and+nutrients+for+the+United+Kingdom",
)
COMA_VITAMIN_K = (
    "Department of Health (1991), COMA Report 41: no dietary reference value for vitamin K as a daily amount "
    "(Bolton-Smith C, Shearer MJ. Nutrition & Food Science 1997;97(6):242-245)",
    "https://doi.org/10.1108/00346659710180433",
)
SACN_VITAMIN_D = (
    "Scientific Advisory Committee on Nutrition (2016). Vitamin D and Health",
    "https://assets.publishing.service.gov.uk/government/uploads/system/uploads/attachment_data/file/537616/"
    "SACN_Vitamin_D_and_Health_report.pdf",
)

# ---------------------------------------------------------------------------------------------------------------
# (authority, nutrient, sex, age_min, age_max, life_stage, target, kind, upper_limit, scope, note, source)
# ---------------------------------------------------------------------------------------------------------------

EU, UK = "eu", "uk"
ANY, F, M = "any", "female", "male"
NONE, PREG, LACT = "none", "pregnant", "lactating"
ALL, SUPP = "all", "supplements"

EFSA_NO_CALCIUM_UL = "EFSA set no calcium upper limit for children or adolescents (2012)."
EFSA_K1_ONLY = "EFSA's adequate intake counts vitamin K1 (phylloquinone) only: 1 mcg per kg of body weight a day."
EFSA_NO_MG_UL = "The EU upper limit for supplemental magnesium (250 mg a day) applies from age 4."
UK_NO_CALCIUM_UL = "The UK sets no upper limit for calcium."
UK_NO_VITAMIN_K = "The UK sets no fixed daily amount of vitamin K."
UK_NO_VITAMIN_D_UL = "SACN set no upper limit for vitamin D of its own."

GUIDELINES = [
    # EFSA calcium: PRIs 1-3 y 450, 4-10 y 800, 11-17 y 1,150, 18-24 y 1,000, 25 y and over 950 mg; "the PRI for
    # non-pregnant women also applies to pregnant and lactating women of the same age group". UL 2,500 mg for adults
    # including pregnant and lactating women; none could be set for infants, children or adolescents.
    (EU, "calcium", ANY, 1, 3, NONE, 450, "PRI", None, ALL, EFSA_NO_CALCIUM_UL, EFSA_CALCIUM),
    (EU, "calcium", ANY, 4, 10, NONE, 800, "PRI", None, ALL, EFSA_NO_CALCIUM_UL, EFSA_CALCIUM),
    (EU, "calcium", ANY, 11, 17, NONE, 1150, "PRI", None, ALL, EFSA_NO_CALCIUM_UL, EFSA_CALCIUM),
    (EU, "calcium", ANY, 18, 24, NONE, 1000, "PRI", 2500, ALL, "", EFSA_CALCIUM),
    (EU, "calcium", ANY, 25, None, NONE, 950, "PRI", 2500, ALL, "", EFSA_CALCIUM),
    (EU, "calcium", F, 14, 17, PREG, 1150, "PRI", None, ALL, EFSA_NO_CALCIUM_UL, EFSA_CALCIUM),
    (EU, "calcium", F, 18, 24, PREG, 1000, "PRI", 2500, ALL, "", EFSA_CALCIUM),
    (EU, "calcium", F, 25, 50, PREG, 950, "PRI", 2500, ALL, "", EFSA_CALCIUM),
    (EU, "calcium", F, 14, 17, LACT, 1150, "PRI", None, ALL, EFSA_NO_CALCIUM_UL, EFSA_CALCIUM),
    (EU, "calcium", F, 18, 24, LACT, 1000, "PRI", 2500, ALL, "", EFSA_CALCIUM),
    (EU, "calcium", F, 25, 50, LACT, 950, "PRI", 2500, ALL, "", EFSA_CALCIUM),
    # EFSA vitamin K (AI, phylloquinone): 1-3 y 12, 4-6 y 20, 7-10 y 30, 11-14 y 45, 15-17 y 65, adults 70 mcg
    # "including pregnant and lactating women". No UL.
    (EU, "vitamin-k2", ANY, 1, 3, NONE, 12, "AI", None, ALL, EFSA_K1_ONLY, EFSA_VITAMIN_K),
    (EU, "vitamin-k2", ANY, 4, 6, NONE, 20, "AI", None, ALL, EFSA_K1_ONLY, EFSA_VITAMIN_K),
    (EU, "vitamin-k2", ANY, 7, 10, NONE, 30, "AI", None, ALL, EFSA_K1_ONLY, EFSA_VITAMIN_K),
    (EU, "vitamin-k2", ANY, 11, 14, NONE, 45, "AI", None, ALL, EFSA_K1_ONLY, EFSA_VITAMIN_K),
    (EU, "vitamin-k2", ANY, 15, 17, NONE, 65, "AI", None, ALL, EFSA_K1_ONLY, EFSA_VITAMIN_K),
    (EU, "vitamin-k2", ANY, 18, None, NONE, 70, "AI", None, ALL, EFSA_K1_ONLY, EFSA_VITAMIN_K),
    (EU, "vitamin-k2", F, 18, 50, PREG, 70, "AI", None, ALL, EFSA_K1_ONLY, EFSA_VITAMIN_K),
    (EU, "vitamin-k2", F, 18, 50, LACT, 70, "AI", None, ALL, EFSA_K1_ONLY, EFSA_VITAMIN_K),
    # EFSA magnesium (AI): 1 to <3 y 170, 3 to <10 y 230, 10 to <18 y boys 300 / girls 250, adults men 350 / women
    # 300; pregnancy and lactation "the same AI ... as for non-pregnant, non-lactating women". UL (SCF): 250 mg a day
    # of supplemental magnesium from age 4; none below 4. The 3-year-olds' row is split at the UL's edge.
    (EU, "magnesium", ANY, 1, 2, NONE, 170, "AI", None, SUPP, EFSA_NO_MG_UL, EFSA_MAGNESIUM),
    (EU, "magnesium", ANY, 3, 3, NONE, 230, "AI", None, SUPP, EFSA_NO_MG_UL, EFSA_MAGNESIUM),
    (EU, "magnesium", ANY, 4, 9, NONE, 230, "AI", 250, SUPP, "", EFSA_MAGNESIUM),
    (EU, "magnesium", M, 10, 17, NONE, 300, "AI", 250, SUPP, "", EFSA_MAGNESIUM),
    (EU, "magnesium", F, 10, 17, NONE, 250, "AI", 250, SUPP, "", EFSA_MAGNESIUM),
    (EU, "magnesium", M, 18, None, NONE, 350, "AI", 250, SUPP, "", EFSA_MAGNESIUM),
    (EU, "magnesium", F, 18, None, NONE, 300, "AI", 250, SUPP, "", EFSA_MAGNESIUM),
    (EU, "magnesium", F, 18, 50, PREG, 300, "AI", 250, SUPP, "", EFSA_MAGNESIUM),
    (EU, "magnesium", F, 18, 50, LACT, 300, "AI", 250, SUPP, "", EFSA_MAGNESIUM),
    # EFSA vitamin D in IU (1 mcg = 40 IU): AI 15 mcg (600 IU) for ages 1-17, adults, pregnant and lactating women.
    # UL 50 mcg (2,000 IU) for ages 1-10, 100 mcg (4,000 IU) for 11-17 and adults including pregnancy and lactation.
    (EU, "vitamin-d", ANY, 1, 10, NONE, 600, "AI", 2000, ALL, "", EFSA_VITAMIN_D),
    (EU, "vitamin-d", ANY, 11, 17, NONE, 600, "AI", 4000, ALL, "", EFSA_VITAMIN_D),
    (EU, "vitamin-d", ANY, 18, None, NONE, 600, "AI", 4000, ALL, "", EFSA_VITAMIN_D),
    (EU, "vitamin-d", F, 14, 50, PREG, 600, "AI", 4000, ALL, "", EFSA_VITAMIN_D),
    (EU, "vitamin-d", F, 14, 50, LACT, 600, "AI", 4000, ALL, "", EFSA_VITAMIN_D),
    # UK calcium (COMA 1991 RNIs): 1-3 y 350, 4-6 y 450, 7-10 y 550, 11-18 y boys 1,000 / girls 800, 19 y and over
    # 700 mg; pregnancy no increment (the ordinary band applies); lactation +550 mg. No UL.
    (UK, "calcium", ANY, 1, 3, NONE, 350, "RNI", None, ALL, UK_NO_CALCIUM_UL, COMA_CALCIUM),
    (UK, "calcium", ANY, 4, 6, NONE, 450, "RNI", None, ALL, UK_NO_CALCIUM_UL, COMA_CALCIUM),
    (UK, "calcium", ANY, 7, 10, NONE, 550, "RNI", None, ALL, UK_NO_CALCIUM_UL, COMA_CALCIUM),
    (UK, "calcium", M, 11, 18, NONE, 1000, "RNI", None, ALL, UK_NO_CALCIUM_UL, COMA_CALCIUM),
    (UK, "calcium", F, 11, 18, NONE, 800, "RNI", None, ALL, UK_NO_CALCIUM_UL, COMA_CALCIUM),
    (UK, "calcium", ANY, 19, None, NONE, 700, "RNI", None, ALL, UK_NO_CALCIUM_UL, COMA_CALCIUM),
    (UK, "calcium", F, 14, 18, LACT, 1350, "RNI", None, ALL, UK_NO_CALCIUM_UL, COMA_CALCIUM),
    (UK, "calcium", F, 19, 50, LACT, 1250, "RNI", None, ALL, UK_NO_CALCIUM_UL, COMA_CALCIUM),
    # UK vitamin K: no fixed daily amount.
    (UK, "vitamin-k2", ANY, 1, None, NONE, None, "AI", None, ALL, UK_NO_VITAMIN_K, COMA_VITAMIN_K),
    # UK vitamin D (SACN 2016), in IU: safe intake 10 mcg (400 IU) for ages 1 to 4 (1-3 completed years); RNI 10 mcg
    # (400 IU) from age 4, pregnant and lactating women included. No UL of its own.
    (UK, "vitamin-d", ANY, 1, 3, NONE, 400, "SI", None, ALL, UK_NO_VITAMIN_D_UL, SACN_VITAMIN_D),
    (UK, "vitamin-d", ANY, 4, None, NONE, 400, "RNI", None, ALL, UK_NO_VITAMIN_D_UL, SACN_VITAMIN_D),
]


def _key(row):
    authority, nutrient, sex, age_min, age_max, life_stage = row[:6]
    return {
        "authority": authority,
        "nutrient__slug": nutrient,
        "sex": sex,
        "age_min": age_min,
        "age_max": age_max,
        "life_stage": life_stage,
    }


def create_missing(apps, schema_editor):
    Nutrient = apps.get_model("calculator", "Nutrient")
    IntakeGuideline = apps.get_model("calculator", "IntakeGuideline")
    nutrients = {n.slug: n for n in Nutrient.objects.all()}
    for row in GUIDELINES:
        authority, slug, sex, age_min, age_max, stage, target, kind, limit, scope, note, (title, url) = row
        if slug not in nutrients or IntakeGuideline.objects.filter(**_key(row)).exists():
            continue
        IntakeGuideline.objects.create(
            authority=authority,
            nutrient=nutrients[slug],
            sex=sex,
            age_min=age_min,
            age_max=age_max,
            life_stage=stage,
            target=target,
            kind=kind,
            upper_limit=limit,
            upper_limit_scope=scope,
            note=note,
            source_title=title,
            source_url=url,
        )


def remove(apps, schema_editor):
    IntakeGuideline = apps.get_model("calculator", "IntakeGuideline")
    for row in GUIDELINES:
        IntakeGuideline.objects.filter(**_key(row)).delete()


class Migration(migrations.Migration):
    dependencies = [("calculator", "0009_guideline_authority")]

    operations = [migrations.RunPython(create_missing, remove)]
