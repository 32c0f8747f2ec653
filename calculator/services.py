"""The one bridge between the database and the pure calculation: ORM rows -> a plain, cached reference snapshot.

The snapshot (`intake.Reference`) is built once, kept in the shared Django cache (so every instance sees the same
data), and dropped whenever an editor saves or deletes any reference row (signals connected in `apps.py`).
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django.db.models import Prefetch

from bonehealth import pagecache
from calculator import intake, panel
from calculator.models import Caution, Condition, Food, FoodNutrient, IntakeGuideline, Medication, Nutrient

CACHE_KEY = "calculator:reference:v1"
CACHE_SECONDS = 24 * 60 * 60
# Saving or deleting any of these drops the cached snapshot.
REFERENCE_MODELS = (Nutrient, IntakeGuideline, Food, FoodNutrient, Medication, Condition, Caution)


def _source(title: str, url: str) -> intake.Source:
    return intake.Source(title=title, url=url)


def _cautions(owner) -> tuple[intake.Caution, ...]:
    return tuple(
        intake.Caution(
            nutrient=c.nutrient.slug,
            severity=c.severity,
            spacing_hours=float(c.spacing_hours) if c.spacing_hours is not None else None,
            message=c.message,
            source=_source(c.source_title, c.source_url),
        )
        for c in owner.cautions.all()
    )


def build_reference() -> intake.Reference:
    """Read every reference row (7 queries) into plain frozen data."""
    bands = tuple(
        intake.Band(
            nutrient=g.nutrient.slug,
            sex=g.sex,
            age_min=g.age_min,
            age_max=g.age_max,
            life_stage=g.life_stage,
            target=float(g.target),
            kind=g.kind,
            upper_limit=float(g.upper_limit) if g.upper_limit is not None else None,
            upper_limit_scope=g.upper_limit_scope,
            unit=g.nutrient.unit,
            source=_source(g.source_title, g.source_url),
        )
        for g in IntakeGuideline.objects.select_related("nutrient")
    )
    amounts = Prefetch("nutrients", queryset=FoodNutrient.objects.select_related("nutrient"))
    foods = tuple(
        intake.Food(
            slug=f.slug,
            name=f.name,
            category=f.category,
            category_label=f.get_category_display(),
            serving=f.serving,
            serving_quantity=float(f.serving_quantity),
            serving_unit=f.serving_unit,
            amounts={a.nutrient.slug: float(a.amount) for a in f.nutrients.all()},
            sources={a.nutrient.slug: _source(a.source_title, a.source_url) for a in f.nutrients.all()},
        )
        for f in Food.objects.prefetch_related(amounts)
    )
    cautions = Prefetch("cautions", queryset=Caution.objects.select_related("nutrient"))
    medications = tuple(
        intake.Interacting(slug=m.slug, name=m.name, cautions=_cautions(m), is_anticoagulant=m.is_anticoagulant)
        for m in Medication.objects.prefetch_related(cautions)
    )
    conditions = tuple(
        intake.Interacting(slug=c.slug, name=c.name, cautions=_cautions(c))
        for c in Condition.objects.prefetch_related(cautions)
    )
    return intake.Reference(bands=bands, foods=foods, medications=medications, conditions=conditions)


def _shared_reference() -> intake.Reference:
    reference = cache.get(CACHE_KEY)
    if reference is None:
        reference = build_reference()
        cache.set(CACHE_KEY, reference, CACHE_SECONDS)
    return reference


def get_reference() -> intake.Reference:
    """The reference snapshot: this process's copy while no content changed, else the shared cache's, else built."""
    return pagecache.per_generation(CACHE_KEY, _shared_reference)


def drop_reference_cache(**_signal_kwargs) -> None:
    """Drop the snapshot now and again after the transaction commits, so no request re-caches the old rows."""
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))


def recommendations_for(result: intake.Result, profile: intake.Profile) -> list[dict]:
    """Products that fit this result, each as {"slug", "name", "nutrients", "reason"}.

    The results page and the JSON API both call this one function. The needs come from the result (gaps, room under
    the upper limit, age, conditions, medicines, anticoagulant); the ranking is `calculator.recommend.rank`, over the
    cached catalogue of `calculator.panel` (no query while it is cached).
    """
    return panel.as_api(panel.panel_for_result(result=result))


def options(reference: intake.Reference) -> dict:
    """The valid choices for the form and the API: foods with their serving sizes, medications, conditions."""

    def amount(food: intake.Food, nutrient: str) -> float | None:
        value = food.amounts.get(nutrient)
        return None if value is None else (int(value) if float(value).is_integer() else value)

    return {
        "sex": list(intake.SEXES),
        "life_stage": list(intake.LIFE_STAGES),
        "goal": list(intake.GOALS),
        "foods": [
            {
                "slug": f.slug,
                "name": f.name,
                "category": f.category,
                "category_label": f.category_label,
                "serving": f.serving,
                "serving_quantity": f.serving_quantity,
                "serving_unit": f.serving_unit,
                "calcium_mg_per_serving": amount(f, intake.CALCIUM),
                "vitamin_k2_mcg_per_serving": amount(f, intake.VITAMIN_K),
            }
            for f in reference.foods
        ],
        "medications": [
            {"slug": m.slug, "name": m.name, "is_anticoagulant": m.is_anticoagulant} for m in reference.medications
        ],
        "conditions": [{"slug": c.slug, "name": c.name} for c in reference.conditions],
    }
