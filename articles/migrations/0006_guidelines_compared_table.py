"""The US, EU and UK tables side by side in the launch article (issue 15): the new live table
`[[table:guidelines-compared]]` goes right after the magnesium table, only where the article still has that line and
not the new one yet, so an editor's rewrite is left alone. The body's help text lists the new table. The HTML is
rendered after `migrate` (articles.signals.render_after_migrate); the reverse takes the line out again.
"""

from django.db import migrations, models

SLUG = "calcium-and-vitamin-k2-bone-health-combination"
MARKER = "[[table:magnesium-guidelines]]"
DIRECTIVE = "[[table:guidelines-compared]]"


def add_table(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    for pk, body in Article.objects.filter(slug=SLUG).values_list("pk", "body"):
        if MARKER in body and DIRECTIVE not in body:
            Article.objects.filter(pk=pk).update(
                body=body.replace(MARKER, f"{MARKER}\n\n{DIRECTIVE}", 1)
            )


def remove_table(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    for pk, body in Article.objects.filter(slug=SLUG).values_list("pk", "body"):
        if f"{MARKER}\n\n{DIRECTIVE}" in body:
            Article.objects.filter(pk=pk).update(body=body.replace(f"\n\n{DIRECTIVE}", "", 1))


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0005_review_date_needs_reviewer'),
    ]

    operations = [
        migrations.AlterField(
            model_name='article',
            name='body',
            field=models.TextField(help_text="Markdown. ## and ### headings make the table of contents. Cite a reference with [^key]. A line 'Table: caption' right above a table gives it a caption. A line of its own such as [[table:calcium-guidelines]] places a table drawn live from the calculator's data: calcium-guidelines, vitamin-k-guidelines, magnesium-guidelines, vitamin-d-guidelines, calcium-foods, vitamin-k2-foods, guidelines-compared."),
        ),
        migrations.RunPython(add_table, remove_table),
    ]
