"""Safety rules as data (issue 11): what each medicine, condition and life stage blocks or caps, when a medicine
may be taken, and the minimum gaps between it and everything else; new medicines (lithium, digoxin), a new condition
(hypercalcaemia), and the editable reference values (the "other foods" calcium allowance, the K2 trial amount).

Every rule comes from the labels and references named below (docs/calculator.md lists them). Where one row stands
for a class of medicines, it keeps the strictest member's figures (fluoroquinolones: moxifloxacin's 4 h before / 8 h
after; bisphosphonates: ibandronate's 60 minutes). Rows are created only where missing, and a caution's message is
replaced only where it still reads as shipped, so an editor's change survives. The reverse removes what this file
created and clears the rules it set.
"""

from django.db import migrations

ODS_CALCIUM = (
    "NIH Office of Dietary Supplements. Calcium fact sheet for health professionals (interactions with medications)",
    "https://ods.od.nih.gov/factsheets/Calcium-HealthProfessional/",
)
ODS_VITAMIN_D = (
    "NIH Office of Dietary Supplements. Vitamin D fact sheet for health professionals (health risks from excessive "
    "vitamin D; IOM 2011 upper limits)",
    "https://ods.od.nih.gov/factsheets/VitaminD-HealthProfessional/",
)
ODS_VITAMIN_K = (
    "NIH Office of Dietary Supplements. Vitamin K fact sheet for health professionals (no safety data on "
    "supplements in pregnancy and breastfeeding; interactions with warfarin)",
    "https://ods.od.nih.gov/factsheets/VitaminK-HealthProfessional/",
)
IOM2011 = (
    "Institute of Medicine (2011). Dietary Reference Intakes for Calcium and Vitamin D. National Academies Press "
    "(groups susceptible to hypercalcaemia; milk-alkali syndrome)",
    "https://doi.org/10.17226/13050",
)
IOM1997 = (
    "Institute of Medicine (1997). Dietary Reference Intakes for Calcium, Phosphorus, Magnesium, Vitamin D, and "
    "Fluoride, p. 142 (thiazide diuretics among the groups susceptible to calcium toxicity)",
    "https://doi.org/10.17226/5776",
)
DIGOXIN_LABEL = (
    "Calcichew 500 mg chewable tablets, summary of product characteristics, sections 4.4 and 4.5 (electronic "
    "medicines compendium): high blood calcium may increase the toxicity of cardiac glycosides such as digoxin",
    "https://www.medicines.org.uk/emc/product/12847/smpc",
)
LITHIUM_SOURCE = (
    "Medsafe (2014). Hyperparathyroidism and hypercalcaemia with lithium treatment. Prescriber Update 35(3):37-38 "
    "(up to 10% of people on long-term lithium develop high blood calcium)",
    "https://www.medsafe.govt.nz/profs/PUArticles/September2014LithiumTreatment.htm",
)
LEVOTHYROXINE_LABEL = (
    "Levothyroxine (Synthroid) prescribing information, sections 2 and 7: take on an empty stomach 30-60 minutes "
    "before breakfast; at least 4 hours apart from calcium, iron and antacids",
    "https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=levothyroxine",
)
BEDTIME_LEVOTHYROXINE = (
    "Bolk N et al. (2010). Effects of evening vs morning levothyroxine intake. Arch Intern Med 170(22):1996-2003",
    "https://doi.org/10.1001/archinternmed.2010.436",
)
BISPHOSPHONATE_LABELS = (
    "Alendronate (Fosamax), risedronate (Actonel) and ibandronate (Boniva) prescribing information: first thing in "
    "the morning with plain water, upright, at least 30 minutes (ibandronate 60) before any food, drink or medicine",
    "https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=alendronate",
)
PHARMACIST_BISPHOSPHONATE = (
    "Many pharmacists advise 2 hours between a bisphosphonate and calcium (see the claims check); the label minimum "
    "is 30 minutes (alendronate) or 60 minutes (ibandronate)",
    "https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=alendronate",
)
IRON_CALCIUM = (
    "Hallberg L et al. (1991). Calcium: effect of different amounts on nonheme- and heme-iron absorption in "
    "humans. Am J Clin Nutr 53(1):112-9",
    "https://doi.org/10.1093/ajcn/53.1.112",
)
QUINOLONE_LABELS = (
    "Ciprofloxacin (2 h before / 6 h after), levofloxacin (2 h / 2 h) and moxifloxacin (4 h before / 8 h after) "
    "prescribing information: products with calcium, iron, zinc or magnesium; the class row keeps moxifloxacin's",
    "https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=moxifloxacin",
)
TETRACYCLINE_LABELS = (
    "Doxycycline, minocycline and tetracycline prescribing information and UK SmPCs: 2 hours before or 4 hours "
    "after calcium, iron, antacids and dairy",
    "https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=doxycycline",
)
THEUWISSEN2013 = (
    "Theuwissen E et al. (2013). Effect of low-dose supplements of menaquinone-7 (vitamin K2) on the stability of "
    "oral anticoagulant treatment. J Thromb Haemost 11(6):1085-92",
    "https://doi.org/10.1111/jth.12203",
)
BHOF = (
    "Bone Health & Osteoporosis Foundation. Your Guide to a Bone Healthy Diet: Estimate Your Calcium Intake, step 4 "
    "(250 mg a day for other foods)",
    "https://www.bonehealthandosteoporosis.org/healthy-bones-guide-calcium-intake/",
)
KNAPEN2013 = (
    "Knapen MHJ et al. (2013). Three-year low-dose menaquinone-7 supplementation helps decrease bone loss in "
    "healthy postmenopausal women. Osteoporos Int 24(9):2499-507",
    "https://doi.org/10.1007/s00198-013-2325-6",
)

REFERENCE_VALUES = [
    (
        "other-foods-calcium-mg",
        "Calcium from foods not on the list",
        250,
        "mg",
        "Added to the listed foods for everything else a person eats (bread, vegetables, other dishes), as the BHOF "
        "calculator does. Also the default of the form's 'other foods' field.",
        BHOF,
    ),
    (
        "k2-trial-amount-mcg",
        "Vitamin K2 (MK-7) amount of the bone trial",
        180,
        "mcg",
        "The daily MK-7 amount of the 3-year trial in postmenopausal women. Offered as a plan amount only to the "
        "people the trial studied (women from the age below, bone goal, no blocking medicine).",
        KNAPEN2013,
    ),
    (
        "k2-trial-from-age",
        "Age from which a woman is taken to be past the menopause",
        51,
        "years",
        "The official tables' band for women after the menopause starts at 51 (the typical age at menopause). "
        "The K2 trial amount is offered to women with the bone goal from this age.",
        KNAPEN2013,
    ),
]

# Medicine slug -> time window.
TIME_WINDOWS = {"bisphosphonates": "first-thing", "levothyroxine": "empty-stomach"}

# Medicine slug -> [(other nutrient slug | "med:<slug>" | "*", hours before, hours after or None, source)].
SPACINGS = {
    "levothyroxine": [
        ("calcium", 4, 4, LEVOTHYROXINE_LABEL),
        ("med:iron-supplements", 4, 4, LEVOTHYROXINE_LABEL),
    ],
    "iron-supplements": [("calcium", 2, 2, IRON_CALCIUM)],
    "fluoroquinolones": [
        ("calcium", 4, 8, QUINOLONE_LABELS),
        ("med:iron-supplements", 4, 8, QUINOLONE_LABELS),
    ],
    "tetracyclines": [
        ("calcium", 2, 4, TETRACYCLINE_LABELS),
        ("med:iron-supplements", 2, 4, TETRACYCLINE_LABELS),
    ],
    "bisphosphonates": [
        ("*", 1, None, BISPHOSPHONATE_LABELS),
        ("calcium", 2, None, PHARMACIST_BISPHOSPHONATE),
    ],
}

OLD_MESSAGES = {
    "bisphosphonates": (
        "Calcium stops bisphosphonates being absorbed. Take the bisphosphonate first, on an empty stomach with "
        "plain water, exactly as its label says (alendronate: at least 30 minutes before anything else); the plan "
        "waits 2 hours before calcium, as many pharmacists advise."
    ),
    "fluoroquinolones": (
        "Calcium binds fluoroquinolone antibiotics. Take ciprofloxacin at least 2 hours before or 6 hours after "
        "calcium supplements, and not with dairy or calcium-fortified drinks alone; the plan keeps 6 hours either "
        "side. Other quinolones have their own label timing: check with your pharmacist."
    ),
    "tetracyclines": (
        "Calcium binds tetracycline antibiotics and stops them working fully. Take the antibiotic at least "
        "2 hours before or 4 hours after calcium, dairy or calcium-fortified foods; the plan keeps 4 hours either "
        "side."
    ),
    "kidney-disease": (
        "People with kidney disease are particularly sensitive to too much calcium. Do not take calcium "
        "supplements unless your kidney doctor recommends a dose."
    ),
    "levothyroxine": (
        "Calcium binds levothyroxine in the gut and lowers how much you absorb. Take levothyroxine at least "
        "4 hours before or 4 hours after calcium supplements and calcium-fortified foods."
    ),
    "iron-supplements": "Calcium lowers how much iron you absorb. Take iron and calcium at least 2 hours apart.",
    "thiazide-diuretics": (
        "Thiazide diuretics make the kidneys keep more calcium, so high calcium intakes can raise blood calcium. "
        "Avoid high-dose calcium supplements unless your doctor advises them."
    ),
}
NEW_MESSAGES = {
    "bisphosphonates": (
        "Calcium, food and other medicines stop a bisphosphonate being absorbed. Take it first thing in the "
        "morning with a full glass of plain water, stay upright, and wait at least 30 minutes (60 for ibandronate) "
        "before eating, drinking or taking anything else; never take it at bedtime. The timetable keeps calcium at "
        "least 2 hours after it."
    ),
    "fluoroquinolones": (
        "Calcium, iron and other minerals bind quinolone antibiotics. The timetable keeps the strictest label's "
        "gap for the class (moxifloxacin): the antibiotic at least 4 hours before or 8 hours after calcium or "
        "iron. Ciprofloxacin and levofloxacin allow less: your pharmacist can tell you the timing for yours."
    ),
    "tetracyclines": (
        "Calcium, iron and dairy bind tetracycline antibiotics and stop them working fully. Take the antibiotic "
        "at least 2 hours before or 4 hours after calcium, iron, dairy or calcium-fortified foods."
    ),
    "kidney-disease": (
        "People with chronic kidney disease are especially sensitive to too much calcium and vitamin D. Take no "
        "calcium or vitamin D supplement unless your kidney doctor prescribes a dose."
    ),
    "levothyroxine": (
        "Calcium and iron bind levothyroxine in the gut and lower how much you absorb. Take levothyroxine on an "
        "empty stomach, at least 4 hours apart from calcium and from iron: on waking, 30 to 60 minutes before "
        "breakfast, or at bedtime at least 3 hours after your last meal."
    ),
    "iron-supplements": (
        "Calcium lowers how much iron you absorb, and iron lowers how much levothyroxine and some antibiotics you "
        "absorb. Keep iron at least 2 hours away from calcium."
    ),
    "thiazide-diuretics": (
        "Thiazide diuretics make the kidneys hold on to calcium, so large amounts can raise blood calcium. The "
        "plan suggests at most one 500 mg dose of calcium a day; take more only if your doctor advises it."
    ),
}
# Cautions that block supplements or cap them: owner slug -> (nutrient slugs blocked, calcium cap per day or None).
CONDITION_RULES = {
    "kidney-disease": (["calcium", "vitamin-d"], None),
    "hyperparathyroidism": (["calcium", "vitamin-d"], None),
    "sarcoidosis": (["calcium", "vitamin-d"], None),
}
MEDICATION_RULES = {
    "warfarin": (["vitamin-k2"], None),
    "other-vitamin-k-antagonist": (["vitamin-k2"], None),
    "thiazide-diuretics": ([], 500),
}

NEW_MEDICATIONS = [
    (
        "lithium",
        "Lithium",
        "caution",
        [],
        500,
        "Taken for a long time, lithium can raise blood calcium and the parathyroid hormone. The plan suggests at "
        "most one 500 mg dose of calcium a day; do not take high-dose calcium or vitamin D unless your doctor "
        "agrees, and ask whether your calcium level should be checked.",
        LITHIUM_SOURCE,
    ),
    (
        "digoxin",
        "Digoxin (Lanoxin)",
        "caution",
        ["calcium"],
        None,
        "High blood calcium makes digoxin more likely to cause dangerous heart rhythms. Take a calcium supplement "
        "only if the doctor who prescribes your digoxin agrees; the plan suggests none.",
        DIGOXIN_LABEL,
    ),
]
NEW_CONDITIONS = [
    (
        "hypercalcemia",
        "High blood calcium (hypercalcaemia, including milk-alkali syndrome)",
        "critical",
        ["calcium", "vitamin-d"],
        "Your blood calcium is, or has been, too high. Take no calcium or vitamin D supplement unless your doctor "
        "prescribes one, and ask how much calcium from food suits you.",
        IOM2011,
    ),
]
LIFE_STAGE_CAUTIONS = [
    (
        "pregnant",
        "Calcium needs do not rise in pregnancy: your target is the same as for other women of your age. No vitamin "
        "K2 supplement is suggested, because there are no safety data for one in pregnancy; agree any supplement "
        "with your midwife or doctor.",
    ),
    (
        "lactating",
        "Calcium needs do not rise while breastfeeding: your target is the same as for other women of your age. No "
        "vitamin K2 supplement is suggested, because there are no safety data for one while breastfeeding; agree "
        "any supplement with your doctor.",
    ),
]


def forward(apps, schema_editor):
    Nutrient = apps.get_model("calculator", "Nutrient")
    Medication = apps.get_model("calculator", "Medication")
    Condition = apps.get_model("calculator", "Condition")
    Caution = apps.get_model("calculator", "Caution")
    Spacing = apps.get_model("calculator", "Spacing")
    ReferenceValue = apps.get_model("calculator", "ReferenceValue")
    nutrients = {n.slug: n for n in Nutrient.objects.all()}

    for slug, name, value, unit, explanation, (title, url) in REFERENCE_VALUES:
        ReferenceValue.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "value": value,
                "unit": unit,
                "explanation": explanation,
                "source_title": title,
                "source_url": url,
            },
        )

    def rule(caution, blocked, cap):
        caution.blocks.add(*(nutrients[slug] for slug in blocked))
        if cap is not None and caution.supplement_cap_per_day is None:
            caution.supplement_cap_per_day = cap
            caution.save(update_fields=["supplement_cap_per_day"])

    for slug, name, severity, blocked, cap, message, (title, url) in NEW_MEDICATIONS:
        medication, created = Medication.objects.get_or_create(slug=slug, defaults={"name": name})
        if created:
            caution = Caution.objects.create(
                medication=medication,
                nutrient=nutrients["calcium"],
                severity=severity,
                message=message,
                source_title=title,
                source_url=url,
            )
            rule(caution, blocked, cap)
    for slug, name, severity, blocked, message, (title, url) in NEW_CONDITIONS:
        condition, created = Condition.objects.get_or_create(slug=slug, defaults={"name": name})
        if created:
            caution = Caution.objects.create(
                condition=condition,
                nutrient=nutrients["calcium"],
                severity=severity,
                message=message,
                source_title=title,
                source_url=url,
            )
            rule(caution, blocked, None)
    for stage, message in LIFE_STAGE_CAUTIONS:
        if not Caution.objects.filter(life_stage=stage).exists():
            caution = Caution.objects.create(
                life_stage=stage,
                nutrient=nutrients["vitamin-k2"],
                severity="info",
                message=message,
                source_title=ODS_VITAMIN_K[0],
                source_url=ODS_VITAMIN_K[1],
            )
            rule(caution, ["vitamin-k2"], None)

    for owner_field, rules in (("condition__slug", CONDITION_RULES), ("medication__slug", MEDICATION_RULES)):
        for slug, (blocked, cap) in rules.items():
            for caution in Caution.objects.filter(**{owner_field: slug}):
                rule(caution, blocked, cap)

    for slug, message in NEW_MESSAGES.items():
        Caution.objects.filter(message=OLD_MESSAGES[slug]).filter(
            **{"medication__slug": slug} if Medication.objects.filter(slug=slug).exists() else {"condition__slug": slug}
        ).update(message=message)

    Medication.objects.filter(slug="bisphosphonates", time_window="any").update(time_window="first-thing")
    Medication.objects.filter(slug="levothyroxine", time_window="any").update(time_window="empty-stomach")

    medications = {m.slug: m for m in Medication.objects.all()}
    for slug, rows in SPACINGS.items():
        medication = medications.get(slug)
        if medication is None or Spacing.objects.filter(medication=medication).exists():
            continue
        for other, before, after, (title, url) in rows:
            if other.startswith("med:") and other[4:] not in medications:
                continue
            Spacing.objects.create(
                medication=medication,
                other_nutrient=nutrients[other] if other not in ("*",) and not other.startswith("med:") else None,
                other_medication=medications[other[4:]] if other.startswith("med:") else None,
                everything=other == "*",
                hours_before=before,
                hours_after=after,
                source_title=title,
                source_url=url,
            )


def backward(apps, schema_editor):
    Medication = apps.get_model("calculator", "Medication")
    Condition = apps.get_model("calculator", "Condition")
    Caution = apps.get_model("calculator", "Caution")
    apps.get_model("calculator", "Spacing").objects.all().delete()
    apps.get_model("calculator", "ReferenceValue").objects.filter(slug__in=[r[0] for r in REFERENCE_VALUES]).delete()
    Medication.objects.filter(slug__in=[row[0] for row in NEW_MEDICATIONS]).delete()
    Condition.objects.filter(slug__in=[row[0] for row in NEW_CONDITIONS]).delete()
    Caution.objects.exclude(life_stage="").delete()
    Caution.objects.update(supplement_cap_per_day=None)
    for caution in Caution.objects.all():
        caution.blocks.clear()
    for slug, message in NEW_MESSAGES.items():
        Caution.objects.filter(message=message).update(message=OLD_MESSAGES[slug])
    Medication.objects.update(time_window="any")


class Migration(migrations.Migration):
    dependencies = [("calculator", "0006_safety_rules")]
    operations = [migrations.RunPython(forward, backward)]
