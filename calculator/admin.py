"""Admin for the reference data. Validation lives on the models (`clean()` and field validators): overlapping
guideline bands, a limit below its target and negative amounts are refused with a clear message. Saving or
deleting any row drops the cached reference snapshot (signals in apps.py)."""

from django.contrib import admin

from calculator.models import Caution, Condition, Food, FoodNutrient, IntakeGuideline, Medication, Nutrient


@admin.register(Nutrient)
class NutrientAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "unit"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(IntakeGuideline)
class IntakeGuidelineAdmin(admin.ModelAdmin):
    list_display = ["__str__", "nutrient", "sex", "age_min", "age_max", "life_stage", "target", "kind", "upper_limit"]
    list_filter = ["nutrient", "sex", "life_stage", "kind"]
    list_select_related = ["nutrient"]
    fieldsets = [
        ("Who the band is for", {"fields": ["nutrient", "sex", "age_min", "age_max", "life_stage"]}),
        ("Amounts", {"fields": ["target", "kind", "upper_limit", "upper_limit_scope"]}),
        ("Source", {"fields": ["source_title", "source_url"]}),
    ]


class FoodNutrientInline(admin.TabularInline):
    model = FoodNutrient
    extra = 1


@admin.register(Food)
class FoodAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "category", "serving", "sort_order"]
    list_filter = ["category"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [FoodNutrientInline]


class CautionInline(admin.StackedInline):
    model = Caution
    extra = 1
    fields = ["nutrient", "severity", "spacing_hours", "message", "source_title", "source_url"]


@admin.register(Medication)
class MedicationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_anticoagulant"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CautionInline]


@admin.register(Condition)
class ConditionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CautionInline]


@admin.register(Caution)
class CautionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "severity", "spacing_hours"]
    list_filter = ["severity", "nutrient"]
    list_select_related = ["medication", "condition", "nutrient"]


# Product catalogue admin lives in its own module so the reference-data and catalogue admins stay readable.
from calculator import admin_products  # noqa: E402, F401
