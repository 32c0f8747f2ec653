"""The launch article's references, each findable by a confirmed identifier, and its kefir sentence. Data in
0007_reference_ids_and_kefir.json.

- References: the PubMed *search* links give way to a DOI (Heaney's "practical considerations", Schurgers 2007) or,
  where no identifier could be confirmed from a source that shows it, to the journal's own page (Shiraki 2000,
  Persy & D'Haese 2009, the JAMA Internal Medicine 2018 notice); older studies gain their missing DOI or PubMed id
  and their volume and pages. A field is set only where it still holds the value 0004 shipped, so an editor's own
  entry survives; the reverse restores a field only where it still holds the value set here.
- Body: the kefir sentence says what the dairy study found in words (no per-serving figure could be confirmed, so the
  calculator has no kefir K2 row), the calcium carbonate sentence says what its source says, and the MK-4 dose
  comparison cites the adequate intake it compares with. Each sentence is replaced only where it is still the one
  0004 wrote; the reader-facing "What changed" note is added once.

Historical models only; the articles app renders the HTML after `migrate` (articles.signals.render_after_migrate).
"""

import datetime
import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).with_suffix(".json")


def load():
    with DATA.open(encoding="utf-8") as handle:
        return json.load(handle)


def apply(apps, *, forwards):
    Article = apps.get_model("articles", "Article")
    Reference = apps.get_model("articles", "Reference")
    ArticleChange = apps.get_model("articles", "ArticleChange")
    data = load()
    article = Article.objects.filter(slug=data["slug"]).first()
    if article is None:
        return
    body = article.body
    for old, new in data["replacements"]:
        before, after = (old, new) if forwards else (new, old)
        if body.count(before) == 1:
            body = body.replace(before, after)
    if body != article.body:
        Article.objects.filter(pk=article.pk).update(body=body)

    for entry in data["references"]:
        before, after = (entry["old"], entry["new"]) if forwards else (entry["new"], entry["old"])
        reference = Reference.objects.filter(article=article, key=entry["key"]).first()
        if reference is None:
            continue
        changed = [field for field in after if getattr(reference, field) == before[field]]
        for field in changed:
            setattr(reference, field, after[field])
        if changed:
            reference.save(update_fields=changed)

    change = data["change"]
    if forwards:
        if body != article.body:
            ArticleChange.objects.get_or_create(
                article=article,
                date=datetime.date.fromisoformat(change["date"]),
                note=change["note"],
                defaults={"kind": change["kind"]},
            )
    else:
        ArticleChange.objects.filter(article=article, note=change["note"]).delete()


def forwards(apps, schema_editor):
    apply(apps, forwards=True)


def backwards(apps, schema_editor):
    apply(apps, forwards=False)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_guidelines_compared_table"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
