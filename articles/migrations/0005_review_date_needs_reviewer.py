"""After 0004 moved the takeaways into rows and cleared review dates that had no reviewer: drop the old takeaways
field, and make a review date without its reviewer impossible."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_trust_corrections"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="article",
            name="key_takeaways",
        ),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.CheckConstraint(condition=models.Q(("last_reviewed__isnull", True), ("reviewer__isnull", False), _connector="OR"), name="review_date_needs_reviewer"),
        ),
    ]
