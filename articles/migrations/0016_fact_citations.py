"""The third fact check's loose ends (issue 26) in the launch article: three claims cited a source that could not be
shown to say them (the NIH ODS calcium fact sheet), now each cites one that does. Passages are replaced only where they
still hold the text this project shipped, so an editor's later wording survives; the correction gets its own "What
changed" row; new references are added once; the reverse restores the shipped text. Historical models only.

- Lithium: up to 10% of people on long-term lithium develop high blood calcium; measure calcium at least once a year
  (Medsafe, Prescriber Update 2014;35(3):37-38). The UK calcium SmPC already cited stays.
- Hyperparathyroidism: primary hyperparathyroidism is probably the most common cause of high blood calcium (MSD Manual
  Professional Version, Hypercalcemia, Lewis JL III, reviewed 2023).
- Sarcoidosis: calcium with vitamin D is prescribed with caution in sarcoidosis, because more vitamin D is turned into
  its active form; calcium in blood and urine should be monitored (UK SmPC, calcium and vitamin D3 chewable tablets,
  section 4.4). The sentence now says that.
- Thiazide diuretics and kidney failure already cite IOM 1997 (p. 142), which says both.

Not changed: Shiraki 2000 (J Bone Miner Res 15(3)) and Persy & D'Haese 2009 (Trends Mol Med) keep no DOI or PubMed id:
no source seen while checking showed one.
"""

import datetime

from django.db import migrations

SLUG = "calcium-and-vitamin-k2-bone-health-combination"
TODAY = "2026-12-05"

PASSAGES = [
    (
        "- **Lithium.** Long-term lithium treatment can raise blood calcium, so take calcium or vitamin D supplements "
        "only if the doctor who prescribes the lithium agrees.[^ods-calcium][^emc-calcium-smpc]",
        "- **Lithium.** Long-term lithium treatment can raise blood calcium, so take calcium or vitamin D supplements "
        "only if the doctor who prescribes the lithium agrees.[^medsafe-2014][^emc-calcium-smpc]",
    ),
    (
        "- **Hyperparathyroidism.** An overactive parathyroid gland often raises blood calcium already; use "
        "supplements only on medical advice.[^ods-calcium]",
        "- **Hyperparathyroidism.** An overactive parathyroid gland often raises blood calcium already; use "
        "supplements only on medical advice.[^msd-hypercalcemia]",
    ),
    (
        "- **Sarcoidosis.** It can make the gut take up more calcium and raise blood levels, so ask your specialist "
        "first.[^ods-calcium]",
        "- **Sarcoidosis.** It can turn more vitamin D into its active form, which can raise calcium in the blood and "
        "urine, so ask your specialist before taking calcium with vitamin D.[^smpc-calcium-d3]",
    ),
]

NEW_REFERENCES = [
    {
        "key": "medsafe-2014",
        "authors": "Medsafe (New Zealand Medicines and Medical Devices Safety Authority)",
        "title": "Hyperparathyroidism and hypercalcaemia with lithium treatment",
        "journal": "Prescriber Update 2014;35(3):37-38",
        "year": 2014,
        "url": "https://www.medsafe.govt.nz/profs/PUArticles/September2014LithiumTreatment.htm",
        "note": "Up to 10% of people on long-term lithium develop high blood calcium; measure calcium at least once a "
        "year.",
    },
    {
        "key": "msd-hypercalcemia",
        "authors": "Lewis JL III",
        "title": "Hypercalcemia",
        "journal": "MSD Manual Professional Version (reviewed 2023)",
        "year": 2023,
        "url": "https://www.msdmanuals.com/professional/endocrine-and-metabolic-disorders/electrolyte-disorders/"
        "hypercalcemia",
        "note": "Primary hyperparathyroidism is probably the most common cause of high blood calcium.",
    },
    {
        "key": "smpc-calcium-d3",
        "authors": "Electronic Medicines Compendium (UK)",
        "title": "Summary of Product Characteristics: calcium and vitamin D3 chewable tablets, special warnings "
        "(section 4.4)",
        "journal": "medicines.org.uk",
        "url": "https://www.medicines.org.uk/emc/product/3334/smpc",
        "note": "Prescribe with caution in sarcoidosis, as more vitamin D is turned into its active form; monitor "
        "calcium in blood and urine.",
    },
]

CHANGE = (
    "correction",
    "Lithium, hyperparathyroidism and sarcoidosis now cite sources that say what we wrote (a medicines safety "
    "bulletin, a medical manual, a UK product label) instead of the NIH calcium fact sheet; the sarcoidosis sentence "
    "now says how it raises calcium.",
)


def forwards(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Reference = apps.get_model("articles", "Reference")
    ArticleChange = apps.get_model("articles", "ArticleChange")
    article = Article.objects.filter(slug=SLUG).first()
    if article is None:
        return
    body = article.body
    for old, new in PASSAGES:
        if body.count(old) == 1:
            body = body.replace(old, new)
    if body == article.body:
        return
    Article.objects.filter(pk=article.pk).update(body=body)
    last = Reference.objects.filter(article=article).order_by("-order").values_list("order", flat=True).first() or 0
    for offset, fields in enumerate(NEW_REFERENCES, start=1):
        if f"[^{fields['key']}]" in body and not Reference.objects.filter(article=article, key=fields["key"]).exists():
            Reference.objects.create(article=article, order=last + offset, **fields)
    kind, note = CHANGE
    ArticleChange.objects.get_or_create(
        article=article, date=datetime.date.fromisoformat(TODAY), note=note, defaults={"kind": kind}
    )


def backwards(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Reference = apps.get_model("articles", "Reference")
    ArticleChange = apps.get_model("articles", "ArticleChange")
    article = Article.objects.filter(slug=SLUG).first()
    if article is None:
        return
    ArticleChange.objects.filter(article=article, note=CHANGE[1]).delete()
    body = article.body
    for old, new in PASSAGES:
        if body.count(new) == 1:
            body = body.replace(new, old)
    for fields in NEW_REFERENCES:
        if f"[^{fields['key']}]" not in body:
            Reference.objects.filter(article=article, key=fields["key"], title=fields["title"]).delete()
    if body != article.body:
        Article.objects.filter(pk=article.pk).update(body=body)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0015_drop_stored_copies"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
