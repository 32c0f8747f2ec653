"""The calculator's admin, one module per group of models: the reference data (nutrients, intake guidelines, foods,
medications, conditions, cautions, spacings, reference values) and the product catalogue, with spreadsheet import
and export for both catalogues of amounts (foods and products).

Validation lives on the models (field validators and ``clean()``), so the admin forms, the spreadsheet import and
any other code refuse the same rows with the same messages. Every admin keeps a revision history with one-click
restore (bonehealth/admin_history.py). Saving or deleting a row moves the content generation
(bonehealth/generation.py), which the key of every derived cache holds."""

from calculator.admin import products, reference

__all__ = ["products", "reference"]
