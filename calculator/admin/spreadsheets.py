"""The catalogue in spreadsheets: CSV and XLSX import and export of products and foods (django-import-export).

One row per product or food, keyed by its ``slug``, with one column per nutrient amount named after the nutrient and
its unit (``calcium_mg``, ``vitamin_k2_mcg``, ``vitamin_d_iu`` …), as an editor reads a label or a food table:

- products: ``<nutrient>_<unit>`` (the amount in one serving) and ``<nutrient>_form`` (e.g. ``calcium-citrate``);
- foods: ``<nutrient>_<unit>`` (in one serving) and ``<nutrient>_source_title`` / ``<nutrient>_source_url``.

Importing: a nutrient column that is in the file sets that amount, or removes it when its cell is empty; a column
that is not in the file leaves that nutrient as it is. The admin first shows a preview (a dry run in a transaction
that is rolled back) with every row's changes or its errors, by column; nothing is saved until the editor confirms,
and the import is one transaction, rolled back whole if any row is invalid. The rules are the models' own validation
(calculator/models.py), which the admin forms apply too, so a row is refused with the admin's message; only reading
a cell (a number, yes or no) is the spreadsheet's own. A confirmed import is one revision in the history
(bonehealth/admin_history.py), so it can be undone row by row like any other change.
"""

from copy import copy
from decimal import Decimal, InvalidOperation

import reversion
from diff_match_patch import diff_match_patch
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.http import Http404
from django.utils.encoding import force_str
from django.utils.html import escape
from django.utils.safestring import mark_safe
from import_export import fields, resources, widgets
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX

from calculator.models import Food, FoodNutrient, Nutrient, Product, ProductNutrient

TRUE_WORDS = frozenset({"1", "true", "yes", "y"})
FALSE_WORDS = frozenset({"0", "false", "no", "n"})


def nutrient_column(nutrient):
    """``vitamin-k2`` measured in ``mcg`` -> ``vitamin_k2_mcg``."""
    return f"{nutrient.slug.replace('-', '_')}_{nutrient.unit.lower()}"


def nutrient_prefix(nutrient):
    return nutrient.slug.replace("-", "_")


def as_number(value):
    """A Decimal as a spreadsheet shows it: 300 rather than 300.0."""
    if value is None:
        return ""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value


def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


class NumberWidget(widgets.DecimalWidget):
    """A decimal, or a plain message saying what is expected (never a bare ``InvalidOperation``)."""

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return None
        if isinstance(value, bool):
            raise ValueError("Enter a number, such as 300 or 12.5.")
        text = str(value).strip()
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"“{text}” is not a number: use digits and a point, such as 12.5.") from None
        if not number.is_finite():
            raise ValueError(f"“{text}” is not a number.")
        return number

    def render(self, value, obj=None, **kwargs):
        return as_number(value)


class WholeNumberWidget(NumberWidget):
    def clean(self, value, row=None, **kwargs):
        number = super().clean(value, row=row, **kwargs)
        if number is None:
            return None
        if number != number.to_integral_value():
            raise ValueError(f"Enter a whole number, not {number}.")
        return int(number)


class YesNoWidget(widgets.BooleanWidget):
    """yes/no, true/false or 1/0; anything else is an error rather than a silent "no"."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        word = "" if value is None else str(value).strip().lower()
        if word.endswith(".0"):  # a spreadsheet's 1.0 / 0.0
            word = word[:-2]
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueError(f"Enter yes or no (or 1 or 0), not “{value}”." if word else "Enter yes or no (or 1 or 0).")


# Text that a spreadsheet would run as a formula (OWASP "CSV injection"): a leading =, +, -, @, tab or carriage return.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _escaped(cell):
    return f"'{cell}" if isinstance(cell, str) and cell.startswith(FORMULA_START) else cell


class FormulaEscaping:
    """Exports with IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT on: a text cell that starts like a formula gets a leading
    apostrophe, so the spreadsheet shows it as text (``'=HYPERLINK(…)``). django-import-export's own escaping only
    drops one leading ``=`` (``==1+1`` still runs, ``+``/``-``/``@`` are untouched) and turns numbers into text;
    numbers stay numbers here."""

    def _escape_formulae(self, dataset):
        for _ in range(dataset.height):
            row = dataset.lpop()
            dataset.append([_escaped(cell) for cell in row])


class EscapedCSV(FormulaEscaping, CSV):
    pass


class EscapedXLSX(FormulaEscaping, XLSX):
    """Also IMPORT_EXPORT_ESCAPE_ILLEGAL_CHARS_ON_EXPORT: control characters XLSX cannot hold become U+FFFD."""


class SpreadsheetMixin(ImportExportMixin):
    """CSV and XLSX, both ways; importing needs add and change, exporting view (settings.IMPORT_EXPORT_*).
    Exported text never runs as a formula (FormulaEscaping)."""

    formats = [EscapedCSV, EscapedXLSX]

    def has_import_permission(self, request):
        return super().has_import_permission(request) and self.has_add_permission(request)

    def get_export_queryset(self, request):
        # The export takes the change list's filters from the address: one that names no filter is a 404 (the change
        # list itself answers it with its "?e=1" page), never a server error.
        try:
            return super().get_export_queryset(request)
        except IncorrectLookupParameters as error:
            raise Http404("The export address names a filter this list does not have.") from error


class PlainDiff(resources.Diff):
    """The preview's before/after cells as plain <ins>/<del> (import_export/import.css colours them).

    diff-match-patch's own HTML carries inline style attributes, which the admin's Content-Security-Policy blocks.
    """

    TAGS = {diff_match_patch.DIFF_INSERT: "ins", diff_match_patch.DIFF_DELETE: "del"}

    def as_html(self):
        engine = diff_match_patch()
        cells = []
        for before, after in zip(self.left, self.right, strict=True):
            parts = engine.diff_main(force_str(before), force_str(after))
            engine.diff_cleanupSemantic(parts)
            html = []
            for operation, text in parts:
                text = escape(text).replace("\n", "<br>")
                tag = self.TAGS.get(operation)
                html.append(f"<{tag}>{text}</{tag}>" if tag else f"<span>{text}</span>")
            cells.append(mark_safe("".join(html)))
        return cells


class CatalogueResource(resources.ModelResource):
    """Shared by products and foods: strict widgets, nutrient columns, atomic imports recorded as one revision."""

    amount_model = None  # ProductNutrient or FoodNutrient
    owner_field = None  # "product" or "food"
    owner_related = "nutrients"  # the amounts, seen from the product or food
    extra_columns = ()  # per nutrient: (suffix, model field) besides the amount

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        if isinstance(f, models.BooleanField):
            return YesNoWidget
        if isinstance(f, models.DecimalField):
            return NumberWidget
        if isinstance(f, models.IntegerField | models.AutoField):
            return WholeNumberWidget
        return super().widget_from_django_field(f, default)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.nutrients = list(Nutrient.objects.order_by("name"))
        for nutrient in self.nutrients:
            column = nutrient_column(nutrient)
            self.fields[column] = fields.Field(
                column_name=column, dehydrate_method=self._amount_exporter(nutrient), widget=NumberWidget()
            )
            for suffix, field_name in self.extra_columns:
                name = f"{nutrient_prefix(nutrient)}_{suffix}"
                self.fields[name] = fields.Field(
                    column_name=name, dehydrate_method=self._extra_exporter(nutrient, field_name)
                )

    @classmethod
    def get_diff_class(cls):
        return PlainDiff

    # Export.
    def get_queryset(self):
        return super().get_queryset().prefetch_related("nutrients")

    def _amounts(self, instance):
        if instance.pk is None:
            return {}
        return {row.nutrient_id: row for row in getattr(instance, self.owner_related).all()}

    def _amount_exporter(self, nutrient):
        def export(instance):
            row = self._amounts(instance).get(nutrient.pk)
            return "" if row is None else as_number(row.amount)

        return export

    def _extra_exporter(self, nutrient, field_name):
        def export(instance):
            row = self._amounts(instance).get(nutrient.pk)
            return "" if row is None else getattr(row, field_name)

        return export

    # Import.
    def import_data(self, dataset, *args, **kwargs):
        # Any invalid row rolls the whole import back, from the admin or from code alike.
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, *args, **kwargs)

    def import_data_inner(self, dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs):
        # Inside import_data's transaction: a rolled-back import leaves no revision behind either.
        if dry_run:
            return super().import_data_inner(
                dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs
            )
        with reversion.create_revision():
            user = kwargs.get("user")
            if user is not None and getattr(user, "is_authenticated", False):
                reversion.set_user(user)
            name = kwargs.get("file_name")
            reversion.set_comment(f"Imported from the spreadsheet {name}." if name else "Imported from a spreadsheet.")
            return super().import_data_inner(
                dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs
            )

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        planned, amount_errors = self.read_amounts(instance, row)
        for column, messages in amount_errors.items():
            errors.setdefault(column, []).extend(messages)
        if not amount_errors:
            rows = self._amounts(instance)
            for nutrient, item in planned.items():
                if item is None:
                    rows.pop(nutrient.pk, None)
                else:
                    rows[nutrient.pk] = item
            try:
                self.validate_amounts(instance, list(rows.values()))
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        instance._spreadsheet_amounts = planned
        if errors:
            raise ValidationError(errors)

    def read_amounts(self, instance, row):
        """What the row says for each nutrient that has a column: {nutrient: the amount row as it will be saved, or
        None to remove it}, checked by the amount model's own validation, and the errors by column."""
        planned, errors = {}, {}
        current = self._amounts(instance)
        for nutrient in self.nutrients:
            column = nutrient_column(nutrient)
            if column not in row:
                continue
            try:
                amount = self.fields[column].widget.clean(row[column])
            except ValueError as error:
                errors[column] = [str(error)]
                continue
            if amount is None:
                planned[nutrient] = None
                continue
            existing = current.get(nutrient.pk)
            item = copy(existing) if existing is not None else self.amount_model()
            item.nutrient, item.amount = nutrient, amount
            columns = {"amount": column}
            for suffix, field_name in self.extra_columns:
                name = f"{nutrient_prefix(nutrient)}_{suffix}"
                columns[field_name] = name
                if name in row:
                    # An empty cell means the field's default (a product's form: "other").
                    default = self.amount_model._meta.get_field(field_name).get_default()
                    setattr(item, field_name, default if _blank(row[name]) else str(row[name]).strip())
            try:
                item.full_clean(exclude=[self.owner_field], validate_unique=False)
            except ValidationError as error:
                for field_name, messages in error.message_dict.items():
                    errors.setdefault(columns.get(field_name, NON_FIELD_ERRORS), []).extend(messages)
            planned[nutrient] = item
        return planned, errors

    def validate_amounts(self, instance, rows):
        """Rules on the amounts as a whole (``rows``: what the product or food will hold once saved)."""

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        current = {item.nutrient_id: item for item in self.amount_model.objects.filter(**{self.owner_field: instance})}
        fields = ["amount", *(field_name for _, field_name in self.extra_columns)]
        for nutrient, item in getattr(instance, "_spreadsheet_amounts", {}).items():
            existing = current.get(nutrient.pk)
            if item is None:
                if existing is not None:
                    existing.delete()
            elif existing is None or any(getattr(item, name) != getattr(existing, name) for name in fields):
                setattr(item, self.owner_field, instance)
                item.save()
        # The "after" column of the preview must read the rows just saved, not the prefetched ones.
        getattr(instance, "_prefetched_objects_cache", {}).pop(self.owner_related, None)


class ProductResource(CatalogueResource):
    amount_model = ProductNutrient
    owner_field = "product"
    extra_columns = (("form", "form"),)

    class Meta:
        model = Product
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "name",
            "brand",
            "description",
            "url",
            "price",
            "currency",
            "servings_per_container",
            "certification",
            "is_active",
            "is_starter",
            "editor_note",
        ]
        clean_model_instances = True
        skip_unchanged = False

    def validate_amounts(self, instance, rows):
        instance.validate_nutrients(rows)


class FoodResource(CatalogueResource):
    amount_model = FoodNutrient
    owner_field = "food"
    extra_columns = (("source_title", "source_title"), ("source_url", "source_url"))

    class Meta:
        model = Food
        import_id_fields = ["slug"]
        fields = ["slug", "name", "category", "serving", "serving_quantity", "serving_unit", "sort_order"]
        clean_model_instances = True
        skip_unchanged = False
