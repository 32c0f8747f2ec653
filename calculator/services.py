"""The one bridge between the database and the pure calculation: ORM rows -> a plain, cached reference snapshot.

The snapshot (`reference.Reference`) is built once per content generation and kept in each process and in the
shared cache under the generation token (`bonehealth.generation`): any content save moves the token, on every
instance, so an old snapshot is never read again. No signal of its own.
"""

from __future__ import annotations

from django.db.models import Prefetch

from bonehealth import generation
from calculator import intake, messages, reference
from calculator.models import (
    Authority,
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

CACHE_KEY = "calculator:reference:v4"
CACHE_SECONDS = 24 * 60 * 60
# The rows the snapshot reads (saving any content row moves the generation, these included).
REFERENCE_MODELS = (
    Nutrient,
    IntakeGuideline,
    Food,
    FoodNutrient,
    Medication,
    Condition,
    Caution,
    Spacing,
    ReferenceValue,
    ReferenceValueSource,
)
# Slugs of the editable reference values the calculator reads.
OTHER_FOODS_MG, K2_TRIAL_MCG, K2_TRIAL_FROM_AGE = "other-foods-calcium-mg", "k2-trial-amount-mcg", "k2-trial-from-age"


def _source(title: str, url: str) -> reference.Source:
    return reference.Source(title=title, url=url)


def _cautions(cautions) -> tuple[reference.Caution, ...]:
    return tuple(
        reference.Caution(
            nutrient=c.nutrient.slug,
            severity=c.severity,
            message=c.message,
            source=_source(c.source_title, c.source_url),
            blocks=frozenset(n.slug for n in c.blocks.all()),
            cap_per_day=None if c.supplement_cap_per_day is None else float(c.supplement_cap_per_day),
            prefers_form=c.prefers_form,
        )
        for c in cautions
    )


def _spacing(row: Spacing) -> reference.Spacing:
    if row.everything:
        other = ("everything", "")
    elif row.other_medication_id is not None:
        other = ("medication", row.other_medication.slug)
    else:
        other = ("nutrient", row.other_nutrient.slug)
    return reference.Spacing(
        other=other,
        hours_before=float(row.hours_before),
        hours_after=None if row.hours_after is None else float(row.hours_after),
        source=_source(row.source_title, row.source_url),
        note=row.note,
    )


def build_reference() -> reference.Reference:
    """Read every reference row (14 queries) into plain frozen data."""
    bands = tuple(
        reference.Band(
            nutrient=g.nutrient.slug,
            sex=g.sex,
            age_min=g.age_min,
            age_max=g.age_max,
            life_stage=g.life_stage,
            target=None if g.target is None else float(g.target),
            kind=g.kind,
            upper_limit=float(g.upper_limit) if g.upper_limit is not None else None,
            upper_limit_scope=g.upper_limit_scope,
            unit=g.nutrient.unit,
            source=_source(g.source_title, g.source_url),
            authority=g.authority,
            note=g.note,
            per_kg=None if g.target_per_kg is None else float(g.target_per_kg),
            limit_kind=g.upper_limit_kind,
            k1_only=g.phylloquinone_only,
        )
        for g in IntakeGuideline.objects.select_related("nutrient")
    )
    amounts = Prefetch("nutrients", queryset=FoodNutrient.objects.select_related("nutrient"))
    foods = tuple(
        reference.Food(
            slug=f.slug,
            name=f.name,
            category=f.category,
            category_label=f.get_category_display(),
            serving=f.serving,
            serving_quantity=float(f.serving_quantity),
            serving_unit=f.serving_unit,
            amounts={a.nutrient.slug: float(a.amount) for a in f.nutrients.all()},
            sources={a.nutrient.slug: _source(a.source_title, a.source_url) for a in f.nutrients.all()},
            notes={a.nutrient.slug: a.note for a in f.nutrients.all() if a.note},
        )
        for f in Food.objects.prefetch_related(amounts)
    )
    caution_rows = Caution.objects.select_related("nutrient").prefetch_related("blocks")
    cautions = Prefetch("cautions", queryset=caution_rows)
    spacings = Prefetch("spacings", queryset=Spacing.objects.select_related("other_nutrient", "other_medication"))
    medications = tuple(
        reference.Interacting(
            slug=m.slug,
            name=m.name,
            cautions=_cautions(m.cautions.all()),
            is_anticoagulant=m.is_anticoagulant,
            time_window=m.time_window,
            spacings=tuple(_spacing(row) for row in m.spacings.all()),
            frequencies=("daily", *(["weekly"] if m.may_be_weekly else []), *(["monthly"] if m.may_be_monthly else [])),
            frequency_source=_source(m.frequency_source_title, m.frequency_source_url),
        )
        for m in Medication.objects.prefetch_related(cautions, spacings)
    )
    conditions = tuple(
        reference.Interacting(slug=c.slug, name=c.name, cautions=_cautions(c.cautions.all()))
        for c in Condition.objects.prefetch_related(cautions)
    )
    stages: dict[str, list[Caution]] = {}
    for row in caution_rows.exclude(life_stage=""):
        stages.setdefault(row.life_stage, []).append(row)
    values = {row.slug: row for row in ReferenceValue.objects.all()}
    defaults = reference.Reference(bands=(), foods=(), medications=(), conditions=())

    def value(slug: str, default: float) -> float:
        return float(values[slug].value) if slug in values else default

    def source(slug: str) -> reference.Source:
        row = values.get(slug)
        return _source(row.source_title, row.source_url) if row else reference.Source("")

    return reference.Reference(
        bands=bands,
        foods=foods,
        medications=medications,
        conditions=conditions,
        life_stage_cautions={stage: _cautions(rows) for stage, rows in stages.items()},
        other_foods_mg=value(OTHER_FOODS_MG, defaults.other_foods_mg),
        other_foods_source=source(OTHER_FOODS_MG),
        k2_trial_mcg=value(K2_TRIAL_MCG, defaults.k2_trial_mcg),
        k2_trial_from_age=round(value(K2_TRIAL_FROM_AGE, defaults.k2_trial_from_age)),
        k2_trial_source=source(K2_TRIAL_MCG),
        k2_trial_evidence=tuple(
            _source(row.title, row.url)
            for row in ReferenceValueSource.objects.filter(reference_value__slug=K2_TRIAL_MCG)
        ),
        authority_names=dict(Authority.choices),
        optional_nutrients=frozenset(Nutrient.objects.filter(optional_in_plan=True).values_list("slug", flat=True)),
    )


def get_reference() -> reference.Reference:
    """The reference snapshot of the current content generation: this process's copy, else the shared cache's, else
    built."""
    return generation.kept(CACHE_KEY, build_reference, timeout=CACHE_SECONDS)


def calculate(*, profile: intake.Profile, reference: reference.Reference) -> intake.Result:
    """The result in words: `intake.compute`, then every code turned into its sentence."""
    return messages.fill(intake.compute(profile=profile, reference=reference))


def options(snapshot: reference.Reference) -> dict:
    """The valid choices for the form and the API: foods with their serving sizes, medications, conditions."""

    def amount(food: reference.Food, nutrient: str) -> float | None:
        value = food.amounts.get(nutrient)
        return None if value is None else (int(value) if float(value).is_integer() else value)

    return {
        "sex": list(reference.SEXES),
        "life_stage": list(reference.LIFE_STAGES),
        "goal": list(reference.GOALS),
        "guidelines": [
            {
                "slug": authority,
                "name": snapshot.authority_name(authority),
                "default": authority == reference.US,
                "sources": [
                    {"title": source.title, "url": source.url}
                    for source in dict.fromkeys(
                        band.source for band in snapshot.bands if band.authority == authority and band.source.title
                    )
                ],
            }
            for authority in reference.AUTHORITIES
        ],
        "other_foods_mg_default": round(snapshot.other_foods_mg),
        "foods": [
            {
                "slug": f.slug,
                "name": f.name,
                "category": f.category,
                "category_label": f.category_label,
                "serving": f.serving,
                "serving_quantity": f.serving_quantity,
                "serving_unit": f.serving_unit,
                "calcium_mg_per_serving": amount(f, reference.CALCIUM),
                "vitamin_k1_mcg_per_serving": amount(f, reference.VITAMIN_K1),
                "vitamin_k2_mcg_per_serving": amount(f, reference.VITAMIN_K2),
                "sources": {slug: {"title": src.title, "url": src.url} for slug, src in f.sources.items()},
                "notes": dict(f.notes),
            }
            for f in snapshot.foods
        ],
        "medications": [
            {"slug": m.slug, "name": m.name, "is_anticoagulant": m.is_anticoagulant, "frequencies": list(m.frequencies)}
            for m in snapshot.medications
        ],
        "conditions": [{"slug": c.slug, "name": c.name} for c in snapshot.conditions],
    }
