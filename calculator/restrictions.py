"""The one place that decides what an answer may offer. Pure: a person and the reference snapshot in, rules out.

`restrict(profile=..., reference=...)` reads the rules from the data (caution rows: the nutrients each blocks, a cap
on a supplement's daily amount, a product form it prefers; spacing rows, time windows and allowed frequencies of the
medicines; the nutrients offered as optional) and returns `Restrictions`. The plan,
the timetable, the chart and table, and the product ranking all read this object; none re-derives a rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from calculator.reference import (
    ADULT_AGE,
    CALCIUM,
    US,
    VITAMIN_D,
    VITAMIN_K2,
    Caution,
    Interacting,
    Reference,
    effective_band,
)

STAGE_CODES = {"none": "", "pregnant": "pregnancy", "lactating": "lactation"}  # a life stage's warning code
MAX_DOSE_MG = 500  # absorption is best at 500 mg of elemental calcium or less at a time
OFFERED_NUTRIENTS = (CALCIUM, VITAMIN_K2, VITAMIN_D)  # what the plan and the products may add
DAILY = "daily"
FREQUENCIES = (DAILY, "weekly", "monthly")  # how often a medicine may be taken, where its data allows


@dataclass(frozen=True)
class Profile:
    age: int
    sex: str
    life_stage: str = "none"
    goal: str = "general"
    foods: Mapping[str, float] = field(default_factory=dict)  # food slug -> servings per day
    other_foods_mg: float | None = None  # None: the reference allowance
    calcium_supplement_mg: float = 0.0
    calcium_doses_per_day: int = 1
    k2_supplement_mcg: float = 0.0
    vitamin_d_supplement_iu: float = 0.0
    medications: tuple[str, ...] = ()
    frequencies: Mapping[str, str] = field(default_factory=dict)  # medication slug -> weekly | monthly (else daily)
    conditions: tuple[str, ...] = ()
    guideline: str = US  # whose tables set the targets: us | eu | uk (upper limits: never looser than the US ones)
    weight_kg: float | None = None  # where an authority sets a figure per kg of body weight (the UK's vitamin K)

    @property
    def is_minor(self) -> bool:
        return self.age < ADULT_AGE


@dataclass(frozen=True)
class Gap:
    """A spacing rule in force: `medication` at least `before` minutes before `other`, at least `after` after it."""

    medication: str
    other: tuple[str, str]  # ("nutrient", slug) | ("medication", slug) | ("everything", "")
    before: int
    after: int | None
    note: str = ""  # whose gap it is (the spacing row's note)


@dataclass(frozen=True)
class Restrictions:
    minor: bool
    blocked: Mapping[str, tuple[str, ...]]  # nutrient -> what blocks it (medicine and condition names, life stages)
    caps_per_day: Mapping[str, float]  # nutrient -> most that supplements may add a day (the strictest cap)
    capped_by: Mapping[str, tuple[str, ...]]  # nutrient -> names of what caps it
    k2_amount: bool  # the K2 trial amount is a plan amount for this person
    k2_evidence_only: bool  # an adult with the bone goal outside the trial's population: the evidence, no dose
    keep_vitamin_k_steady: bool  # on a vitamin K antagonist
    medicines: tuple[Interacting, ...]  # the person's medicines that have a time window or a gap
    gaps: tuple[Gap, ...]
    vitamin_d_room_iu: int | None  # how much vitamin D supplements may still add under the (stricter) upper limit
    per_dose_mg: int = MAX_DOSE_MG
    # The person's medicines and conditions as the data gives them, and every caution that applies to them, by the
    # warning code it is shown under (the medicine's or condition's slug, or the life stage's code).
    medications: tuple[Interacting, ...] = ()
    conditions: tuple[Interacting, ...] = ()
    cautions: tuple[tuple[str, Caution], ...] = ()
    frequencies: Mapping[str, str] = field(default_factory=dict)  # medication slug -> daily | weekly | monthly
    optional: frozenset[str] = frozenset()  # nutrients the plan offers as optional (limited evidence)
    preferred_forms: Mapping[str, str] = field(default_factory=dict)  # nutrient -> the product form that suits
    preferred_by: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # nutrient -> names of who prefers it

    def allows(self, nutrient: str) -> bool:
        """May a supplement of this nutrient be offered at all (in the plan or as a product)?"""
        return not self.minor and nutrient not in self.blocked

    def cap(self, nutrient: str) -> float | None:
        return self.caps_per_day.get(nutrient)


def restrict(*, profile: Profile, reference: Reference) -> Restrictions:
    medications = [item for item in reference.medications if item.slug in profile.medications]
    conditions = [item for item in reference.conditions if item.slug in profile.conditions]
    owners = [(item.name, item.cautions) for item in (*medications, *conditions)]
    stage_cautions = reference.life_stage_cautions.get(profile.life_stage, ())
    if stage_cautions:
        owners.append((profile.life_stage, stage_cautions))

    blocked: dict[str, list[str]] = {}
    caps: dict[str, float] = {}
    capped_by: dict[str, list[str]] = {}
    preferred: dict[str, str] = {}
    preferred_by: dict[str, list[str]] = {}
    for name, cautions in owners:
        for caution in cautions:
            for nutrient in caution.blocks:
                blocked.setdefault(nutrient, []).append(name)
            if caution.cap_per_day is not None:
                caps[caution.nutrient] = min(caps.get(caution.nutrient, caution.cap_per_day), caution.cap_per_day)
                capped_by.setdefault(caution.nutrient, []).append(name)
            if caution.prefers_form:
                preferred.setdefault(caution.nutrient, caution.prefers_form)
                preferred_by.setdefault(caution.nutrient, []).append(name)

    minor = profile.is_minor
    anticoagulant = any(item.is_anticoagulant for item in medications)
    k2_allowed = not minor and VITAMIN_K2 not in blocked  # pregnancy and breastfeeding block it in the data
    bone_goal = profile.goal == "bone_health"
    in_trial_population = profile.sex == "female" and profile.age >= reference.k2_trial_from_age
    d_band = effective_band(
        reference=reference,
        nutrient=VITAMIN_D,
        age=profile.age,
        sex=profile.sex,
        life_stage=profile.life_stage,
        authority=profile.guideline,
    )
    d_room = None
    if d_band.upper_limit is not None:
        d_room = max(0, round(d_band.upper_limit - profile.vitamin_d_supplement_iu))

    selected = {item.slug for item in medications}
    gaps = tuple(
        Gap(
            medication=item.slug,
            other=spacing.other,
            before=round(spacing.hours_before * 60),
            after=None if spacing.hours_after is None else round(spacing.hours_after * 60),
            note=spacing.note,
        )
        for item in medications
        for spacing in item.spacings
        if spacing.other[0] != "medication" or spacing.other[1] in selected
    )
    timed = tuple(
        item
        for item in medications
        if item.time_window != "any"
        or any(gap.medication == item.slug for gap in gaps)
        or any(gap.other == ("medication", item.slug) for gap in gaps)
    )
    return Restrictions(
        minor=minor,
        blocked={nutrient: tuple(names) for nutrient, names in blocked.items()},
        caps_per_day=caps,
        capped_by={nutrient: tuple(names) for nutrient, names in capped_by.items()},
        k2_amount=k2_allowed and bone_goal and in_trial_population,
        k2_evidence_only=k2_allowed and bone_goal and not in_trial_population,
        keep_vitamin_k_steady=anticoagulant,
        medicines=timed,
        gaps=gaps,
        vitamin_d_room_iu=d_room,
        medications=tuple(medications),
        conditions=tuple(conditions),
        cautions=tuple(
            (code, caution)
            for code, cautions in [(item.slug, item.cautions) for item in (*medications, *conditions)]
            + [(STAGE_CODES.get(profile.life_stage, ""), stage_cautions)]
            for caution in cautions
        ),
        frequencies={
            item.slug: profile.frequencies.get(item.slug, DAILY)
            if profile.frequencies.get(item.slug, DAILY) in item.frequencies
            else DAILY
            for item in medications
        },
        optional=frozenset(reference.optional_nutrients),
        preferred_forms=preferred,
        preferred_by={nutrient: tuple(names) for nutrient, names in preferred_by.items()},
    )
