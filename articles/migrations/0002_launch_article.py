"""The launch article: calcium and vitamin K2. Data from 0002_launch_article.json beside this file.

Create-if-missing by slug, so an editor's later changes in the admin survive every later `migrate`. Historical models
only, no app code: the article is stored with its Markdown body and an empty `body_html`; the articles app renders it
right after `migrate` (a post_migrate handler, `articles.signals.render_after_migrate`), when the calculator's
reference rows that its live tables draw on are in place too.
"""

import datetime
import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).with_suffix(".json")


def load():
    with DATA.open(encoding="utf-8") as handle:
        return json.load(handle)


def as_datetime(value):
    return datetime.datetime.combine(datetime.date.fromisoformat(value), datetime.time(), tzinfo=datetime.UTC)


def create_missing(apps, schema_editor):
    Person = apps.get_model("articles", "Person")
    Topic = apps.get_model("articles", "Topic")
    Article = apps.get_model("articles", "Article")
    Reference = apps.get_model("articles", "Reference")
    Nutrient = apps.get_model("calculator", "Nutrient")
    data = load()

    people = {}
    for person in data["people"]:
        people[person["slug"]], _ = Person.objects.get_or_create(
            slug=person["slug"],
            defaults={key: person.get(key, "") for key in ("name", "credentials", "bio")},
        )
    topics = {}
    for topic in data["topics"]:
        topics[topic["slug"]], _ = Topic.objects.get_or_create(
            slug=topic["slug"], defaults={"name": topic["name"], "description": topic.get("description", "")}
        )

    spec = data["article"]
    if Article.objects.filter(slug=spec["slug"]).exists():
        return
    # (0005 moved the takeaways to their own rows; a test runs this against the current models too.)
    takeaways = {"key_takeaways": "\n".join(spec.get("key_takeaways") or [])}
    if "key_takeaways" not in {field.name for field in Article._meta.get_fields()}:
        takeaways = {}
    article = Article.objects.create(
        slug=spec["slug"],
        title=spec["title"],
        summary=spec["summary"],
        body=spec["body"],
        **takeaways,
        author=people[spec["author"]],
        reviewer=people[spec["reviewer"]] if spec.get("reviewer") else None,
        status="published",
        published_at=as_datetime(spec["published"]),
        # A review date only with its named reviewer (0004 cleared the one shipped without; 0005 enforces it).
        last_reviewed=(
            datetime.date.fromisoformat(spec["last_reviewed"]) if spec.get("last_reviewed") and spec.get("reviewer") else None
        ),
        featured=bool(spec.get("featured")),
    )
    article.topics.set([topics[slug] for slug in spec.get("topics", [])])
    article.nutrients.set(Nutrient.objects.filter(slug__in=spec.get("nutrients", [])))
    Reference.objects.bulk_create(
        Reference(
            article=article,
            order=position,
            key=reference["key"],
            authors=reference.get("authors", ""),
            title=reference.get("title", ""),
            journal=reference.get("journal") or "",
            year=reference.get("year"),
            doi=reference.get("doi") or "",
            pmid=str(reference.get("pmid") or ""),
            url=reference.get("url") or "",
            note=reference.get("note") or "",
        )
        for position, reference in enumerate(data["references"], start=1)
    )


def remove(apps, schema_editor):
    """Delete the launch article, then the people and topics it brought that nothing else uses."""
    Person = apps.get_model("articles", "Person")
    Topic = apps.get_model("articles", "Topic")
    Article = apps.get_model("articles", "Article")
    data = load()
    Article.objects.filter(slug=data["article"]["slug"]).delete()
    Topic.objects.filter(slug__in=[topic["slug"] for topic in data["topics"]], articles__isnull=True).delete()
    Person.objects.filter(
        slug__in=[person["slug"] for person in data["people"]],
        articles_written__isnull=True,
        articles_reviewed__isnull=True,
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("calculator", "0002_nutrients"),
    ]
    operations = [migrations.RunPython(create_missing, remove)]
