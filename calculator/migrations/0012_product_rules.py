"""The product rules on the model fields, so the admin, the spreadsheet import and any other code apply them alike: a
three-letter currency code, an http(s) product page, and an amount per serving above 0. No data changes: every row
shipped so far meets them."""

from decimal import Decimal

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("calculator", "0011_cheddar_vitamin_k2"),
    ]

    operations = [
        migrations.AlterField(
            model_name="product",
            name="currency",
            field=models.CharField(
                default="USD",
                max_length=3,
                validators=[
                    django.core.validators.RegexValidator(
                        "\\A[A-Za-z]{3}\\Z",
                        message="Use the three-letter currency code, such as USD, EUR or GBP.",
                        code="currency",
                    )
                ],
            ),
        ),
        migrations.AlterField(
            model_name="product",
            name="url",
            field=models.URLField(
                help_text="Where the outbound link goes (through /go/<slug>/).",
                max_length=500,
                validators=[
                    django.core.validators.URLValidator(
                        message="Enter the full address of the page, starting with https://.",
                        schemes=["http", "https"],
                        code="web_address",
                    )
                ],
            ),
        ),
        migrations.AlterField(
            model_name="productnutrient",
            name="amount",
            field=models.DecimalField(
                decimal_places=1,
                help_text="Per serving, in the nutrient's unit (elemental calcium, not the compound's weight).",
                max_digits=8,
                validators=[
                    django.core.validators.MinValueValidator(
                        Decimal("0.1"),
                        message="Enter the amount in one serving, more than 0; leave the nutrient out if the product "
                        "has none.",
                    )
                ],
            ),
        ),
    ]
