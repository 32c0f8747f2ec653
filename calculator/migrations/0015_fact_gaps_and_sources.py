"""The third fact check's loose ends (issue 26), in the calculator's data.

Gaps named per medicine
- A class row keeps the longest gap of its members; each spacing row now says whose it is (`Spacing.note`, shown with
  the gap in the timetable), so the timetable agrees with the caution: the bisphosphonates' 60 minutes before
  anything else are ibandronate's (Boniva label), alendronate and immediate-release risedronate ask 30 minutes
  (Fosamax and Actonel labels); the 2 hours before calcium are common pharmacist advice, the labels asking 30 minutes
  (60 for ibandronate). The fluoroquinolones' 4 hours before or 8 after are moxifloxacin's; ciprofloxacin's label asks
  2 hours before or 6 after, levofloxacin's 2 hours either side.

Delayed-release risedronate (Atelvia)
- Its label: one 35 mg delayed-release tablet once a week, in the morning immediately following breakfast (not
  fasting); calcium supplements, antacids, magnesium and iron preparations at a different time of the day. It gets the
  time window "right after breakfast", may be weekly, and gaps from calcium and iron supplements: the label gives no
  hours, so the site keeps the 2 hours it keeps for the other bisphosphonates, either side (which keeps calcium off
  that breakfast). Its caution says so, as the timetable does.

Sources that say it
- Sarcoidosis (caution row): calcium with vitamin D is prescribed with caution in sarcoidosis because more vitamin D
  is turned into its active form; serum and urine calcium should be monitored (UK Summary of Product Characteristics,
  calcium and vitamin D3 chewable tablets, section 4.4). The row cited IOM 2011.
- Hyperparathyroidism (caution row): primary hyperparathyroidism is probably the most common cause of high blood
  calcium (MSD Manual Professional Version, Hypercalcemia, Lewis JL III, reviewed 2023). The row cited IOM 2011.
- Thiazide diuretics and kidney disease keep IOM 1997 (p. 142: people with renal failure and thiazide users are
  susceptible to calcium's toxic effects); lithium keeps Medsafe 2014 (up to 10% of people on long-term lithium
  develop high blood calcium).

The K2 amount's evidence
- The plan's K2 note names two trials that temper the 180 mcg amount; they are now sources of the value wherever it is
  used (`ReferenceValueSource`): Mott A, et al. (2019), Osteoporos Int 30(8):1543-1559, doi:10.1007/s00198-019-04949-0,
  and Binkley N, et al. (2009), J Bone Miner Res 24:983-991, doi:10.1359/jbmr.081254.

Rows change only where they still hold the value this project shipped, so an editor's later change survives; the
reverse restores the shipped values on the same condition and removes what this file created.
"""

from decimal import Decimal

import django.db.models.deletion
from django.db import migrations, models

# ---------------------------------------------------------------------------------------------------------------
# Gaps named per medicine: (medication, other: ("nutrient"|"medication"|"everything", slug), hours, note)
# ---------------------------------------------------------------------------------------------------------------

QUINOLONE_NOTE = "moxifloxacin's; ciprofloxacin 2 hours before or 6 hours after, levofloxacin 2 hours either side"
GAP_NOTES = [
    (
        "bisphosphonates",
        ("everything", ""),
        (Decimal("1.00"), None),
        "ibandronate's; 30 minutes for alendronate and immediate-release risedronate",
    ),
    (
        "bisphosphonates",
        ("nutrient", "calcium"),
        (Decimal("2.00"), None),
        "common pharmacist advice; the labels ask at least 30 minutes, 60 for ibandronate",
    ),
    ("fluoroquinolones", ("nutrient", "calcium"), (Decimal("4.00"), Decimal("8.00")), QUINOLONE_NOTE),
    ("fluoroquinolones", ("medication", "iron-supplements"), (Decimal("4.00"), Decimal("8.00")), QUINOLONE_NOTE),
]

# ---------------------------------------------------------------------------------------------------------------
# Delayed-release risedronate
# ---------------------------------------------------------------------------------------------------------------

RISEDRONATE_DR = "risedronate-delayed-release"
ATELVIA = (
    "Atelvia (risedronate sodium delayed-release tablets) prescribing information, dosage and administration: one "
    "35 mg tablet once a week, in the morning immediately following breakfast",
    "https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=atelvia",
)
ATELVIA_SPACING = (
    "Atelvia prescribing information: calcium supplements, antacids, magnesium and iron preparations at a different "
    "time of the day. The label gives no hours; the site keeps 2 hours either side, as for the other bisphosphonates",
    "https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=atelvia",
)
ATELVIA_GAP = (Decimal("2.00"), Decimal("2.00"))
ATELVIA_NOTE = "its label: a different time of day; the site keeps 2 hours"
ATELVIA_OTHERS = [("nutrient", "calcium"), ("medication", "iron-supplements")]
ATELVIA_CAUTION = (
    "Delayed-release risedronate is taken differently from other bisphosphonates: right after breakfast, with a "
    "glass of plain water, staying upright for 30 minutes. Take calcium, iron and antacids at a different time of "
    "day, not with that breakfast.",
    "Delayed-release risedronate is taken differently from other bisphosphonates: right after breakfast, with a "
    "glass of plain water, staying upright for 30 minutes. Take calcium, iron and antacids at a different time of "
    "day, not with that breakfast; its label gives no hours, so the timetable keeps them at least 2 hours away.",
)

# ---------------------------------------------------------------------------------------------------------------
# Sources that say it
# ---------------------------------------------------------------------------------------------------------------

IOM_2011 = (
    "Institute of Medicine (2011). Dietary Reference Intakes for Calcium and Vitamin D. National Academies Press",
    "https://doi.org/10.17226/13050",
)
CONDITION_SOURCES = {
    "sarcoidosis": (
        "Calcium and vitamin D3 chewable tablets, UK Summary of Product Characteristics, section 4.4: prescribe with "
        "caution in sarcoidosis, as more vitamin D is turned into its active form; monitor calcium in blood and urine",
        "https://www.medicines.org.uk/emc/product/3334/smpc",
    ),
    "hyperparathyroidism": (
        "Lewis JL III. Hypercalcemia. MSD Manual Professional Version (reviewed 2023): primary hyperparathyroidism is "
        "probably the most common cause of high blood calcium",
        "https://www.msdmanuals.com/professional/endocrine-and-metabolic-disorders/electrolyte-disorders/hypercalcemia",
    ),
}

# ---------------------------------------------------------------------------------------------------------------
# The K2 amount's evidence
# ---------------------------------------------------------------------------------------------------------------

K2_TRIAL_MCG = "k2-trial-amount-mcg"
K2_EVIDENCE = [
    (
        "Mott A, Bradley T, Wright K, et al. (2019). Effect of vitamin K on bone mineral density and fractures in "
        "adults: an updated systematic review and meta-analysis of randomised controlled trials. Osteoporos Int "
        "30(8):1543-1559 (no evidence that vitamin K affects bone density or vertebral fractures)",
        "https://doi.org/10.1007/s00198-019-04949-0",
    ),
    (
        "Binkley N, Harke J, Krueger D, et al. (2009). Vitamin K treatment reduces undercarboxylated osteocalcin but "
        "does not alter bone turnover, density, or geometry in healthy postmenopausal North American women. J Bone "
        "Miner Res 24(6):983-991",
        "https://doi.org/10.1359/jbmr.081254",
    ),
]


def _spacings(apps, medication, other):
    Spacing = apps.get_model("calculator", "Spacing")
    kind, slug = other
    rows = Spacing.objects.filter(medication__slug=medication)
    if kind == "everything":
        return rows.filter(everything=True)
    if kind == "nutrient":
        return rows.filter(other_nutrient__slug=slug)
    return rows.filter(other_medication__slug=slug)


def forward(apps, schema_editor):
    Medication = apps.get_model("calculator", "Medication")
    Nutrient = apps.get_model("calculator", "Nutrient")
    Spacing = apps.get_model("calculator", "Spacing")
    Caution = apps.get_model("calculator", "Caution")
    ReferenceValue = apps.get_model("calculator", "ReferenceValue")
    ReferenceValueSource = apps.get_model("calculator", "ReferenceValueSource")

    for medication, other, (before, after), note in GAP_NOTES:
        _spacings(apps, medication, other).filter(hours_before=before, hours_after=after, note="").update(note=note)

    risedronate = Medication.objects.filter(slug=RISEDRONATE_DR).first()
    if risedronate is not None:
        Medication.objects.filter(pk=risedronate.pk, time_window="any").update(time_window="after-breakfast")
        Medication.objects.filter(pk=risedronate.pk, may_be_weekly=False, frequency_source_title="").update(
            may_be_weekly=True, frequency_source_title=ATELVIA[0], frequency_source_url=ATELVIA[1]
        )
        Caution.objects.filter(medication=risedronate, message=ATELVIA_CAUTION[0]).update(message=ATELVIA_CAUTION[1])
        if not Spacing.objects.filter(medication=risedronate).exists():
            for kind, slug in ATELVIA_OTHERS:
                other = {}
                if kind == "nutrient":
                    other["other_nutrient"] = Nutrient.objects.filter(slug=slug).first()
                else:
                    other["other_medication"] = Medication.objects.filter(slug=slug).first()
                if not any(other.values()):
                    continue
                Spacing.objects.create(
                    medication=risedronate,
                    hours_before=ATELVIA_GAP[0],
                    hours_after=ATELVIA_GAP[1],
                    note=ATELVIA_NOTE,
                    source_title=ATELVIA_SPACING[0],
                    source_url=ATELVIA_SPACING[1],
                    **other,
                )

    for condition, (title, url) in CONDITION_SOURCES.items():
        Caution.objects.filter(condition__slug=condition, source_title=IOM_2011[0], source_url=IOM_2011[1]).update(
            source_title=title, source_url=url
        )

    value = ReferenceValue.objects.filter(slug=K2_TRIAL_MCG).first()
    if value is not None:
        for order, (title, url) in enumerate(K2_EVIDENCE, start=1):
            if not ReferenceValueSource.objects.filter(reference_value=value, url=url).exists():
                ReferenceValueSource.objects.create(reference_value=value, order=order, title=title, url=url)


def backward(apps, schema_editor):
    Medication = apps.get_model("calculator", "Medication")
    Spacing = apps.get_model("calculator", "Spacing")
    Caution = apps.get_model("calculator", "Caution")
    ReferenceValueSource = apps.get_model("calculator", "ReferenceValueSource")

    ReferenceValueSource.objects.filter(
        reference_value__slug=K2_TRIAL_MCG, title__in=[title for title, _ in K2_EVIDENCE]
    ).delete()
    for condition, (title, url) in CONDITION_SOURCES.items():
        Caution.objects.filter(condition__slug=condition, source_title=title, source_url=url).update(
            source_title=IOM_2011[0], source_url=IOM_2011[1]
        )
    Spacing.objects.filter(medication__slug=RISEDRONATE_DR, source_title=ATELVIA_SPACING[0]).delete()
    Caution.objects.filter(medication__slug=RISEDRONATE_DR, message=ATELVIA_CAUTION[1]).update(
        message=ATELVIA_CAUTION[0]
    )
    Medication.objects.filter(slug=RISEDRONATE_DR, frequency_source_title=ATELVIA[0]).update(
        may_be_weekly=False, frequency_source_title="", frequency_source_url=""
    )
    # The field's earlier choices have no "after-breakfast": the medicine goes back to any time of day.
    Medication.objects.filter(time_window="after-breakfast").update(time_window="any")


class Migration(migrations.Migration):
    dependencies = [
        ("calculator", "0014_facts_third_check"),
    ]

    operations = [
        migrations.AlterField(
            model_name="medication",
            name="time_window",
            field=models.CharField(
                choices=[
                    ("any", "Any time of day"),
                    ("first-thing", "First thing in the morning only (before anything else, never at bedtime)"),
                    (
                        "empty-stomach",
                        "On waking before breakfast, or at bedtime at least 3 hours after dinner",
                    ),
                    ("after-breakfast", "Right after breakfast (delayed-release risedronate)"),
                ],
                default="any",
                help_text="When the timetable may place this medicine (from its label).",
                max_length=15,
            ),
        ),
        migrations.AddField(
            model_name="spacing",
            name="note",
            field=models.CharField(
                blank=True,
                help_text="Whose gap this is, shown with it in the timetable: for a class of medicines, which member "
                "the hours belong to and what the others ask (e.g. \"ibandronate's; 30 minutes for alendronate\").",
                max_length=200,
            ),
        ),
        migrations.CreateModel(
            name="ReferenceValueSource",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("order", models.PositiveSmallIntegerField(default=0)),
                ("title", models.CharField(max_length=300)),
                ("url", models.URLField(blank=True, max_length=500)),
                (
                    "reference_value",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="further_sources",
                        to="calculator.referencevalue",
                    ),
                ),
            ],
            options={"ordering": ["reference_value", "order", "pk"]},
        ),
        migrations.RunPython(forward, backward),
    ]
