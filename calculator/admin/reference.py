"""Admin for the reference data: nutrients, intake guidelines, foods (with spreadsheet import and export),
medications and conditions with their cautions and spacings, and the single reference values. Overlapping guideline
bands, a limit below its target and negative amounts are refused by the models' own validation."""

from django.contrib import admin
from django.db.models import Q

from bonehealth.admin_history import HistoryAdmin
from calculator.admin.spreadsheets import FoodResource, SpreadsheetMixin
from calculator.models import (
    Caution,
    Condition,
    Food,
    FoodNutrient,
    IntakeGuideline,
    Medication,
    Nutrient,
    ReferenceValue,
    ReferenceValueSource,
    Spacing,
)


class GuidelineSourceFilter(admin.SimpleListFilter):
    title = "source"
    parameter_name = "source"

    def lookups(self, request, model_admin):
        return [("missing", "No source (neither title nor link)"), ("given", "Source given")]

    def queryset(self, request, queryset):
        missing = Q(source_title="") & Q(source_url="")
        if self.value() == "missing":
            return queryset.filter(missing)
        if self.value() == "given":
            return queryset.exclude(missing)
        return queryset


@admin.register(Nutrient)
class NutrientAdmin(HistoryAdmin):
    list_display = ["name", "slug", "unit"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(IntakeGuideline)
class IntakeGuidelineAdmin(HistoryAdmin):
    list_display = [
        "__str__",
        "authority",
        "nutrient",
        "sex",
        "age_min",
        "age_max",
        "life_stage",
        "target",
        "kind",
        "upper_limit",
    ]
    list_filter = ["authority", "nutrient", "sex", "life_stage", "kind", GuidelineSourceFilter]
    list_select_related = ["nutrient"]
    fieldsets = [
        ("Who the band is for", {"fields": ["authority", "nutrient", "sex", "age_min", "age_max", "life_stage"]}),
        (
            "Amounts",
            {
                "fields": [
                    "target",
                    "target_per_kg",
                    "kind",
                    "phylloquinone_only",
                    "upper_limit",
                    "upper_limit_scope",
                    "upper_limit_kind",
                    "note",
                ]
            },
        ),
        ("Source", {"fields": ["source_title", "source_url"]}),
    ]


class FoodNutrientInline(admin.TabularInline):
    model = FoodNutrient
    extra = 1


@admin.register(Food)
class FoodAdmin(SpreadsheetMixin, HistoryAdmin):
    resource_classes = [FoodResource]
    list_display = ["name", "slug", "category", "serving", "sort_order"]
    list_filter = ["category"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [FoodNutrientInline]


CAUTION_FIELDS = [
    "nutrient",
    "severity",
    "message",
    "blocks",
    "supplement_cap_per_day",
    "prefers_form",
    "source_title",
    "source_url",
]


class CautionInline(admin.StackedInline):
    model = Caution
    extra = 1
    fields = CAUTION_FIELDS
    filter_horizontal = ["blocks"]


class SpacingInline(admin.TabularInline):
    model = Spacing
    fk_name = "medication"
    extra = 1
    fields = [
        "other_nutrient",
        "other_medication",
        "everything",
        "hours_before",
        "hours_after",
        "note",
        "source_title",
        "source_url",
    ]


@admin.register(Medication)
class MedicationAdmin(HistoryAdmin):
    list_display = ["name", "slug", "is_anticoagulant", "time_window"]
    list_filter = ["time_window", "is_anticoagulant"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CautionInline, SpacingInline]


@admin.register(Condition)
class ConditionAdmin(HistoryAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CautionInline]


@admin.register(Caution)
class CautionAdmin(HistoryAdmin):
    list_display = ["__str__", "severity", "supplement_cap_per_day"]
    list_filter = ["severity", "nutrient", "life_stage"]
    list_select_related = ["medication", "condition", "nutrient"]
    fields = ["medication", "condition", "life_stage", *CAUTION_FIELDS]
    filter_horizontal = ["blocks"]


@admin.register(Spacing)
class SpacingAdmin(HistoryAdmin):
    list_display = ["__str__", "hours_before", "hours_after"]
    list_select_related = ["medication", "other_nutrient", "other_medication"]


class ReferenceValueSourceInline(admin.TabularInline):
    model = ReferenceValueSource
    extra = 0
    fields = ["order", "title", "url"]


@admin.register(ReferenceValue)
class ReferenceValueAdmin(HistoryAdmin):
    list_display = ["name", "slug", "value", "unit"]
    fields = ["name", "slug", "value", "unit", "explanation", "source_title", "source_url"]
    inlines = [ReferenceValueSourceInline]
