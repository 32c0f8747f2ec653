"""The daily plan and its timetable. Pure: it reads the restrictions and the calcium result, nothing else.

The timetable is built by a small greedy scheduler over fixed slots of a typical day. Medicines with a time window go
first (a bisphosphonate first thing in the morning; levothyroxine on waking or at bedtime), then the others, each at
the allowed slot that keeps every gap against what is already placed (medicine against medicine too, and against
meals where a rule covers everything taken by mouth) and leaves the most meals free for calcium. A medicine that no
slot fits is left out with the rule it cannot meet; the day never breaks a gap. Calcium doses then go to the free
meals, vitamin K2 to a meal. The day repeats, so gaps are checked across midnight too. The cost is bounded by
medicines x slots x placed items: no search over combinations.

A medicine taken weekly or monthly (where its data allows, `Restrictions.frequencies`) is placed as on its day: the
timetable is that day, its row says how often, and a note says to leave it out on the other days (every other row
stays as it is, so those days keep every gap too). A medicine placed away from the first time its window allows
(levothyroxine at bedtime) gets a note saying why and to ask before changing the time. Rows of a nutrient the data
marks optional (vitamin K2: limited evidence) are marked optional.

Everything a reader sees is a `Note` code with parameters; `calculator.messages` turns codes into sentences.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from calculator.reference import CALCIUM, VITAMIN_D, VITAMIN_K2, Interacting
from calculator.restrictions import DAILY, Gap, Profile, Restrictions

DAY = 24 * 60
DOSE_STEP_MG = 50  # planned doses are whole multiples of this, the way supplements are sold and split


@dataclass(frozen=True)
class Slot:
    time: str  # "HH:MM"
    code: str  # waking | breakfast | after-breakfast | mid-morning | lunch | mid-afternoon | dinner | bedtime

    @functools.cached_property
    def minutes(self) -> int:
        hours, minutes = self.time.split(":")
        return int(hours) * 60 + int(minutes)


WAKING, MID_MORNING = Slot("07:00", "waking"), Slot("10:15", "mid-morning")
MID_AFTERNOON, BEDTIME = Slot("15:30", "mid-afternoon"), Slot("22:00", "bedtime")
BREAKFAST, LUNCH, DINNER = Slot("08:00", "breakfast"), Slot("12:30", "lunch"), Slot("18:30", "dinner")
MEALS = (BREAKFAST, LUNCH, DINNER)  # calcium supplements are taken with meals (carbonate needs one)
AFTER_BREAKFAST = Slot("08:15", "after-breakfast")  # right after breakfast (delayed-release risedronate)
# Where each time window lets a medicine go, first choice first. Bedtime is at least 3 hours after dinner.
WINDOW_SLOTS = {
    "first-thing": (WAKING,),
    "empty-stomach": (WAKING, BEDTIME),
    "after-breakfast": (AFTER_BREAKFAST,),
    "any": (WAKING, BEDTIME, MID_AFTERNOON, MID_MORNING),
}
WINDOW_ORDER = {"first-thing": 0, "after-breakfast": 0, "empty-stomach": 1, "any": 2}


@dataclass(frozen=True)
class Note:
    code: str
    params: Mapping[str, object] = field(default_factory=dict)
    text: str = ""  # filled by calculator.messages


@dataclass(frozen=True)
class Dose:
    mg: int
    slot: Slot
    when: str = ""  # filled by calculator.messages

    @property
    def time(self) -> str:
        return self.slot.time


@dataclass(frozen=True)
class Item:
    """Something taken (or eaten) at a time of day."""

    kind: str  # calcium | vitamin-k2 | medication | meal
    slug: str  # the medication's slug; "" otherwise
    minutes: int


@dataclass(frozen=True)
class TimetableEntry:
    time: str
    kind: str  # calcium | vitamin-k2 | medication
    slug: str  # the medication's slug; "" otherwise
    name: str  # the medication's name; "" otherwise
    slot: str
    amount: int | None = None
    gaps: tuple[Gap, ...] = ()
    what: str = ""  # filled by calculator.messages
    detail: str = ""
    frequency: str = "daily"  # daily | weekly | monthly: how often this row's day comes round
    optional: bool = False  # the evidence for it is limited (vitamin K2): the person may leave it out


@dataclass(frozen=True)
class Plan:
    calcium_doses: tuple[Dose, ...]
    k2_mcg: int
    k2_form: str
    k2_slot: str
    notes: tuple[Note, ...]
    timetable: tuple[TimetableEntry, ...]
    left_out: tuple[str, ...] = ()  # slugs of medicines no slot fits

    @property
    def calcium_supplement_mg(self) -> int:
        return sum(dose.mg for dose in self.calcium_doses)


# --------------------------------------------------------------------------------------------------------------
# Gaps
# --------------------------------------------------------------------------------------------------------------


def _covers(other: tuple[str, str], item: Item) -> bool:
    kind, slug = other
    if kind == "everything":
        return True
    if kind == "nutrient":
        return item.kind == slug
    return item.kind == "medication" and item.slug == slug


def broken_gap(a: Item, b: Item, gaps: Iterable[Gap]) -> Gap | None:
    """The first gap rule that `a` and `b`, taken every day at their times, would break; None if they may."""
    for gap in gaps:
        for first, second in ((a, b), (b, a)):
            if first.kind != "medication" or gap.medication != first.slug or first == second:
                continue
            if not _covers(gap.other, second):
                continue
            if gap.after is None:  # it must come first: nothing earlier that day, the next thing `before` later
                if second.minutes - first.minutes < gap.before:
                    return gap
            elif (second.minutes - first.minutes) % DAY < gap.before or (
                first.minutes - second.minutes
            ) % DAY < gap.after:
                return gap
    return None


def _fits(item: Item, placed: Iterable[Item], gaps: tuple[Gap, ...]) -> bool:
    return all(broken_gap(item, other, gaps) is None for other in placed)


def _meal_items() -> list[Item]:
    return [Item("meal", slot.code, slot.minutes) for slot in MEALS]


def _free_meals(placed: list[Item], gaps: tuple[Gap, ...], kind: str = CALCIUM) -> list[Slot]:
    return [slot for slot in MEALS if _fits(Item(kind, "", slot.minutes), placed, gaps)]


def schedule_medicines(
    medicines: Iterable[Interacting], gaps: tuple[Gap, ...]
) -> tuple[list[tuple[Interacting, Slot]], list[tuple[Interacting, str]]]:
    """Place each medicine at an allowed slot that keeps every gap; returns (placed, [(left out, clashing name)])."""
    order = sorted(
        medicines,
        key=lambda m: (WINDOW_ORDER.get(m.time_window, 2), -sum(g.medication == m.slug for g in gaps), m.slug),
    )
    placed: list[tuple[Interacting, Slot]] = []
    left_out: list[tuple[Interacting, str]] = []
    for medicine in order:
        taken = [Item("medication", m.slug, slot.minutes) for m, slot in placed]
        best: tuple[tuple[int, int], Slot] | None = None
        for rank, slot in enumerate(WINDOW_SLOTS.get(medicine.time_window, WINDOW_SLOTS["any"])):
            item = Item("medication", medicine.slug, slot.minutes)
            if not _fits(item, [*taken, *_meal_items()], gaps):
                continue
            key = (-len(_free_meals([*taken, item], gaps)), rank)
            if best is None or key < best[0]:
                best = (key, slot)
        if best is None:
            first = WINDOW_SLOTS.get(medicine.time_window, WINDOW_SLOTS["any"])[0]
            item = Item("medication", medicine.slug, first.minutes)
            clash = next(
                (m.name for (m, _), other in zip(placed, taken, strict=True) if broken_gap(item, other, gaps)), ""
            )
            left_out.append((medicine, clash))
        else:
            placed.append((medicine, best[1]))
    return placed, left_out


def _moved_notes(placed: list[tuple[Interacting, Slot]], gaps: tuple[Gap, ...]) -> list[Note]:
    """A note for each medicine placed away from its usual time (the first its window allows): why, and to ask
    before changing the time it is taken. "any" medicines have no usual time."""
    notes = []
    for medicine, slot in placed:
        slots = WINDOW_SLOTS.get(medicine.time_window, WINDOW_SLOTS["any"])
        if medicine.time_window == "any" or slot == slots[0]:
            continue
        usual = Item("medication", medicine.slug, slots[0].minutes)
        clash = next(
            (
                other.name
                for other, at in placed
                if other is not medicine and broken_gap(usual, Item("medication", other.slug, at.minutes), gaps)
            ),
            "",
        )
        notes.append(
            Note("medicine-moved", {"name": medicine.name, "usual": slots[0].code, "slot": slot.code, "clash": clash})
        )
    return notes


# --------------------------------------------------------------------------------------------------------------
# The plan
# --------------------------------------------------------------------------------------------------------------


def _split_into_doses(total_mg: int, count: int) -> list[int]:
    """Split a multiple of DOSE_STEP_MG into `count` near-equal doses, each a multiple of DOSE_STEP_MG."""
    steps = total_mg // DOSE_STEP_MG
    base, extra = divmod(steps, count)
    return [(base + (1 if i < extra else 0)) * DOSE_STEP_MG for i in range(count)]


def _spread(free: list[Slot], count: int) -> list[Slot]:
    """Pick `count` of the free meals, spread over the day (one dose: the largest meal, dinner, if free)."""
    if count >= len(free):
        return list(free)
    if count == 1:
        return [free[-1]]
    return [free[0], free[-1]] if count == 2 else free[:count]


def _steps_down(mg: float) -> int:
    return int(mg // DOSE_STEP_MG) * DOSE_STEP_MG


def _calcium_amount(*, calcium, restrictions: Restrictions, notes: list[Note]) -> int:
    """How much supplemental calcium a day closes the gap, within the upper limit and every cap."""
    needed = max(0, calcium.target_mg - calcium.diet_mg)
    wanted = math.ceil(needed / DOSE_STEP_MG) * DOSE_STEP_MG
    if calcium.upper_limit_mg is not None:
        wanted = min(wanted, max(0, _steps_down(calcium.upper_limit_mg - calcium.diet_mg)))
    cap = restrictions.cap(CALCIUM)
    if cap is not None and wanted > cap:
        wanted = _steps_down(cap)
        notes.append(Note("calcium-capped", {"cap": round(cap), "names": restrictions.capped_by[CALCIUM]}))
    return wanted


def plan_day(*, profile: Profile, calcium, restrictions: Restrictions, k2_trial_mcg: float) -> Plan:
    notes: list[Note] = []
    gaps = restrictions.gaps
    placed, left_out = schedule_medicines(restrictions.medicines, gaps)
    taken = [Item("medication", m.slug, slot.minutes) for m, slot in placed]
    for medicine, clash in left_out:
        notes.append(Note("medicine-left-out", {"name": medicine.name, "clash": clash}))

    doses: list[Dose] = []
    if restrictions.minor:
        notes.append(Note("minor"))
    elif not restrictions.allows(CALCIUM):
        notes.append(Note("calcium-blocked", {"names": restrictions.blocked[CALCIUM]}))
    elif calcium.status == "above_upper_limit":
        notes.append(Note("above-limit", {"diet_mg": calcium.diet_mg, "target_mg": calcium.target_mg}))
    else:
        wanted = _calcium_amount(calcium=calcium, restrictions=restrictions, notes=notes)
        if wanted > 0:
            free = _free_meals(taken, gaps)
            count = math.ceil(wanted / restrictions.per_dose_mg)
            if count > len(free):
                count = len(free)
                wanted = min(wanted, count * restrictions.per_dose_mg)
                notes.append(Note("fewer-meals"))
            doses = [
                Dose(mg=mg, slot=slot)
                for mg, slot in zip(_split_into_doses(wanted, count), _spread(free, count), strict=True)
                if count
            ]
            if profile.calcium_supplement_mg and doses:
                notes.append(Note("replaces-current", {"current_mg": round(profile.calcium_supplement_mg)}))
            if doses:
                notes.append(Note("calcium-forms"))
                if restrictions.allows(VITAMIN_D) and restrictions.vitamin_d_room_iu is not None:
                    notes.append(Note("vitamin-d-room", {"room_iu": restrictions.vitamin_d_room_iu}))
        elif calcium.status == "meets_target":
            notes.append(Note("met-with-supplements" if calcium.supplement_mg else "met-by-food"))
        else:
            notes.append(Note("met-by-food"))
        if calcium.gap_mg > 0:
            notes.insert(0, Note("food-first"))

    notes.extend(_moved_notes(placed, gaps))
    for medicine, slot in placed:
        frequency = restrictions.frequencies.get(medicine.slug, DAILY)
        if frequency != DAILY:
            notes.append(Note("medicine-frequency", {"name": medicine.name, "frequency": frequency, "slot": slot.code}))

    k2, k2_slot = 0, ""
    if restrictions.keep_vitamin_k_steady:
        notes.append(Note("k2-anticoagulant"))
    elif VITAMIN_K2 in restrictions.blocked:
        notes.append(Note("k2-blocked", {"names": restrictions.blocked[VITAMIN_K2]}))
    elif restrictions.k2_amount:
        free = _free_meals(taken, gaps, kind=VITAMIN_K2)
        if free:
            k2, k2_slot = round(k2_trial_mcg), free[-1].code
            notes.append(Note("k2-trial", {"mcg": k2, "optional": VITAMIN_K2 in restrictions.optional}))
    elif restrictions.k2_evidence_only:
        notes.append(Note("k2-evidence"))
    elif profile.goal == "bone_health" and restrictions.minor:
        notes.append(Note("k2-minor"))

    timetable = [
        TimetableEntry(
            time=slot.time,
            kind="medication",
            slug=medicine.slug,
            name=medicine.name,
            slot=slot.code,
            gaps=tuple(gap for gap in gaps if gap.medication == medicine.slug),
            frequency=restrictions.frequencies.get(medicine.slug, DAILY),
        )
        for medicine, slot in placed
    ]
    timetable += [
        TimetableEntry(
            time=d.time,
            kind=CALCIUM,
            slug="",
            name="",
            slot=d.slot.code,
            amount=d.mg,
            optional=CALCIUM in restrictions.optional,
        )
        for d in doses
    ]
    if k2:
        slot = next(s for s in MEALS if s.code == k2_slot)
        timetable.append(
            TimetableEntry(
                time=slot.time,
                kind=VITAMIN_K2,
                slug="",
                name="",
                slot=k2_slot,
                amount=k2,
                optional=VITAMIN_K2 in restrictions.optional,
            )
        )
    timetable.sort(key=lambda entry: (entry.time, entry.kind != "medication"))
    if placed:
        notes.append(Note("repeat-doses"))
    return Plan(
        calcium_doses=tuple(doses),
        k2_mcg=k2,
        k2_form="MK-7",
        k2_slot=k2_slot,
        notes=tuple(notes),
        timetable=tuple(timetable),
        left_out=tuple(medicine.slug for medicine, _ in left_out),
    )
