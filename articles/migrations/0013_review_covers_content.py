"""A medical approval covers exactly the content it approved (issue 27).

Articles store the fingerprint of the reader-facing content their last approval covered; "changed since review" is
computed from it (``Article.changed_since_review``) instead of a flag an edit could forget to set. An approved article
that was not marked changed gets the fingerprint of its content now; one already marked changed gets none, so it stays
changed until a reviewer approves it again. The review fields are set only by the review action (not editable).
"""

import hashlib
import json

import django.db.models.deletion
from django.db import migrations, models


def fingerprint(article):
    """A frozen copy of ``articles.models.content_fingerprint`` (a migration imports no app code)."""
    content = {
        "title": article.title,
        "summary": article.summary,
        "body": article.body,
        "takeaways": [[row.text, row.evidence] for row in article.takeaways.order_by("order", "pk")],
        "references": [
            [row.key, row.authors, row.title, row.journal, row.year, row.doi, row.pmid, row.url, row.note, row.funding]
            for row in article.references.order_by("order", "pk")
        ],
        "changes": [[str(row.date), row.kind, row.note] for row in article.changes.order_by("-date", "-pk")],
    }
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()


def approved(apps):
    Article = apps.get_model("articles", "Article")
    return Article.objects.filter(reviewer__isnull=False, last_reviewed__isnull=False)


def forwards(apps, schema_editor):
    for article in approved(apps).filter(changed_since_review=False):
        article.reviewed_fingerprint = fingerprint(article)
        article.save(update_fields=["reviewed_fingerprint"])


def backwards(apps, schema_editor):
    for article in approved(apps):
        if article.reviewed_fingerprint != fingerprint(article):
            article.changed_since_review = True
            article.save(update_fields=["changed_since_review"])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_article_related"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="reviewed_fingerprint",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="What the last approval covered: the fingerprint of the reader-facing content it approved.",
                max_length=64,
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(
            model_name="article",
            name="changed_since_review",
        ),
        migrations.AlterField(
            model_name="article",
            name="last_reviewed",
            field=models.DateField(
                blank=True,
                editable=False,
                help_text="When the medical reviewer approved it (set by the approval). Overdue after 12 months.",
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="review_status",
            field=models.CharField(
                choices=[
                    ("not_requested", "Not requested"),
                    ("requested", "Waiting for medical review"),
                    ("sent_back", "Sent back to the editor"),
                    ("approved", "Approved by a medical reviewer"),
                ],
                default="not_requested",
                editable=False,
                max_length=13,
                verbose_name="medical review",
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="reviewer",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                help_text="Set only by a medical reviewer's approval.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="articles_reviewed",
                to="articles.person",
                verbose_name="medical reviewer",
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="slug",
            field=models.SlugField(
                error_messages={"unique": "Another article already uses this slug; choose a different one."},
                help_text="The last part of the address: /blog/your-slug/. Changing it breaks links people have shared.",
                max_length=200,
                unique=True,
            ),
        ),
        migrations.AlterField(
            model_name="page",
            name="slug",
            field=models.SlugField(help_text="Its address: /about/your-slug/.", unique=True),
        ),
    ]
