"""How often a medicine is taken, the citrate preference and K2's limited evidence as editable data (issues 24, 25):

- Bisphosphonates may be taken once a week or once a month, as their labels allow (alendronate 70 mg once weekly;
  risedronate 35 mg once a week or 150 mg once a month; ibandronate 150 mg once a month). The form and the API ask
  how often only for a medicine whose row allows it.
- The calcium cautions of acid reducers and of digestive conditions prefer calcium citrate (it needs no stomach acid;
  their existing sources say so: NIH ODS calcium fact sheet, Heaney), instead of slugs in the ranking's code.
- Vitamin K2 is offered as optional in the plan: one maker-funded trial (Knapen 2013) gave 180 mcg of MK-7; a 2019
  review (Mott et al.) and a 2009 trial (Binkley et al.) found no clear effect on bone density or fractures.
- Warfarin comes first of the vitamin K antagonists in the form's list (the other one sorts after it).

Each row changes only where it still holds the value shipped before (an editor's change survives); the reverse
puts back only what still holds this file's value.
"""

from django.db import migrations, models


FREQUENCY_SOURCE = (
    "Alendronate (Fosamax) 70 mg once weekly; risedronate (Actonel) 35 mg once a week or 150 mg once a month; "
    "ibandronate (Boniva) 150 mg once a month: prescribing information, Dosage and administration",
    "https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=alendronate",
)
# Medication slug -> (weekly, monthly).
FREQUENCIES = {"bisphosphonates": (True, True)}
# (medication slug | None, condition slug | None): their calcium caution prefers citrate.
CITRATE = [("acid-reducers", None), (None, "digestive-issues")]
OPTIONAL_NUTRIENTS = ["vitamin-k2"]
SORT_ORDER = {"other-vitamin-k-antagonist": 1}  # after warfarin (the rest stay 0, by name)


def forwards(apps, schema_editor):
    Medication = apps.get_model("calculator", "Medication")
    Caution = apps.get_model("calculator", "Caution")
    Nutrient = apps.get_model("calculator", "Nutrient")
    for slug, (weekly, monthly) in FREQUENCIES.items():
        Medication.objects.filter(
            slug=slug, may_be_weekly=False, may_be_monthly=False, frequency_source_title=""
        ).update(
            may_be_weekly=weekly,
            may_be_monthly=monthly,
            frequency_source_title=FREQUENCY_SOURCE[0],
            frequency_source_url=FREQUENCY_SOURCE[1],
        )
    for medication, condition in CITRATE:
        owner = {"medication__slug": medication} if medication else {"condition__slug": condition}
        Caution.objects.filter(**owner, nutrient__slug="calcium", prefers_form="").update(
            prefers_form="calcium-citrate"
        )
    Nutrient.objects.filter(slug__in=OPTIONAL_NUTRIENTS, optional_in_plan=False).update(optional_in_plan=True)
    for slug, order in SORT_ORDER.items():
        Medication.objects.filter(slug=slug, sort_order=0).update(sort_order=order)


def backwards(apps, schema_editor):
    Medication = apps.get_model("calculator", "Medication")
    Caution = apps.get_model("calculator", "Caution")
    Nutrient = apps.get_model("calculator", "Nutrient")
    for slug, (weekly, monthly) in FREQUENCIES.items():
        Medication.objects.filter(
            slug=slug, may_be_weekly=weekly, may_be_monthly=monthly, frequency_source_title=FREQUENCY_SOURCE[0]
        ).update(may_be_weekly=False, may_be_monthly=False, frequency_source_title="", frequency_source_url="")
    for medication, condition in CITRATE:
        owner = {"medication__slug": medication} if medication else {"condition__slug": condition}
        Caution.objects.filter(**owner, nutrient__slug="calcium", prefers_form="calcium-citrate").update(
            prefers_form=""
        )
    Nutrient.objects.filter(slug__in=OPTIONAL_NUTRIENTS, optional_in_plan=True).update(optional_in_plan=False)
    for slug, order in SORT_ORDER.items():
        Medication.objects.filter(slug=slug, sort_order=order).update(sort_order=0)


class Migration(migrations.Migration):
    dependencies = [
        ("calculator", "0012_product_rules"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="medication",
            options={"ordering": ["sort_order", "name"]},
        ),
        migrations.AddField(
            model_name="caution",
            name="prefers_form",
            field=models.CharField(
                blank=True,
                choices=[("calcium-citrate", "Calcium citrate")],
                help_text="Products in this form of the nutrient come first (calcium citrate needs no stomach acid); the caution's source says why.",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="medication",
            name="frequency_source_title",
            field=models.CharField(
                blank=True, help_text="Where the weekly or monthly dosing comes from (the label).", max_length=300
            ),
        ),
        migrations.AddField(
            model_name="medication",
            name="frequency_source_url",
            field=models.URLField(blank=True, max_length=500),
        ),
        migrations.AddField(
            model_name="medication",
            name="may_be_monthly",
            field=models.BooleanField(default=False, help_text="Its label allows one dose a month."),
        ),
        migrations.AddField(
            model_name="medication",
            name="may_be_weekly",
            field=models.BooleanField(
                default=False, help_text="Its label allows one dose a week (the form then asks how often it is taken)."
            ),
        ),
        migrations.AddField(
            model_name="medication",
            name="sort_order",
            field=models.PositiveSmallIntegerField(
                default=0,
                help_text="Place in the form's list: lower first, then by name (e.g. warfarin before the others of its kind).",
            ),
        ),
        migrations.AddField(
            model_name="nutrient",
            name="optional_in_plan",
            field=models.BooleanField(
                default=False,
                help_text="The evidence for a supplement of it is limited: the plan and the timetable offer it as optional.",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
