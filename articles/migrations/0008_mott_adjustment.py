"""The 2019 vitamin K review's own adjustment: its authors later removed the Yamaguchi Osteoporosis Prevention Study
(whose integrity had been questioned) and recalculated. Any clinical fracture moved from OR 0.72 (0.55-0.95) to 0.74
(0.56-0.97); vertebral fractures from 0.96 to 0.98 (0.85-1.14); the low risk-of-bias estimate (0.76) was unchanged.
Source: the adjustment as deposited by the University of Surrey (openresearch.surrey.ac.uk, output 99817411202346).

The sentence is replaced only where it is still the one 0004 wrote; the reference is added after the review it
adjusts (later references move down one); the reader-facing "What changed" note is added once. Reversible.
Historical models only; the articles app renders the HTML after `migrate`.
"""

import datetime

from django.db import migrations

SLUG = "calcium-and-vitamin-k2-bone-health-combination"
OLD = (
    "An updated 2019 review found a smaller benefit: an odds ratio of 0.72 for any clinical fracture, 0.76 (a range "
    "that includes no effect) using only the most reliable trials, and no difference in spine fractures "
    "(0.96).[^mott-2019]"
)
NEW = (
    "An updated 2019 review found a smaller benefit: an odds ratio of 0.72 for any clinical fracture, 0.76 (a range "
    "that includes no effect) using only the most reliable trials, and no difference in spine fractures "
    "(0.96).[^mott-2019] Its authors later dropped one more trial whose data had been questioned and ran the numbers "
    "again: 0.74 for any clinical fracture (95% CI 0.56 to 0.97) and still no difference in spine fractures "
    "(0.98).[^mott-2019-adjustment]"
)
REFERENCE = {
    "key": "mott-2019-adjustment",
    "authors": "Mott A, Bradley T, Wright K, Cockayne ES, Shearer MJ, Adamson J, Lanham-New SA, Torgerson DJ",
    "title": (
        "Effect of vitamin K on bone mineral density and fractures in adults: the authors' adjustment after removing "
        "the Yamaguchi Osteoporosis Prevention Study"
    ),
    "journal": "University of Surrey Open Research",
    "url": "https://openresearch.surrey.ac.uk/esploro/outputs/journalArticle/Effect-of-vitamin-K-on-bone/99817411202346",
    "note": (
        "Without the questioned trial: any clinical fracture OR 0.74 (0.56-0.97), vertebral 0.98 (0.85-1.14); "
        "the low risk-of-bias result is unchanged."
    ),
}
CHANGE = {
    "date": "2026-11-26",
    "kind": "update",
    "note": (
        "Added the 2019 vitamin K review's own adjustment: without a questioned trial, the fracture estimate is "
        "0.74 rather than 0.72, and spine fractures still show no difference."
    ),
}


def forwards(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Reference = apps.get_model("articles", "Reference")
    ArticleChange = apps.get_model("articles", "ArticleChange")
    article = Article.objects.filter(slug=SLUG).first()
    if article is None or article.body.count(OLD) != 1:
        return
    reviewed = Reference.objects.filter(article=article, key="mott-2019").first()
    if reviewed is None or Reference.objects.filter(article=article, key=REFERENCE["key"]).exists():
        return
    for later in Reference.objects.filter(article=article, order__gt=reviewed.order).order_by("-order"):
        later.order += 1
        later.save(update_fields=["order"])
    Reference.objects.create(article=article, order=reviewed.order + 1, **REFERENCE)
    Article.objects.filter(pk=article.pk).update(body=article.body.replace(OLD, NEW))
    ArticleChange.objects.get_or_create(
        article=article,
        date=datetime.date.fromisoformat(CHANGE["date"]),
        note=CHANGE["note"],
        defaults={"kind": CHANGE["kind"]},
    )


def backwards(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Reference = apps.get_model("articles", "Reference")
    ArticleChange = apps.get_model("articles", "ArticleChange")
    article = Article.objects.filter(slug=SLUG).first()
    if article is None:
        return
    added = Reference.objects.filter(article=article, key=REFERENCE["key"]).first()
    if added is not None:
        for later in Reference.objects.filter(article=article, order__gt=added.order).order_by("order"):
            later.order -= 1
            later.save(update_fields=["order"])
        added.delete()
    if article.body.count(NEW) == 1:
        Article.objects.filter(pk=article.pk).update(body=article.body.replace(NEW, OLD))
    ArticleChange.objects.filter(article=article, note=CHANGE["note"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_reference_ids_and_kefir"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
