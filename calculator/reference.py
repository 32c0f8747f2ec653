"""The reference snapshot: plain frozen data built from the database by `calculator.services`. No Django, no I/O.

Guideline bands, foods, medicines and conditions with their cautions and spacing rules, the life-stage cautions and
the editable reference values. `find_band` and `life_stage_error` are the two lookups every consumer shares.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property

CALCIUM, VITAMIN_K2, VITAMIN_K1, MAGNESIUM, VITAMIN_D = "calcium", "vitamin-k2", "vitamin-k1", "magnesium", "vitamin-d"
SEXES = ("female", "male")
LIFE_STAGES = ("none", "pregnant", "lactating")
GOALS = ("general", "bone_health")
PREGNANCY_AGES = (14, 50)  # pregnancy and lactation bands of the official tables cover ages 14-50
ADULT_AGE = 18  # under this age: targets and food-first advice only, no supplement amounts, no products
US, EU, UK = "us", "eu", "uk"
AUTHORITIES = (US, EU, UK)  # whose tables: US National Academies (the default), EFSA, UK Department of Health / SACN


class MissingGuideline(LookupError):
    """The reference data has no band for this person: an editor removed or narrowed one."""


@dataclass(frozen=True)
class Source:
    title: str
    url: str = ""


@dataclass(frozen=True)
class Band:
    nutrient: str
    sex: str  # any | female | male
    age_min: int
    age_max: int | None
    life_stage: str
    target: float | None  # None only where this authority sets no fixed amount (the note says so)
    kind: str  # RDA | AI | PRI | RNI | SI
    upper_limit: float | None
    upper_limit_scope: str  # all | supplements
    unit: str
    source: Source
    authority: str = US
    note: str = ""  # why an amount or the limit is empty for this authority (data, shown beside the figures)
    limit_authority: str = ""  # whose upper limit this is ("" where none); see `effective_band`
    per_kg: float | None = None  # the authority's figure per kg of body weight, where it sets one that way
    limit_kind: str = "UL"  # UL | GL (a guidance level for supplements) | advice (official advice, most a day)
    k1_only: bool = False  # the figure covers vitamin K1 (phylloquinone) only: compare K1 with it
    # The chosen authority's supplements-only figure where the limit applied is the US one for all intake (the UK's
    # guidance level for calcium supplements): shown beside it, with whose and what kind it is.
    supplement_limit: float | None = None
    supplement_limit_authority: str = ""
    supplement_limit_kind: str = ""

    def covers(self, *, age: int, sex: str, life_stage: str) -> bool:
        return (
            self.life_stage == life_stage
            and self.sex in ("any", sex)
            and self.age_min <= age
            and (self.age_max is None or age <= self.age_max)
        )


@dataclass(frozen=True)
class Food:
    slug: str
    name: str
    category: str
    category_label: str
    serving: str
    serving_quantity: float
    serving_unit: str
    amounts: Mapping[str, float]  # nutrient slug -> amount per serving
    sources: Mapping[str, Source]  # nutrient slug -> source of that amount
    notes: Mapping[str, str] = field(default_factory=dict)  # nutrient slug -> the range where sources disagree

    def amount(self, nutrient: str) -> float:
        return self.amounts.get(nutrient, 0.0)


@dataclass(frozen=True)
class Caution:
    nutrient: str
    severity: str  # info | caution | critical
    message: str
    source: Source
    blocks: frozenset[str] = frozenset()  # nutrients that may not be offered as supplements
    cap_per_day: float | None = None  # most of `nutrient` supplements may add a day
    prefers_form: str = ""  # a product form of `nutrient` that suits this person better (calcium citrate)


@dataclass(frozen=True)
class Spacing:
    """This medicine at least `hours_before` before `other`, and at least `hours_after` after it (None: it must come
    first, its time window says when). `other` is ("nutrient", slug), ("medication", slug) or ("everything", "")."""

    other: tuple[str, str]
    hours_before: float
    hours_after: float | None
    source: Source
    note: str = ""  # whose gap it is (which medicine of a class), shown with it in the timetable


@dataclass(frozen=True)
class Interacting:
    """A medication or a condition with its cautions (and, for a medication, when it may be taken)."""

    slug: str
    name: str
    cautions: tuple[Caution, ...]
    is_anticoagulant: bool = False
    time_window: str = "any"  # any | first-thing | empty-stomach | after-breakfast
    spacings: tuple[Spacing, ...] = ()
    frequencies: tuple[str, ...] = ("daily",)  # how often its label allows it to be taken: daily, weekly, monthly
    frequency_source: Source = Source("")


@dataclass(frozen=True)
class Reference:
    bands: tuple[Band, ...]
    foods: tuple[Food, ...]
    medications: tuple[Interacting, ...]
    conditions: tuple[Interacting, ...]
    life_stage_cautions: Mapping[str, tuple[Caution, ...]] = field(default_factory=dict)
    # Editable reference values (calculator.models.ReferenceValue), with the shipped values as defaults.
    other_foods_mg: float = 250.0
    other_foods_source: Source = Source("")
    k2_trial_mcg: float = 180.0
    k2_trial_from_age: int = 51
    k2_trial_source: Source = Source("")
    k2_trial_evidence: tuple[Source, ...] = ()  # further trials cited with the K2 amount (they temper it)
    authority_names: Mapping[str, str] = field(default_factory=dict)  # authority slug -> its name
    optional_nutrients: frozenset[str] = frozenset()  # offered as optional in the plan (the evidence is limited)

    @cached_property
    def bands_by_owner(self) -> Mapping[tuple[str, str], tuple[Band, ...]]:
        """The bands by (authority, nutrient), in table order: `find_band` reads a handful of rows, not all of them."""
        owners: dict[tuple[str, str], list[Band]] = {}
        for band in self.bands:
            owners.setdefault((band.authority, band.nutrient), []).append(band)
        return {owner: tuple(bands) for owner, bands in owners.items()}

    @cached_property
    def answered(self) -> dict:
        """What this snapshot has worked out for a person's age, sex, life stage and tables (their bands, the
        authorities compared), by a key naming the lookup and its arguments. The snapshot never changes, the form
        bounds those arguments to a few thousand people, and two threads working one out at once get equal answers."""
        return {}

    def authority_name(self, authority: str) -> str:
        return self.authority_names.get(authority, authority.upper())

    def food(self, slug: str) -> Food:
        return next(food for food in self.foods if food.slug == slug)

    def medication(self, slug: str) -> Interacting:
        return next(item for item in self.medications if item.slug == slug)

    def condition(self, slug: str) -> Interacting:
        return next(item for item in self.conditions if item.slug == slug)

    def blockers(self, nutrient: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Who may not be offered this nutrient: (names of medicines and conditions, life stages)."""
        names = tuple(
            item.name
            for item in (*self.medications, *self.conditions)
            if any(nutrient in caution.blocks for caution in item.cautions)
        )
        stages = tuple(
            stage for stage in LIFE_STAGES if any(nutrient in c.blocks for c in self.life_stage_cautions.get(stage, ()))
        )
        return names, stages


def life_stage_error(*, age: int, sex: str, life_stage: str) -> str | None:
    """Why this life stage cannot apply to this person, or None. The form and `compute` both use this one rule."""
    if life_stage == "none":
        return None
    word = "Pregnancy" if life_stage == "pregnant" else "Breastfeeding"
    if sex != "female":
        return f"{word} applies only to females: choose “Neither” (none) or change the sex."
    low, high = PREGNANCY_AGES
    if not low <= age <= high:
        return (
            f"The official tables give pregnancy and breastfeeding values for ages {low} to {high} only: "
            "choose “Neither” (none), or ask your doctor or midwife."
        )
    return None


def find_band(*, reference: Reference, nutrient: str, age: int, sex: str, life_stage: str, authority: str = US) -> Band:
    """This authority's guideline band for this person; pregnancy and lactation fall back to the authority's ordinary
    band if none is set (the EFSA and UK tables say so for most nutrients: no increment)."""
    owned = reference.bands_by_owner.get((authority, nutrient), ())
    for stage in dict.fromkeys((life_stage, "none")):
        matches = [b for b in owned if b.covers(age=age, sex=sex, life_stage=stage)]
        if matches:
            # A sex-specific band is more precise than an "any" band covering the same age (the first of each).
            return min(matches, key=lambda b: b.sex == "any")
    raise MissingGuideline(f"No {authority} {nutrient} guideline covers age {age}, {sex}, {life_stage}.")


def own_band(
    *, reference: Reference, nutrient: str, age: int, sex: str, life_stage: str, authority: str
) -> Band | None:
    """This authority's band for this person, or None where its tables have none."""
    key = ("own", nutrient, age, sex, life_stage, authority)
    if key not in reference.answered:
        try:
            band = find_band(
                reference=reference, nutrient=nutrient, age=age, sex=sex, life_stage=life_stage, authority=authority
            )
        except MissingGuideline:
            band = None
        reference.answered[key] = band
    return reference.answered[key]


def _stricter_limit(own: Band | None, us: Band) -> tuple[float | None, str, str, str]:
    """(upper limit, scope, whose, kind) an answer applies: the stricter of the chosen authority's and the US one, the
    chosen authority's where they are equal. Limits with different scopes (all sources vs supplements only) are not
    comparable: the US one applies."""
    if own is None or own.upper_limit is None or own.upper_limit_scope != us.upper_limit_scope:
        if us.upper_limit is None:
            if own is not None and own.upper_limit is not None:
                return own.upper_limit, own.upper_limit_scope, own.authority, own.limit_kind
            return None, us.upper_limit_scope, "", ""
        return us.upper_limit, us.upper_limit_scope, US, us.limit_kind
    if us.upper_limit is None or own.upper_limit <= us.upper_limit:
        return own.upper_limit, own.upper_limit_scope, own.authority, own.limit_kind
    return us.upper_limit, us.upper_limit_scope, US, us.limit_kind


def effective_band(
    *,
    reference: Reference,
    nutrient: str,
    age: int,
    sex: str,
    life_stage: str,
    authority: str = US,
    weight_kg: float | None = None,
) -> Band:
    """The band an answer uses for this person: the chosen authority's target (the US one where it sets no fixed
    amount; `authority` on the band says whose it is) and the stricter of its upper limit and the US one, so a
    limit is never looser than the US tables'. Where the chosen authority sets its figure per kg of body weight, it
    applies with the person's weight, and the US figure without one. The restrictions step and the calculation both
    read this one rule."""
    key = ("effective", nutrient, age, sex, life_stage, authority)
    if key not in reference.answered:
        reference.answered[key] = _effective_band(
            reference=reference, nutrient=nutrient, age=age, sex=sex, life_stage=life_stage, authority=authority
        )
    band = reference.answered[key]
    if weight_kg is None or authority == US:
        return band
    own = own_band(reference=reference, nutrient=nutrient, age=age, sex=sex, life_stage=life_stage, authority=authority)
    if own is None or own.target is not None or own.per_kg is None:
        return band
    return replace(
        band,
        target=own.per_kg * weight_kg,
        kind=own.kind,
        source=own.source,
        authority=own.authority,
        note=own.note,
        per_kg=own.per_kg,
        k1_only=own.k1_only,
    )


def _effective_band(*, reference: Reference, nutrient: str, age: int, sex: str, life_stage: str, authority: str):
    person = {"reference": reference, "nutrient": nutrient, "age": age, "sex": sex, "life_stage": life_stage}
    us = find_band(**person, authority=US)
    own = None if authority == US else own_band(**person, authority=authority)
    base = own if own is not None and own.target is not None else us
    if base.target is None:
        raise MissingGuideline(f"No {nutrient} amount for age {age}, {sex}, {life_stage} in the US tables.")
    limit, scope, whose, kind = _stricter_limit(own, us)
    extra = {}
    if (
        own is not None
        and own.upper_limit is not None
        and own.upper_limit_scope == "supplements"
        and whose != own.authority
        and scope != "supplements"
    ):
        extra = {
            "supplement_limit": own.upper_limit,
            "supplement_limit_authority": own.authority,
            "supplement_limit_kind": own.limit_kind,
        }
    return replace(base, upper_limit=limit, upper_limit_scope=scope, limit_authority=whose, limit_kind=kind, **extra)
