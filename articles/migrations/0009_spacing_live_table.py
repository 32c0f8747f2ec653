"""The launch article's table of medicines to keep apart from calcium becomes a live table drawn from the same spacing
rows the calculator's timetable keeps (``[[table:calcium-spacing]]``): the typed table gave the shortest gaps of some
classes (ciprofloxacin's 2 h / 6 h, alendronate's 30 minutes) while the timetable keeps the longest of each class, and
had no source. The paragraph is replaced only where it is still the one 0004 wrote; a "What changed" note is added
once. Reversible. Historical models only; the articles app renders the HTML after `migrate`.
"""

import datetime

from django.db import migrations

SLUG = "calcium-and-vitamin-k2-bone-health-combination"
OLD = (
    "Calcium can bind some medicines in the gut and block their absorption. This table gives common spacing advice; "
    "check your leaflet or ask your pharmacist.\n\n"
    "| Medicine | Keep apart from calcium | Note |\n"
    "|---|---|---|\n"
    "| Levothyroxine (thyroid hormone) | At least 4 hours | Calcium can sharply cut absorption of the hormone |\n"
    "| Ciprofloxacin and other fluoroquinolones | Antibiotic 2 hours before or 6 hours after | Other drugs in the "
    "class have their own timings |\n"
    "| Tetracyclines (such as doxycycline) | 2 to 4 hours | Magnesium and iron interfere too |\n"
    "| Alendronate | At least 30 minutes after the dose | Other bisphosphonates have their own label timings |\n"
    "| Iron supplements | About 2 hours | Calcium lowers iron absorption |\n\n"
)
NEW = (
    "Calcium can bind some medicines in the gut and block their absorption. The table shows the gaps our "
    "calculator's timetable keeps. Where medicines in one class differ, it keeps the longest gap that any of their "
    "labels asks for, so your own leaflet may allow less; your pharmacist can tell you.\n\n"
    "[[table:calcium-spacing]]\n\n"
)
CHANGE = {
    "date": "2026-11-26",
    "kind": "correction",
    "note": (
        "The table of medicines to keep apart from calcium now shows the gaps the calculator keeps, with their "
        "sources: longer for some antibiotics and for bisphosphonates than the figures it gave before."
    ),
}


def forwards(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    ArticleChange = apps.get_model("articles", "ArticleChange")
    article = Article.objects.filter(slug=SLUG).first()
    if article is None or article.body.count(OLD) != 1:
        return
    Article.objects.filter(pk=article.pk).update(body=article.body.replace(OLD, NEW))
    ArticleChange.objects.get_or_create(
        article=article,
        date=datetime.date.fromisoformat(CHANGE["date"]),
        note=CHANGE["note"],
        defaults={"kind": CHANGE["kind"]},
    )


def backwards(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    ArticleChange = apps.get_model("articles", "ArticleChange")
    article = Article.objects.filter(slug=SLUG).first()
    if article is None:
        return
    if article.body.count(NEW) == 1:
        Article.objects.filter(pk=article.pk).update(body=article.body.replace(NEW, OLD))
    ArticleChange.objects.filter(article=article, note=CHANGE["note"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_mott_adjustment"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
