"""The intake calculation: plain Python over the reference snapshot. No Django, no I/O.

`compute(profile=..., reference=...)` finds the person's guideline bands, adds up food (with the allowance for foods
not on the list) and supplements, asks `restrictions.restrict` what may be offered, and returns targets, limits, the
gap, the plan and timetable (`plan.plan_day`), warnings and sources. Amounts a person reads are rounded here, so the
templates and the JSON API never do arithmetic. Sentences are not made here: warnings from the data carry their
message, the others a code and parameters that `calculator.messages` turns into words.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from calculator.plan import Plan, plan_day
from calculator.reference import (
    ADULT_AGE,
    AUTHORITIES,
    CALCIUM,
    GOALS,
    LIFE_STAGES,
    MAGNESIUM,
    SEXES,
    VITAMIN_D,
    VITAMIN_K1,
    VITAMIN_K2,
    Band,
    Food,
    MissingGuideline,
    Reference,
    Source,
    effective_band,
    life_stage_error,
    own_band,
)
from calculator.restrictions import MAX_DOSE_MG, Profile, Restrictions, restrict

__all__ = [
    "ADULT_AGE",
    "AUTHORITIES",
    "GOALS",
    "LIFE_STAGES",
    "MAX_DOSE_MG",
    "SEXES",
    "InvalidProfile",
    "MissingGuideline",
    "Profile",
    "Result",
    "as_dict",
    "compute",
]

SEVERITY_ORDER = {"critical": 0, "caution": 1, "info": 2}
STATUSES = ("below_target", "meets_target", "above_upper_limit")
OTHER_FOODS = "other-foods"  # the diet line for foods not on the list


class InvalidProfile(ValueError):
    """The answers contradict each other (for example, a pregnant male)."""

    def __init__(self, errors: Mapping[str, str]):
        self.errors = dict(errors)
        super().__init__("; ".join(f"{name}: {message}" for name, message in self.errors.items()))


@dataclass(frozen=True)
class CalciumResult:
    target_mg: int
    upper_limit_mg: int | None
    kind: str
    diet_mg: int
    supplement_mg: int
    total_mg: int
    gap_mg: int
    status: str
    source: Source
    guideline: str = "us"  # whose target this is
    limit_guideline: str = ""  # whose upper limit applies (the stricter of the chosen and the US one)
    limit_kind: str = ""  # UL | GL | advice: what kind of figure the limit is
    note: str = ""  # the chosen authority's own note for this person (why a figure is not its own, or what kind)
    # The chosen authority's figure for supplements alone, where the limit above is the US one for all intake (the
    # UK's guidance level): whose it is and what kind of figure.
    supplement_limit_mg: int | None = None
    supplement_limit_guideline: str = ""
    supplement_limit_kind: str = ""


@dataclass(frozen=True)
class VitaminKResult:
    adequate_intake_mcg: int  # the chosen authority's figure (K1 only for EFSA; K1 and K2 for the US and UK)
    k2_goal_mcg: int | None  # the trial amount where it applies to this person; None elsewhere
    diet_k1_mcg: int
    diet_k2_mcg: int
    supplement_k2_mcg: int
    keep_steady: bool  # on a vitamin K antagonist: keep the vitamin K in food steady
    source: Source
    guideline: str = "us"  # whose adequate intake this is
    kind: str = "AI"
    k1_only: bool = False  # the figure covers K1 (phylloquinone) alone: K1 is what is compared with it
    per_kg_mcg: float | None = None  # the chosen authority's figure per kg of body weight, where it sets one
    weight_kg: float | None = None
    note: str = ""  # the chosen authority's own note (the per-kg rule in words, or why its figure is not used)
    limit_guideline: str = ""  # no authority sets an upper limit for vitamin K

    @property
    def diet_mcg(self) -> int:
        return self.diet_k1_mcg + self.diet_k2_mcg

    @property
    def counted_mcg(self) -> int:
        """The intake compared with the adequate intake: K1 alone where the figure covers K1 only (EFSA)."""
        return self.diet_k1_mcg if self.k1_only else self.total_mcg

    @property
    def counted_forms(self) -> tuple[str, ...]:
        return (VITAMIN_K1,) if self.k1_only else (VITAMIN_K1, VITAMIN_K2)

    @property
    def total_k2_mcg(self) -> int:
        return self.diet_k2_mcg + self.supplement_k2_mcg

    @property
    def total_mcg(self) -> int:
        return self.diet_mcg + self.supplement_k2_mcg


@dataclass(frozen=True)
class VitaminDResult:
    target_iu: int
    kind: str
    upper_limit_iu: int | None
    supplement_iu: int
    room_iu: int | None  # how much more supplements may add under the upper limit; None where none is set
    source: Source
    guideline: str = "us"
    limit_guideline: str = ""
    limit_kind: str = ""
    note: str = ""


@dataclass(frozen=True)
class Target:
    nutrient: str
    target: int
    kind: str
    upper_limit: int | None
    upper_limit_scope: str
    unit: str
    source: Source
    guideline: str = "us"
    limit_guideline: str = ""
    limit_kind: str = ""
    note: str = ""


@dataclass(frozen=True)
class Compared:
    """One authority's figures for this person, side by side with the others (None where it sets none)."""

    guideline: str
    name: str
    chosen: bool
    calcium_target_mg: int | None
    calcium_kind: str
    calcium_upper_limit_mg: int | None
    vitamin_k_mcg: int | None
    vitamin_k_per_kg_mcg: float | None  # where the authority sets vitamin K per kg of body weight
    vitamin_k_k1_only: bool
    magnesium_mg: int | None
    magnesium_upper_limit_mg: int | None  # supplements only
    vitamin_d_iu: int | None
    vitamin_d_upper_limit_iu: int | None
    notes: tuple[str, ...]
    sources: tuple[Source, ...]
    calcium_limit_kind: str = ""  # UL | GL | advice, where a limit is given
    calcium_limit_scope: str = ""  # all | supplements
    magnesium_limit_kind: str = ""
    vitamin_d_limit_kind: str = ""


@dataclass(frozen=True)
class Warning:
    code: str
    severity: str
    message: str = ""  # from the data, or filled by calculator.messages from the code and params
    source: Source | None = None
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class FoodSuggestion:
    slug: str
    name: str
    serving: str
    servings: float
    calcium_mg: int
    k2_mcg: int


@dataclass(frozen=True)
class DietLine:
    slug: str  # a food's slug, or OTHER_FOODS for the allowance
    name: str
    servings: float
    calcium_mg: int
    k1_mcg: int
    k2_mcg: int


@dataclass(frozen=True)
class Result:
    profile: Profile
    restrictions: Restrictions
    calcium: CalciumResult
    vitamin_k: VitaminKResult
    magnesium: Target
    vitamin_d: VitaminDResult
    plan: Plan
    warnings: tuple[Warning, ...]
    food_suggestions: tuple[FoodSuggestion, ...]
    k2_food_suggestions: tuple[FoodSuggestion, ...]
    diet: tuple[DietLine, ...]
    sources: tuple[Source, ...]
    medication_names: tuple[str, ...] = ()  # the person's answers, in words, for the summary
    condition_names: tuple[str, ...] = ()
    guidelines_compared: tuple[Compared, ...] = ()

    @property
    def guideline(self) -> str:
        return self.profile.guideline

    @property
    def guideline_fallbacks(self) -> tuple[str, ...]:
        """Nutrients whose target comes from the US tables because the chosen authority sets no fixed amount."""
        found = [
            (CALCIUM, self.calcium.guideline),
            (VITAMIN_K2, self.vitamin_k.guideline),
            (MAGNESIUM, self.magnesium.guideline),
            (VITAMIN_D, self.vitamin_d.guideline),
        ]
        return tuple(nutrient for nutrient, whose in found if whose != self.profile.guideline)

    @property
    def is_minor(self) -> bool:
        return self.profile.is_minor

    @property
    def other_foods_mg(self) -> int:
        return next((line.calcium_mg for line in self.diet if line.slug == OTHER_FOODS), 0)

    @property
    def foods_listed(self) -> bool:
        return any(line.slug != OTHER_FOODS for line in self.diet)


# --------------------------------------------------------------------------------------------------------------
# The calculation
# --------------------------------------------------------------------------------------------------------------


def compute(*, profile: Profile, reference: Reference) -> Result:
    error = life_stage_error(age=profile.age, sex=profile.sex, life_stage=profile.life_stage)
    if error:
        raise InvalidProfile({"life_stage": error})

    def band(nutrient: str) -> Band:
        return effective_band(
            reference=reference,
            nutrient=nutrient,
            age=profile.age,
            sex=profile.sex,
            life_stage=profile.life_stage,
            authority=profile.guideline,
            weight_kg=profile.weight_kg,
        )

    def own_note(nutrient: str) -> str:
        """The chosen authority's own note for this person: what kind of figure it sets, or why none is used."""
        own = own_band(
            reference=reference,
            nutrient=nutrient,
            age=profile.age,
            sex=profile.sex,
            life_stage=profile.life_stage,
            authority=profile.guideline,
        )
        return own.note if own is not None else ""

    calcium_band, k_band, mg_band, d_band = band(CALCIUM), band(VITAMIN_K2), band(MAGNESIUM), band(VITAMIN_D)
    restrictions = restrict(profile=profile, reference=reference)
    foods = {food.slug: food for food in reference.foods}
    other_foods_mg = reference.other_foods_mg if profile.other_foods_mg is None else profile.other_foods_mg

    diet = tuple(
        _diet_line(food=foods[slug], servings=servings)
        for slug, servings in profile.foods.items()
        if servings > 0 and slug in foods
    )
    if other_foods_mg > 0:
        diet += (DietLine(OTHER_FOODS, "", 1.0, round(other_foods_mg), 0, 0),)
    eaten = [(foods[line.slug], line.servings) for line in diet if line.slug in foods]
    diet_mg = round(sum(servings * food.amount(CALCIUM) for food, servings in eaten) + other_foods_mg)

    calcium = _calcium_result(band=calcium_band, diet_mg=diet_mg, supplement_mg=round(profile.calcium_supplement_mg))
    calcium = replace(calcium, note=own_note(CALCIUM))
    k_own = own_band(
        reference=reference,
        nutrient=VITAMIN_K2,
        age=profile.age,
        sex=profile.sex,
        life_stage=profile.life_stage,
        authority=profile.guideline,
    )
    vitamin_k = VitaminKResult(
        adequate_intake_mcg=round(k_band.target),
        k2_goal_mcg=round(reference.k2_trial_mcg) if restrictions.k2_amount else None,
        diet_k1_mcg=round(sum(servings * food.amount(VITAMIN_K1) for food, servings in eaten)),
        diet_k2_mcg=round(sum(servings * food.amount(VITAMIN_K2) for food, servings in eaten)),
        supplement_k2_mcg=round(profile.k2_supplement_mcg),
        keep_steady=restrictions.keep_vitamin_k_steady,
        source=k_band.source,
        guideline=k_band.authority,
        kind=k_band.kind,
        k1_only=k_band.k1_only,
        per_kg_mcg=k_own.per_kg if k_own is not None else None,
        weight_kg=profile.weight_kg,
        note=own_note(VITAMIN_K2),
    )
    vitamin_d = VitaminDResult(
        target_iu=round(d_band.target),
        kind=d_band.kind,
        upper_limit_iu=None if d_band.upper_limit is None else round(d_band.upper_limit),
        supplement_iu=round(profile.vitamin_d_supplement_iu),
        room_iu=restrictions.vitamin_d_room_iu,
        source=d_band.source,
        guideline=d_band.authority,
        limit_guideline=d_band.limit_authority,
        limit_kind=d_band.limit_kind if d_band.upper_limit is not None else "",
        note=own_note(VITAMIN_D),
    )
    warnings = _warnings(
        profile=profile,
        calcium=calcium,
        vitamin_d=vitamin_d,
        cautions=restrictions.cautions,
        foods_listed=any(line.slug != OTHER_FOODS for line in diet),
        other_foods_mg=round(other_foods_mg),
    )
    plan = plan_day(profile=profile, calcium=calcium, restrictions=restrictions, k2_trial_mcg=reference.k2_trial_mcg)
    spacing_sources = [s.source for item in restrictions.medicines for s in item.spacings]
    sources = _unique_sources(
        [calcium_band.source, k_band.source, mg_band.source, d_band.source]
        + ([reference.other_foods_source] if other_foods_mg else [])
        + ([reference.k2_trial_source, *reference.k2_trial_evidence] if plan.k2_mcg else [])
        + [food.sources[n] for food, _ in eaten for n in (CALCIUM, VITAMIN_K1, VITAMIN_K2) if n in food.sources]
        + [w.source for w in warnings if w.source]
        + spacing_sources
    )
    return Result(
        profile=profile,
        restrictions=restrictions,
        calcium=calcium,
        vitamin_k=vitamin_k,
        magnesium=replace(_target(mg_band), note=own_note(MAGNESIUM)),
        vitamin_d=vitamin_d,
        plan=plan,
        warnings=warnings,
        food_suggestions=_calcium_food_suggestions(foods=reference.foods, gap_mg=calcium.gap_mg),
        k2_food_suggestions=() if vitamin_k.keep_steady else _k2_food_suggestions(foods=reference.foods),
        diet=diet,
        sources=sources,
        medication_names=tuple(item.name for item in restrictions.medications),
        condition_names=tuple(item.name for item in restrictions.conditions),
        guidelines_compared=_compare(profile=profile, reference=reference),
    )


def _compare(*, profile: Profile, reference: Reference) -> tuple[Compared, ...]:
    """Each authority's own figures for this person (no fallback, no stricter limit: what its tables say); the rows
    are immutable, so the snapshot keeps them for the next question from the same age, sex, stage and choice."""
    key = ("compared", profile.age, profile.sex, profile.life_stage, profile.guideline)
    if key not in reference.answered:
        reference.answered[key] = _compared_rows(profile=profile, reference=reference)
    rows = reference.answered[key]
    if profile.weight_kg is None:
        return rows
    return tuple(
        replace(row, vitamin_k_mcg=round(row.vitamin_k_per_kg_mcg * profile.weight_kg))
        if row.vitamin_k_mcg is None and row.vitamin_k_per_kg_mcg is not None
        else row
        for row in rows
    )


def _compared_rows(*, profile: Profile, reference: Reference) -> tuple[Compared, ...]:
    def whole(value: float | None) -> int | None:
        return None if value is None else round(value)

    rows = []
    for authority in AUTHORITIES:
        bands = {
            nutrient: own_band(
                reference=reference,
                nutrient=nutrient,
                age=profile.age,
                sex=profile.sex,
                life_stage=profile.life_stage,
                authority=authority,
            )
            for nutrient in (CALCIUM, VITAMIN_K2, MAGNESIUM, VITAMIN_D)
        }
        found = [band for band in bands.values() if band is not None]
        if not found:
            continue
        calcium, k, mg, d = (bands[n] for n in (CALCIUM, VITAMIN_K2, MAGNESIUM, VITAMIN_D))
        rows.append(
            Compared(
                guideline=authority,
                name=reference.authority_name(authority),
                chosen=authority == profile.guideline,
                calcium_target_mg=whole(calcium.target) if calcium else None,
                calcium_kind=calcium.kind if calcium else "",
                calcium_upper_limit_mg=whole(calcium.upper_limit) if calcium else None,
                vitamin_k_mcg=whole(k.target) if k else None,
                vitamin_k_per_kg_mcg=k.per_kg if k else None,
                vitamin_k_k1_only=k.k1_only if k else False,
                magnesium_mg=whole(mg.target) if mg else None,
                magnesium_upper_limit_mg=whole(mg.upper_limit) if mg else None,
                vitamin_d_iu=whole(d.target) if d else None,
                vitamin_d_upper_limit_iu=whole(d.upper_limit) if d else None,
                notes=tuple(dict.fromkeys(band.note for band in found if band.note)),
                sources=_unique_sources(band.source for band in found),
                calcium_limit_kind=calcium.limit_kind if calcium and calcium.upper_limit is not None else "",
                calcium_limit_scope=calcium.upper_limit_scope if calcium and calcium.upper_limit is not None else "",
                magnesium_limit_kind=mg.limit_kind if mg and mg.upper_limit is not None else "",
                vitamin_d_limit_kind=d.limit_kind if d and d.upper_limit is not None else "",
            )
        )
    return tuple(rows)


def _diet_line(*, food: Food, servings: float) -> DietLine:
    return DietLine(
        slug=food.slug,
        name=food.name,
        servings=servings,
        calcium_mg=round(servings * food.amount(CALCIUM)),
        k1_mcg=round(servings * food.amount(VITAMIN_K1)),
        k2_mcg=round(servings * food.amount(VITAMIN_K2)),
    )


def _calcium_result(*, band: Band, diet_mg: int, supplement_mg: int) -> CalciumResult:
    target = round(band.target)
    limit = round(band.upper_limit) if band.upper_limit is not None else None
    total = diet_mg + supplement_mg
    if limit is not None and total > limit:
        status = "above_upper_limit"
    elif total >= target:
        status = "meets_target"
    else:
        status = "below_target"
    return CalciumResult(
        target_mg=target,
        upper_limit_mg=limit,
        kind=band.kind,
        diet_mg=diet_mg,
        supplement_mg=supplement_mg,
        total_mg=total,
        gap_mg=max(0, target - total),
        status=status,
        source=band.source,
        guideline=band.authority,
        limit_guideline=band.limit_authority,
        limit_kind=band.limit_kind if limit is not None else "",
        supplement_limit_mg=None if band.supplement_limit is None else round(band.supplement_limit),
        supplement_limit_guideline=band.supplement_limit_authority,
        supplement_limit_kind=band.supplement_limit_kind,
    )


def _target(band: Band) -> Target:
    return Target(
        nutrient=band.nutrient,
        target=round(band.target),
        kind=band.kind,
        upper_limit=round(band.upper_limit) if band.upper_limit is not None else None,
        upper_limit_scope=band.upper_limit_scope,
        unit=band.unit,
        source=band.source,
        guideline=band.authority,
        limit_guideline=band.limit_authority,
        limit_kind=band.limit_kind if band.upper_limit is not None else "",
    )


def _unique_sources(sources: Iterable[Source]) -> tuple[Source, ...]:
    """Each source once: the first title given for an address (a label cited for several rules is one source)."""
    unique: dict[str, Source] = {}
    for source in sources:
        if source.title:
            unique.setdefault(source.url or source.title, source)
    return tuple(unique.values())


def _warnings(*, profile, calcium, vitamin_d, cautions, foods_listed: bool, other_foods_mg: int) -> tuple[Warning, ...]:
    found = [
        Warning(code=code, severity=caution.severity, message=caution.message, source=caution.source)
        for code, caution in cautions
    ]
    if calcium.status == "above_upper_limit":
        found.append(
            Warning(
                code="above-upper-limit",
                severity="critical",
                source=calcium.source,
                params={"total_mg": calcium.total_mg, "upper_limit_mg": calcium.upper_limit_mg},
            )
        )
    per_dose = profile.calcium_supplement_mg / max(profile.calcium_doses_per_day, 1)
    if per_dose > MAX_DOSE_MG:
        found.append(
            Warning(
                code="dose-over-500", severity="caution", params={"per_dose_mg": round(per_dose), "max": MAX_DOSE_MG}
            )
        )
    if vitamin_d.upper_limit_iu is not None and vitamin_d.supplement_iu > vitamin_d.upper_limit_iu:
        found.append(
            Warning(
                code="vitamin-d-above-upper-limit",
                severity="critical",
                source=vitamin_d.source,
                params={"taken_iu": vitamin_d.supplement_iu, "upper_limit_iu": vitamin_d.upper_limit_iu},
            )
        )
    if not foods_listed:
        found.append(Warning(code="no-foods-listed", severity="caution", params={"other_foods_mg": other_foods_mg}))
    return tuple(sorted(found, key=lambda w: SEVERITY_ORDER.get(w.severity, 3)))


# --------------------------------------------------------------------------------------------------------------
# Food suggestions
# --------------------------------------------------------------------------------------------------------------


def _quarter_up(value: float) -> float:
    return math.ceil(value * 4) / 4


def _calcium_food_suggestions(*, foods: tuple[Food, ...], gap_mg: int, limit: int = 5) -> tuple[FoodSuggestion, ...]:
    """The richest calcium foods, each with the servings (quarter steps, at most 3) that would close the gap."""
    if gap_mg <= 0:
        return ()
    rich = sorted((f for f in foods if f.amount(CALCIUM) > 0), key=lambda f: (-f.amount(CALCIUM), f.slug))
    suggestions = []
    for food in rich[:limit]:
        servings = min(3.0, _quarter_up(gap_mg / food.amount(CALCIUM)))
        suggestions.append(
            FoodSuggestion(
                slug=food.slug,
                name=food.name,
                serving=food.serving,
                servings=servings,
                calcium_mg=round(servings * food.amount(CALCIUM)),
                k2_mcg=round(servings * food.amount(VITAMIN_K2)),
            )
        )
    return tuple(suggestions)


def _k2_food_suggestions(*, foods: tuple[Food, ...], limit: int = 3) -> tuple[FoodSuggestion, ...]:
    rich = sorted((f for f in foods if f.amount(VITAMIN_K2) > 0), key=lambda f: (-f.amount(VITAMIN_K2), f.slug))
    return tuple(
        FoodSuggestion(
            slug=f.slug,
            name=f.name,
            serving=f.serving,
            servings=1.0,
            calcium_mg=round(f.amount(CALCIUM)),
            k2_mcg=round(f.amount(VITAMIN_K2)),
        )
        for f in rich[:limit]
    )


# --------------------------------------------------------------------------------------------------------------
# JSON shape (the API contract in docs/api.md)
# --------------------------------------------------------------------------------------------------------------


def _source_dict(source: Source) -> dict[str, str]:
    return {"title": source.title, "url": source.url}


def as_dict(result: Result) -> dict:
    """The result as the JSON API returns it (without recommendations, which the view adds). Messages must have been
    filled by `calculator.messages.fill` first."""
    c, k, d, plan = result.calcium, result.vitamin_k, result.vitamin_d, result.plan
    return {
        "guideline": result.guideline,
        "weight_kg": result.profile.weight_kg,
        "calcium": {
            "guideline": c.guideline,
            "upper_limit_guideline": c.limit_guideline or None,
            "upper_limit_kind": c.limit_kind or None,
            "supplement_limit_mg": c.supplement_limit_mg,
            "supplement_limit_guideline": c.supplement_limit_guideline or None,
            "supplement_limit_kind": c.supplement_limit_kind or None,
            "note": c.note,
            "target_mg": c.target_mg,
            "target_kind": c.kind,
            "upper_limit_mg": c.upper_limit_mg,
            "diet_mg": c.diet_mg,
            "other_foods_mg": result.other_foods_mg,
            "supplement_mg": c.supplement_mg,
            "total_mg": c.total_mg,
            "gap_mg": c.gap_mg,
            "status": c.status,
        },
        "vitamin_k": {
            "guideline": k.guideline,
            "upper_limit_guideline": None,
            "note": k.note,
            "adequate_intake_mcg": k.adequate_intake_mcg,
            "adequate_intake_kind": k.kind,
            "per_kg_mcg": k.per_kg_mcg,
            "weight_kg": k.weight_kg,
            "counted_mcg": k.counted_mcg,
            "counted_forms": list(k.counted_forms),
            "k2_goal_mcg": k.k2_goal_mcg,
            "diet_k1_mcg": k.diet_k1_mcg,
            "diet_k2_mcg": k.diet_k2_mcg,
            "diet_mcg": k.diet_mcg,
            "supplement_k2_mcg": k.supplement_k2_mcg,
            "total_k2_mcg": k.total_k2_mcg,
            "total_mcg": k.total_mcg,
            "keep_steady": k.keep_steady,
        },
        "magnesium": {
            "guideline": result.magnesium.guideline,
            "target_mg": result.magnesium.target,
            "target_kind": result.magnesium.kind,
            "supplement_upper_limit_mg": result.magnesium.upper_limit,
            "upper_limit_guideline": result.magnesium.limit_guideline or None,
            "upper_limit_kind": result.magnesium.limit_kind or None,
            "note": result.magnesium.note,
        },
        "vitamin_d": {
            "guideline": d.guideline,
            "upper_limit_guideline": d.limit_guideline or None,
            "upper_limit_kind": d.limit_kind or None,
            "note": d.note,
            "target_iu": d.target_iu,
            "upper_limit_iu": d.upper_limit_iu,
            "supplement_iu": d.supplement_iu,
            "room_iu": d.room_iu,
        },
        "restrictions": {
            "blocked_nutrients": sorted(result.restrictions.blocked),
            "supplement_caps_per_day": dict(result.restrictions.caps_per_day),
            "max_calcium_per_dose_mg": result.restrictions.per_dose_mg,
        },
        "plan": {
            "calcium_doses": [{"mg": dose.mg, "when": dose.when, "time": dose.time} for dose in plan.calcium_doses],
            "calcium_supplement_mg": plan.calcium_supplement_mg,
            "k2_mcg": plan.k2_mcg,
            "k2_form": plan.k2_form,
            "notes": [note.text for note in plan.notes],
            "left_out_medications": list(plan.left_out),
            "timetable": [
                {
                    "time": e.time,
                    "kind": e.kind,
                    "slug": e.slug or None,
                    "what": e.what,
                    "detail": e.detail,
                    "frequency": e.frequency,
                    "optional": e.optional,
                }
                for e in plan.timetable
            ],
        },
        "warnings": [{"code": w.code, "severity": w.severity, "message": w.message} for w in result.warnings],
        "food_suggestions": [
            {"slug": s.slug, "name": s.name, "serving": s.serving, "servings": s.servings, "calcium_mg": s.calcium_mg}
            for s in result.food_suggestions
        ],
        "guidelines_compared": [_compared_dict(row) for row in result.guidelines_compared],
        "sources": [_source_dict(s) for s in result.sources],
    }


def _compared_dict(row: Compared) -> dict:
    return {
        "guideline": row.guideline,
        "name": row.name,
        "chosen": row.chosen,
        "calcium_target_mg": row.calcium_target_mg,
        "calcium_target_kind": row.calcium_kind or None,
        "calcium_upper_limit_mg": row.calcium_upper_limit_mg,
        "calcium_upper_limit_kind": row.calcium_limit_kind or None,
        "calcium_upper_limit_scope": row.calcium_limit_scope or None,
        "vitamin_k_mcg": row.vitamin_k_mcg,
        "vitamin_k_per_kg_mcg": row.vitamin_k_per_kg_mcg,
        "vitamin_k_counts_k1_only": row.vitamin_k_k1_only,
        "magnesium_mg": row.magnesium_mg,
        "magnesium_supplement_upper_limit_mg": row.magnesium_upper_limit_mg,
        "magnesium_upper_limit_kind": row.magnesium_limit_kind or None,
        "vitamin_d_iu": row.vitamin_d_iu,
        "vitamin_d_upper_limit_iu": row.vitamin_d_upper_limit_iu,
        "vitamin_d_upper_limit_kind": row.vitamin_d_limit_kind or None,
        "notes": list(row.notes),
        "source": "; ".join(source.title for source in row.sources),
        "sources": [_source_dict(source) for source in row.sources],
    }
