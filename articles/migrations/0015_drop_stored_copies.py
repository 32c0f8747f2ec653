"""Stored HTML holds only what the article's own form edits: the byline, header, references, changes and structured
data (drawn from people, topics and other rows) and the related articles' cards are drawn per request now. The
body's live tables become placeholders that each request fills in; ``articles.signals.render_after_migrate``
re-renders the stored bodies after this migration."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("articles", "0014_facts_third_check")]

    operations = [
        migrations.RemoveField(model_name="article", name="meta_html"),
        migrations.RemoveField(model_name="article", name="before_body_html"),
        migrations.RemoveField(model_name="article", name="after_body_html"),
        migrations.RemoveField(model_name="article", name="structured_data"),
        migrations.RemoveField(model_name="article", name="related"),
    ]
