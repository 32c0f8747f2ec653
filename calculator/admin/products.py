"""Admin for the product catalogue: products with what one serving holds (an inline), the click counts, and
spreadsheet import and export. The rules (a currency code, a web address, at least one nutrient, no zero amount, a
form that fits its nutrient) are the models' own validation, which the spreadsheet import applies too. Saving a
product or an ingredient moves the content generation, so the panel shows the change on the next request."""

from django.contrib import admin, messages
from django.forms.models import BaseInlineFormSet

from bonehealth.admin_history import HistoryAdmin
from calculator.admin.spreadsheets import ProductResource, SpreadsheetMixin
from calculator.models import Product, ProductNutrient


class ProductNutrientFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [form.instance for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        self.instance.validate_nutrients(kept)


class ProductNutrientInline(admin.TabularInline):
    model = ProductNutrient
    formset = ProductNutrientFormSet
    extra = 1
    verbose_name = "nutrient per serving"
    verbose_name_plural = "nutrients per serving (elemental amounts, as on the label's supplement facts)"


@admin.register(Product)
class ProductAdmin(SpreadsheetMixin, HistoryAdmin):
    resource_classes = [ProductResource]
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
                "description": "Each visit to /go/your-slug/ adds one. Nothing about the visitor is stored.",
            },
        ),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "url":
            # The admin shows help texts as HTML: the model's "/go/<slug>/" would read "/go//".
            field.help_text = "Where the outbound link goes (readers reach it through /go/your-slug/)."
        return field

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
