"""Article trust (issue 13): the launch article's fact-check corrections, takeaways with evidence levels, the public
"What changed" notes, honest review dates, and the editorial policy page. Data in 0004_trust_corrections.json.

- A review date without a named reviewer is cleared on every article (0005 then makes one impossible).
- Every article's old one-per-line takeaways become rows; a line is graded with the level set here when it is one of
  the launch article's, else "insufficient" until an editor grades it.
- The launch article's body is corrected only where it is still the body 0002 shipped (an editor's own version is
  left alone); its references are upserted by key (new ones added, the checked fields of existing ones set), and
  the correction notes are added once. New installs run 0002 then this, and end with the same corrected article.
- The editorial policy page is created if its slug is missing.

Historical models only; the articles app renders the HTML after `migrate` (articles.signals.render_after_migrate).
"""

import datetime
import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).with_suffix(".json")
SHIPPED = Path(__file__).with_name("0002_launch_article.json")
REFERENCE_FIELDS = ("authors", "title", "journal", "year", "doi", "pmid", "url", "note", "funding")


def load(path):
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def forwards(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    KeyTakeaway = apps.get_model("articles", "KeyTakeaway")
    ArticleChange = apps.get_model("articles", "ArticleChange")
    Reference = apps.get_model("articles", "Reference")
    Person = apps.get_model("articles", "Person")
    Page = apps.get_model("articles", "Page")
    data, shipped = load(DATA), load(SHIPPED)

    Article.objects.filter(reviewer__isnull=True, last_reviewed__isnull=False).update(last_reviewed=None)

    original_lines = data["original_takeaways"]
    for article in Article.objects.exclude(key_takeaways=""):
        if KeyTakeaway.objects.filter(article=article).exists():
            continue
        lines = [line.strip(" -*\t") for line in article.key_takeaways.splitlines() if line.strip(" -*\t")]
        if article.slug == data["slug"] and lines == original_lines:
            rows = data["takeaways"]
        else:
            rows = [{"text": line[:300], "evidence": "insufficient"} for line in lines]
        KeyTakeaway.objects.bulk_create(
            KeyTakeaway(article=article, order=position, text=row["text"], evidence=row["evidence"])
            for position, row in enumerate(rows, start=1)
        )

    article = Article.objects.filter(slug=data["slug"]).first()
    if article is not None:
        if article.body == shipped["article"]["body"]:
            article.body = data["body"]
            article.save(update_fields=["body"])
            for change in data["changes"]:
                ArticleChange.objects.get_or_create(
                    article=article,
                    date=datetime.date.fromisoformat(change["date"]),
                    note=change["note"],
                    defaults={"kind": change["kind"]},
                )
        for position, reference in enumerate(data["references"], start=1):
            values = {field: reference.get(field) or ("" if field != "year" else None) for field in REFERENCE_FIELDS}
            values["pmid"] = str(values["pmid"] or "")
            Reference.objects.update_or_create(
                article=article, key=reference["key"], defaults={**values, "order": position}
            )

    author = data["author"]
    Person.objects.filter(slug=author["slug"], bio=author["original_bio"]).update(bio=author["bio"])

    for page in data["pages"]:
        Page.objects.get_or_create(
            slug=page["slug"], defaults={key: page[key] for key in ("title", "summary", "body")}
        )


def backwards(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    KeyTakeaway = apps.get_model("articles", "KeyTakeaway")
    ArticleChange = apps.get_model("articles", "ArticleChange")
    Reference = apps.get_model("articles", "Reference")
    Person = apps.get_model("articles", "Person")
    Page = apps.get_model("articles", "Page")
    data, shipped = load(DATA), load(SHIPPED)

    for article in Article.objects.all():
        texts = list(KeyTakeaway.objects.filter(article=article).order_by("order", "pk").values_list("text", flat=True))
        if texts:
            article.key_takeaways = "\n".join(texts)
            article.save(update_fields=["key_takeaways"])
    KeyTakeaway.objects.all().delete()

    article = Article.objects.filter(slug=data["slug"]).first()
    if article is not None:
        if article.body == data["body"]:
            article.body = shipped["article"]["body"]
            article.key_takeaways = "\n".join(shipped["article"]["key_takeaways"])
            article.save(update_fields=["body", "key_takeaways"])
        ArticleChange.objects.filter(article=article, note__in=[change["note"] for change in data["changes"]]).delete()
        old = {reference["key"]: reference for reference in shipped["references"]}
        for position, reference in enumerate(shipped["references"], start=1):
            values = {field: reference.get(field) or ("" if field != "year" else None) for field in REFERENCE_FIELDS}
            values["pmid"] = str(values["pmid"] or "")
            Reference.objects.filter(article=article, key=reference["key"]).update(**values, order=position)
        Reference.objects.filter(article=article).exclude(key__in=list(old)).delete()

    author = data["author"]
    Person.objects.filter(slug=author["slug"], bio=author["bio"]).update(bio=author["original_bio"])
    for page in data["pages"]:
        Page.objects.filter(slug=page["slug"], body=page["body"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_review_and_evidence"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
