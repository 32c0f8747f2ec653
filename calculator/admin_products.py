"""Admin for the product catalogue: products with what one serving holds (an inline), the click counts, and
validation with plain messages. Saving a product or an ingredient drops the cached catalogue and the cached pages
(signals), so the panel shows the change on the next request. Revision history as everywhere in the admin
(bonehealth/admin_history.py); spreadsheet import and export (calculator/admin_spreadsheets.py)."""

import re

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from bonehealth.admin_history import HistoryAdmin
from calculator.admin_spreadsheets import ProductResource, SpreadsheetMixin
from calculator.models import Product, ProductNutrient

# Which nutrient each specific form belongs to ("other" fits any nutrient).
FORM_NUTRIENT = {
    ProductNutrient.Form.CALCIUM_CITRATE: "calcium",
    ProductNutrient.Form.CALCIUM_CARBONATE: "calcium",
    ProductNutrient.Form.MK7: "vitamin-k2",
    ProductNutrient.Form.MK4: "vitamin-k2",
    ProductNutrient.Form.D3: "vitamin-d",
    ProductNutrient.Form.MAGNESIUM_GLYCINATE: "magnesium",
    ProductNutrient.Form.MAGNESIUM_CITRATE: "magnesium",
    ProductNutrient.Form.MAGNESIUM_OXIDE: "magnesium",
}
CURRENCY = re.compile(r"[A-Z]{3}")


class ProductNutrientForm(forms.ModelForm):
    class Meta:
        model = ProductNutrient
        fields = ["nutrient", "amount", "form"]

    def clean(self):
        cleaned = super().clean()
        nutrient, form, amount = cleaned.get("nutrient"), cleaned.get("form"), cleaned.get("amount")
        expected = FORM_NUTRIENT.get(form)
        if nutrient is not None and expected is not None and nutrient.slug != expected:
            label = ProductNutrient.Form(form).label
            self.add_error("form", f"{label} is not a form of {nutrient.name.lower()}: choose a form that matches.")
        if amount is not None and amount == 0:
            self.add_error("amount", "Enter the amount in one serving, or remove this row if the product has none.")
        return cleaned


class ProductNutrientFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        if not kept:
            raise ValidationError("Add at least one nutrient with its amount per serving.")


class ProductNutrientInline(admin.TabularInline):
    model = ProductNutrient
    form = ProductNutrientForm
    formset = ProductNutrientFormSet
    extra = 1
    verbose_name = "nutrient per serving"
    verbose_name_plural = "nutrients per serving (elemental amounts, as on the label's supplement facts)"


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = [
            "name",
            "slug",
            "brand",
            "description",
            "url",
            "price",
            "currency",
            "servings_per_container",
            "certification",
            "image",
            "image_alt",
            "is_active",
            "is_starter",
            "editor_note",
        ]

    def clean_currency(self):
        currency = self.cleaned_data["currency"].strip().upper()
        if not CURRENCY.fullmatch(currency):
            raise ValidationError("Use the three-letter currency code, such as USD, EUR or GBP.")
        return currency

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.lower().startswith(("https://", "http://")):
            raise ValidationError("Enter the full address of the product page, starting with https://.")
        return url


@admin.register(Product)
class ProductAdmin(SpreadsheetMixin, HistoryAdmin):
    resource_classes = [ProductResource]
    form = ProductForm
    inlines = [ProductNutrientInline]
    list_display = [
        "name",
        "brand",
        "is_active",
        "is_starter",
        "certification",
        "price_per_serving_display",
        "click_count",
        "updated",
    ]
    list_filter = [
        "is_active",
        ("price", admin.EmptyFieldListFilter),
        "is_starter",
        "certification",
        "nutrients__nutrient",
        "nutrients__form",
    ]
    search_fields = ["name", "slug", "brand", "description", "editor_note"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["price_per_serving_display", "click_count", "updated"]
    ordering = ["-is_active", "name"]
    actions = ["activate", "deactivate"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "brand", "description"]}),
        (
            "Offer",
            {
                "fields": [
                    "url",
                    ("price", "currency"),
                    "servings_per_container",
                    "price_per_serving_display",
                    "certification",
                ]
            },
        ),
        ("Image", {"fields": ["image", "image_alt"]}),
        (
            "Listing",
            {
                "fields": ["is_active", "is_starter", "editor_note"],
                "description": "Only active products are shown. A starter listing is a generic composition shipped "
                "with the site: replace it with a real offer you have checked, then untick “starter”.",
            },
        ),
        (
            "Clicks",
            {
                "fields": ["click_count", "updated"],
                "description": "Each visit to /go/<slug>/ adds one. Nothing about the visitor is stored.",
            },
        ),
    ]

    @admin.display(description="price per serving")
    def price_per_serving_display(self, product):
        if not product.servings_per_container:  # an unsaved form with 0 servings is shown again with its errors
            return "—"
        per_serving = product.price_per_serving
        return "—" if per_serving is None else f"{per_serving} {product.currency}"

    def _set_active(self, request, queryset, active):
        # save() per product (not queryset.update) so the catalogue and page caches hear about it.
        changed = 0
        for product in queryset.exclude(is_active=active):
            product.is_active = active
            product.save(update_fields=["is_active", "updated"])
            changed += 1
        state = "active" if active else "inactive"
        self.message_user(request, f"{changed} product(s) marked {state}.", messages.SUCCESS)

    @admin.action(description="Show the selected products (active)")
    def activate(self, request, queryset):
        self._set_active(request, queryset, True)

    @admin.action(description="Hide the selected products (inactive)")
    def deactivate(self, request, queryset):
        self._set_active(request, queryset, False)
