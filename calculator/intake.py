"""The intake calculation: plain Python over a plain snapshot of the reference data. No Django, no I/O.

`compute(profile=..., reference=...)` finds the person's guideline bands, adds up food and supplements, and returns
targets, limits, the gap, a plan with a daily timetable that keeps the medicine spacings, warnings and sources.
Amounts are floats in the nutrient's unit; everything a person reads is rounded to whole numbers here, so the
templates and the JSON API never do arithmetic.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

CALCIUM, VITAMIN_K, MAGNESIUM, VITAMIN_D = "calcium", "vitamin-k2", "magnesium", "vitamin-d"
SEXES = ("female", "male")
LIFE_STAGES = ("none", "pregnant", "lactating")
GOALS = ("general", "bone_health")
PREGNANCY_AGES = (14, 50)  # pregnancy and lactation bands of the official tables cover ages 14-50
ADULT_AGE = 18  # under this age: targets and food-first advice only
MAX_DOSE_MG = 500  # absorption is best at 500 mg of elemental calcium or less at a time
DOSE_STEP_MG = 50  # planned doses are whole multiples of this, the way supplements are sold and split
SEVERITY_ORDER = {"critical": 0, "caution": 1, "info": 2}
STATUSES = ("below_target", "meets_target", "above_upper_limit")


class InvalidProfile(ValueError):
    """The answers contradict each other (for example, a pregnant male)."""

    def __init__(self, errors: Mapping[str, str]):
        self.errors = dict(errors)
        super().__init__("; ".join(f"{name}: {message}" for name, message in self.errors.items()))


class MissingGuideline(LookupError):
    """The reference data has no band for this person: an editor removed or narrowed one."""


# --------------------------------------------------------------------------------------------------------------
# The reference snapshot (built from the database by calculator.services)
# --------------------------------------------------------------------------------------------------------------


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
    target: float
    kind: str  # RDA | AI
    upper_limit: float | None
    upper_limit_scope: str  # all | supplements
    unit: str
    source: Source

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

    def amount(self, nutrient: str) -> float:
        return self.amounts.get(nutrient, 0.0)


@dataclass(frozen=True)
class Caution:
    nutrient: str
    severity: str  # info | caution | critical
    spacing_hours: float | None
    message: str
    source: Source


@dataclass(frozen=True)
class Interacting:
    """A medication or a condition with its cautions."""

    slug: str
    name: str
    cautions: tuple[Caution, ...]
    is_anticoagulant: bool = False


@dataclass(frozen=True)
class Reference:
    bands: tuple[Band, ...]
    foods: tuple[Food, ...]
    medications: tuple[Interacting, ...]
    conditions: tuple[Interacting, ...]
    # MK-7 dose of the 3-year bone trial (Knapen et al., Osteoporos Int 2013): no authority recommends it.
    k2_bone_health_mcg: float = 180.0
    k2_bone_health_source: Source = Source(
        "Knapen MHJ et al. (2013). Three-year low-dose menaquinone-7 supplementation helps decrease bone loss in "
        "healthy postmenopausal women. Osteoporos Int 24(9):2499-507",
        "https://doi.org/10.1007/s00198-013-2325-6",
    )

    def food(self, slug: str) -> Food:
        return next(food for food in self.foods if food.slug == slug)

    def medication(self, slug: str) -> Interacting:
        return next(item for item in self.medications if item.slug == slug)

    def condition(self, slug: str) -> Interacting:
        return next(item for item in self.conditions if item.slug == slug)


# --------------------------------------------------------------------------------------------------------------
# Input and output
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    age: int
    sex: str
    life_stage: str = "none"
    goal: str = "general"
    foods: Mapping[str, float] = field(default_factory=dict)  # food slug -> servings per day
    calcium_supplement_mg: float = 0.0
    calcium_doses_per_day: int = 1
    k2_supplement_mcg: float = 0.0
    medications: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()

    @property
    def is_minor(self) -> bool:
        return self.age < ADULT_AGE


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


@dataclass(frozen=True)
class VitaminKResult:
    adequate_intake_mcg: int
    k2_goal_mcg: int
    diet_k2_mcg: int
    supplement_k2_mcg: int
    total_k2_mcg: int
    source: Source


@dataclass(frozen=True)
class Target:
    nutrient: str
    target: int
    kind: str
    upper_limit: int | None
    upper_limit_scope: str
    unit: str
    source: Source


@dataclass(frozen=True)
class Dose:
    mg: int
    when: str
    time: str


@dataclass(frozen=True)
class TimetableEntry:
    time: str  # "HH:MM"
    what: str
    detail: str


@dataclass(frozen=True)
class Plan:
    calcium_doses: tuple[Dose, ...]
    k2_mcg: int
    k2_form: str
    k2_when: str
    notes: tuple[str, ...]
    timetable: tuple[TimetableEntry, ...]

    @property
    def calcium_supplement_mg(self) -> int:
        return sum(dose.mg for dose in self.calcium_doses)


@dataclass(frozen=True)
class Warning:
    code: str
    severity: str
    message: str
    source: Source | None = None


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
    slug: str
    name: str
    servings: float
    calcium_mg: int
    k2_mcg: int


@dataclass(frozen=True)
class Result:
    profile: Profile
    calcium: CalciumResult
    vitamin_k: VitaminKResult
    magnesium: Target
    vitamin_d: Target
    plan: Plan
    warnings: tuple[Warning, ...]
    food_suggestions: tuple[FoodSuggestion, ...]
    k2_food_suggestions: tuple[FoodSuggestion, ...]
    diet: tuple[DietLine, ...]
    sources: tuple[Source, ...]
    on_anticoagulant: bool

    @property
    def is_minor(self) -> bool:
        return self.profile.is_minor


# --------------------------------------------------------------------------------------------------------------
# Rules shared with the form
# --------------------------------------------------------------------------------------------------------------


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


def find_band(*, reference: Reference, nutrient: str, age: int, sex: str, life_stage: str) -> Band:
    """The guideline band for this person; pregnancy and lactation fall back to the ordinary band if none is set."""
    for stage in dict.fromkeys((life_stage, "none")):
        matches = [
            b for b in reference.bands if b.nutrient == nutrient and b.covers(age=age, sex=sex, life_stage=stage)
        ]
        if matches:
            # A sex-specific band is more precise than an "any" band covering the same age.
            return sorted(matches, key=lambda b: b.sex == "any")[0]
    raise MissingGuideline(f"No {nutrient} guideline covers age {age}, {sex}, {life_stage}.")


# --------------------------------------------------------------------------------------------------------------
# The calculation
# --------------------------------------------------------------------------------------------------------------


def compute(*, profile: Profile, reference: Reference) -> Result:
    error = life_stage_error(age=profile.age, sex=profile.sex, life_stage=profile.life_stage)
    if error:
        raise InvalidProfile({"life_stage": error})

    def band(nutrient: str) -> Band:
        return find_band(
            reference=reference, nutrient=nutrient, age=profile.age, sex=profile.sex, life_stage=profile.life_stage
        )

    calcium_band, k_band, mg_band, d_band = band(CALCIUM), band(VITAMIN_K), band(MAGNESIUM), band(VITAMIN_D)
    foods = {food.slug: food for food in reference.foods}
    medications = [item for item in reference.medications if item.slug in profile.medications]
    conditions = [item for item in reference.conditions if item.slug in profile.conditions]
    anticoagulant = any(item.is_anticoagulant for item in medications)

    diet = tuple(
        DietLine(
            slug=slug,
            name=foods[slug].name,
            servings=servings,
            calcium_mg=round(servings * foods[slug].amount(CALCIUM)),
            k2_mcg=round(servings * foods[slug].amount(VITAMIN_K)),
        )
        for slug, servings in profile.foods.items()
        if servings > 0 and slug in foods
    )
    diet_mg = round(sum(line.servings * foods[line.slug].amount(CALCIUM) for line in diet))
    diet_k2 = round(sum(line.servings * foods[line.slug].amount(VITAMIN_K) for line in diet))

    calcium = _calcium_result(band=calcium_band, diet_mg=diet_mg, supplement_mg=round(profile.calcium_supplement_mg))
    bone_goal = profile.goal == "bone_health" and not profile.is_minor and profile.life_stage == "none"
    ai = round(k_band.target)
    vitamin_k = VitaminKResult(
        adequate_intake_mcg=ai,
        k2_goal_mcg=max(ai, round(reference.k2_bone_health_mcg)) if bone_goal else ai,
        diet_k2_mcg=diet_k2,
        supplement_k2_mcg=round(profile.k2_supplement_mcg),
        total_k2_mcg=diet_k2 + round(profile.k2_supplement_mcg),
        source=k_band.source,
    )

    warnings = _warnings(profile=profile, calcium=calcium, medications=medications, conditions=conditions)
    plan = _plan(
        profile=profile,
        reference=reference,
        calcium=calcium,
        medications=medications,
        conditions=conditions,
        anticoagulant=anticoagulant,
        bone_goal=bone_goal,
    )
    suggestions = _calcium_food_suggestions(foods=reference.foods, gap_mg=calcium.gap_mg)
    k2_suggestions = () if anticoagulant else _k2_food_suggestions(foods=reference.foods)

    sources = _unique_sources(
        [calcium_band.source, k_band.source, mg_band.source, d_band.source]
        + ([reference.k2_bone_health_source] if bone_goal else [])
        + [foods[line.slug].sources[n] for line in diet for n in (CALCIUM, VITAMIN_K) if n in foods[line.slug].sources]
        + [w.source for w in warnings if w.source]
    )
    return Result(
        profile=profile,
        calcium=calcium,
        vitamin_k=vitamin_k,
        magnesium=_target(mg_band),
        vitamin_d=_target(d_band),
        plan=plan,
        warnings=warnings,
        food_suggestions=suggestions,
        k2_food_suggestions=k2_suggestions,
        diet=diet,
        sources=sources,
        on_anticoagulant=anticoagulant,
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
    )


def _unique_sources(sources: Iterable[Source]) -> tuple[Source, ...]:
    return tuple(dict.fromkeys(source for source in sources if source.title))


# --------------------------------------------------------------------------------------------------------------
# Warnings
# --------------------------------------------------------------------------------------------------------------


def _warnings(
    *, profile: Profile, calcium: CalciumResult, medications: list[Interacting], conditions: list[Interacting]
) -> tuple[Warning, ...]:
    found: list[Warning] = []
    for item in [*medications, *conditions]:
        for caution in item.cautions:
            found.append(
                Warning(code=item.slug, severity=caution.severity, message=caution.message, source=caution.source)
            )
    if calcium.status == "above_upper_limit":
        found.append(
            Warning(
                code="above-upper-limit",
                severity="critical",
                message=(
                    f"Your calcium from food and supplements, about {calcium.total_mg:,} mg a day, is above the "
                    f"upper limit of {calcium.upper_limit_mg:,} mg for your age. Do not add more calcium; ask your "
                    "doctor or pharmacist whether to lower your supplement. Too much calcium raises the risk of "
                    "kidney stones."
                ),
                source=calcium.source,
            )
        )
    per_dose = profile.calcium_supplement_mg / max(profile.calcium_doses_per_day, 1)
    if per_dose > MAX_DOSE_MG:
        found.append(
            Warning(
                code="dose-over-500",
                severity="caution",
                message=(
                    f"You take about {round(per_dose):,} mg of calcium at once. The body absorbs calcium best in "
                    f"doses of {MAX_DOSE_MG} mg or less: split it across meals."
                ),
            )
        )
    if profile.life_stage == "pregnant":
        found.append(
            Warning(
                code="pregnancy",
                severity="info",
                message=(
                    "Calcium needs do not rise in pregnancy: the target is the same as for other women of your age. "
                    "No vitamin K2 supplement is suggested because there are no safety data for it in pregnancy; "
                    "agree any supplement with your midwife or doctor."
                ),
            )
        )
    elif profile.life_stage == "lactating":
        found.append(
            Warning(
                code="lactation",
                severity="info",
                message=(
                    "Calcium needs do not rise while breastfeeding: the target is the same as for other women of "
                    "your age. No vitamin K2 supplement is suggested; agree any supplement with your doctor."
                ),
            )
        )
    return tuple(sorted(found, key=lambda w: SEVERITY_ORDER.get(w.severity, 3)))


# --------------------------------------------------------------------------------------------------------------
# The plan and the timetable
# --------------------------------------------------------------------------------------------------------------

# Calcium supplements are taken with meals (carbonate needs one; it also helps with kidney stones).
MEALS = (("08:00", "breakfast"), ("12:30", "lunch"), ("18:30", "dinner"))
# Where a medicine that must be kept apart from calcium can go: first choice first.
MEDICINE_TIMES = (
    ("07:00", "on waking, on an empty stomach"),
    ("22:00", "at bedtime"),
    ("15:30", "mid-afternoon"),
    ("10:15", "mid-morning"),
)


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def _split_into_doses(total_mg: int, count: int) -> list[int]:
    """Split a multiple of DOSE_STEP_MG into `count` near-equal doses, each a multiple of DOSE_STEP_MG."""
    steps = total_mg // DOSE_STEP_MG
    base, extra = divmod(steps, count)
    return [(base + (1 if i < extra else 0)) * DOSE_STEP_MG for i in range(count)]


def _schedule_medicines(spaced: list[tuple[Interacting, float]]) -> tuple[dict[str, tuple[str, str]], list[int]]:
    """Give each spaced medicine a time so that the most meals stay free for calcium.

    Returns {medicine slug: (time, label)} and the indexes of the meals that keep every spacing.
    """
    best: tuple[int, int, dict[str, tuple[str, str]], list[int]] | None = None
    for rank, times in enumerate(itertools.product(MEDICINE_TIMES, repeat=len(spaced))):
        free = [
            i
            for i, (meal_time, _) in enumerate(MEALS)
            if all(
                abs(_minutes(meal_time) - _minutes(time)) >= hours * 60
                for (_, hours), (time, _) in zip(spaced, times, strict=True)
            )
        ]
        candidate = (-len(free), rank, {item.slug: time for (item, _), time in zip(spaced, times, strict=True)}, free)
        if best is None or candidate[:2] < best[:2]:
            best = candidate
    assert best is not None
    return best[2], best[3]


def _plan(
    *,
    profile: Profile,
    reference: Reference,
    calcium: CalciumResult,
    medications: list[Interacting],
    conditions: list[Interacting],
    anticoagulant: bool,
    bone_goal: bool,
) -> Plan:
    notes: list[str] = []
    spaced = [
        (item, max(c.spacing_hours for c in item.cautions if c.nutrient == CALCIUM and c.spacing_hours))
        for item in medications
        if any(c.nutrient == CALCIUM and c.spacing_hours for c in item.cautions)
    ]
    medicine_times, free_meals = _schedule_medicines(spaced)
    doctor_first = [
        item.name
        for item in [*medications, *conditions]
        if any(c.nutrient == CALCIUM and c.severity == "critical" for c in item.cautions)
    ]

    # Calcium: food first, then a supplement that closes the rest, within the upper limit, in doses <= 500 mg.
    doses: list[Dose] = []
    if profile.is_minor:
        notes.append(
            "For children and teenagers the calculator gives targets and food ideas only, no supplement doses. "
            "Ask a paediatrician before giving any supplement."
        )
    elif calcium.status == "above_upper_limit":
        notes.append(
            f"Do not add calcium: your total is above the upper limit. Your food alone gives about "
            f"{calcium.diet_mg:,} mg of your {calcium.target_mg:,} mg target; ask your doctor or pharmacist how much "
            "supplement, if any, you need."
        )
    elif doctor_first:
        notes.append(
            f"Because of {', '.join(doctor_first)}, the plan suggests no calcium supplement: take one only if your "
            "doctor recommends a dose."
        )
    else:
        needed = max(0, calcium.target_mg - calcium.diet_mg)
        wanted = math.ceil(needed / DOSE_STEP_MG) * DOSE_STEP_MG
        if calcium.upper_limit_mg is not None:
            room = (calcium.upper_limit_mg - calcium.diet_mg) // DOSE_STEP_MG * DOSE_STEP_MG
            wanted = min(wanted, max(0, room))
        if wanted > 0:
            count = math.ceil(wanted / MAX_DOSE_MG)
            if count > len(free_meals):
                count = len(free_meals)
                wanted = min(wanted, count * MAX_DOSE_MG)
                notes.append(
                    "The spacing your medicines need leaves fewer meals free for calcium, so the plan gives less "
                    "than would close the gap. Ask your pharmacist whether the medicine times can change."
                )
            if count:
                chosen = _spread(free_meals, count)
                for mg, meal_index in zip(_split_into_doses(wanted, count), chosen, strict=True):
                    time, meal = MEALS[meal_index]
                    doses.append(Dose(mg=mg, when=f"with {meal} ({time})", time=time))
            if profile.calcium_supplement_mg and doses:
                notes.append(
                    f"This replaces the {round(profile.calcium_supplement_mg):,} mg you take now: the plan counts "
                    "your food, then adds only what closes the gap."
                )
            if doses:
                notes.append(
                    "Calcium carbonate (40% calcium) must be taken with a meal; calcium citrate (21% calcium) can be "
                    "taken with or without food. Read the label for the elemental calcium per tablet."
                )
        elif calcium.status == "meets_target":
            notes.append("Your food and current supplements already meet your calcium target: no more is needed.")
        else:
            notes.append("Your food already meets your calcium target: no calcium supplement is needed.")
        if needed > 0 and calcium.gap_mg > 0:
            notes.insert(0, "Food first: the foods below could close some or all of the gap instead of a supplement.")

    # Vitamin K2: the AI is met by food (mostly K1 from greens); the bone-health amount comes from the MK-7 trials.
    k2 = 0
    k2_when = ""
    if anticoagulant:
        notes.append(
            "No vitamin K2 is suggested because you take an anticoagulant: talk to your physician or "
            "anticoagulation clinic first, and keep the vitamin K in your food steady."
        )
    elif bone_goal:
        k2 = round(reference.k2_bone_health_mcg)
        k2_when = "with dinner (a meal that has some fat)"
        notes.append(
            f"Vitamin K2 as MK-7, {k2} mcg a day with a meal that has some fat, is the amount used in a 3-year trial "
            "in postmenopausal women; no official body sets a K2 target."
        )
    elif profile.goal == "bone_health":
        notes.append("No vitamin K2 supplement is suggested for children, teenagers or in pregnancy or breastfeeding.")

    if len(spaced) > 1:
        notes.append(
            "Some of your medicines may also need spacing from each other (for example iron and levothyroxine): "
            "ask your pharmacist to check the order."
        )
    if any(item.slug in ("tetracyclines", "fluoroquinolones") for item, _ in spaced):
        notes.append("If you take the antibiotic more than once a day, keep the same spacing around every dose.")

    timetable = [
        TimetableEntry(time=time, what=item.name, detail=f"{label}; keep {_hours(hours)} away from calcium")
        for item, hours in spaced
        for time, label in [medicine_times[item.slug]]
    ]
    timetable += [TimetableEntry(time=d.time, what=f"Calcium {d.mg} mg", detail=d.when) for d in doses]
    if k2:
        timetable.append(TimetableEntry(time="18:30", what=f"Vitamin K2 (MK-7) {k2} mcg", detail=k2_when))
    timetable.sort(key=lambda entry: _minutes(entry.time))
    return Plan(
        calcium_doses=tuple(doses),
        k2_mcg=k2,
        k2_form="MK-7",
        k2_when=k2_when,
        notes=tuple(notes),
        timetable=tuple(timetable),
    )


def _spread(free: list[int], count: int) -> list[int]:
    """Pick `count` of the free meals, spread over the day (one dose: the largest meal, dinner, if free)."""
    if count <= 0:
        return []
    if count >= len(free):
        return list(free)
    if count == 1:
        return [free[-1]]
    return [free[0], free[-1]] if count == 2 else free[:count]


def _hours(hours: float) -> str:
    if hours < 1:
        return f"{round(hours * 60)} minutes"
    whole = int(hours) if float(hours).is_integer() else hours
    return f"{whole} hour" + ("" if whole == 1 else "s")


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
                k2_mcg=round(servings * food.amount(VITAMIN_K)),
            )
        )
    return tuple(suggestions)


def _k2_food_suggestions(*, foods: tuple[Food, ...], limit: int = 3) -> tuple[FoodSuggestion, ...]:
    rich = sorted((f for f in foods if f.amount(VITAMIN_K) > 0), key=lambda f: (-f.amount(VITAMIN_K), f.slug))
    return tuple(
        FoodSuggestion(
            slug=f.slug,
            name=f.name,
            serving=f.serving,
            servings=1.0,
            calcium_mg=round(f.amount(CALCIUM)),
            k2_mcg=round(f.amount(VITAMIN_K)),
        )
        for f in rich[:limit]
    )


# --------------------------------------------------------------------------------------------------------------
# JSON shape (the API contract in DESIGN.md)
# --------------------------------------------------------------------------------------------------------------


def _source_dict(source: Source) -> dict[str, str]:
    return {"title": source.title, "url": source.url}


def as_dict(result: Result) -> dict:
    """The result as the JSON API returns it (without recommendations, which the view adds)."""
    c, k, plan = result.calcium, result.vitamin_k, result.plan
    return {
        "calcium": {
            "target_mg": c.target_mg,
            "target_kind": c.kind,
            "upper_limit_mg": c.upper_limit_mg,
            "diet_mg": c.diet_mg,
            "supplement_mg": c.supplement_mg,
            "total_mg": c.total_mg,
            "gap_mg": c.gap_mg,
            "status": c.status,
        },
        "vitamin_k": {
            "adequate_intake_mcg": k.adequate_intake_mcg,
            "k2_goal_mcg": k.k2_goal_mcg,
            "diet_k2_mcg": k.diet_k2_mcg,
            "supplement_k2_mcg": k.supplement_k2_mcg,
            "total_k2_mcg": k.total_k2_mcg,
            "note": "The adequate intake covers all vitamin K (K1 and K2); the US tables do not separate them.",
        },
        "magnesium": {
            "target_mg": result.magnesium.target,
            "supplement_upper_limit_mg": result.magnesium.upper_limit,
        },
        "vitamin_d": {"target_iu": result.vitamin_d.target, "upper_limit_iu": result.vitamin_d.upper_limit},
        "plan": {
            "calcium_doses": [{"mg": d.mg, "when": d.when} for d in plan.calcium_doses],
            "calcium_supplement_mg": plan.calcium_supplement_mg,
            "k2_mcg": plan.k2_mcg,
            "k2_form": plan.k2_form,
            "notes": list(plan.notes),
            "timetable": [{"time": e.time, "what": e.what, "detail": e.detail} for e in plan.timetable],
        },
        "warnings": [{"code": w.code, "severity": w.severity, "message": w.message} for w in result.warnings],
        "food_suggestions": [
            {"slug": s.slug, "name": s.name, "serving": s.serving, "servings": s.servings, "calcium_mg": s.calcium_mg}
            for s in result.food_suggestions
        ],
        "sources": [_source_dict(s) for s in result.sources],
    }
