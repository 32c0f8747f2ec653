"""Product ranking for the recommendation panel: plain Python over plain data (standard library only).

`rank(needs=..., products=...)` returns at most three `(offer, reason)` pairs, best first.

Who gets nothing, and which products are left out (excluded, never demoted):

1. Nobody under 18 gets a product.
2. A product must supply at least one nutrient the person wants (an article's nutrients, or what the plan adds).
3. For a calculator result, a product is left out when it contains a nutrient the restrictions block (vitamin K2 on
   warfarin or in pregnancy, calcium and vitamin D with sarcoidosis...), or a nutrient the plan does not call for
   (vitamin D is allowed beside calcium or K2 while it stays under its upper limit), or when one serving holds more
   than a dose the restrictions allow (500 mg of calcium, or a daily cap such as a thiazide's).
4. A product is left out when one serving would take a nutrient past its upper limit (so nobody at or above the
   calcium limit gets a calcium product), or adds a nutrient with an upper limit that the person already has enough of.

How the rest are ordered, each rule deciding only between products the rules before it could not tell apart:

5. For an article's anonymous reader, products without vitamin K2 first (K2 is not for everyone; the panel says who).
   For a calculator result, a product must fit the plan: one serving of each planned nutrient is between half and
   all of a planned dose (a 300 mg tablet for two 300 mg doses, never a 500 mg tablet for a 300 mg dose; a K2
   serving between half and all of the plan's amount), and what it adds a day, taken once at each dose it fits,
   stays within the plan and under every upper limit.
6. Dose fit: a serving that stays within a known gap before one that passes it (only nutrients with an upper limit
   count as passing); then the serving that gives more of the plan's amount (or closes more of the gap) of the
   product's main nutrient a day, in tenths.
7. Calcium citrate before calcium carbonate (alone or in a combination) for people over 50. Where the person's data
   prefers it (a caution's `prefers_form`: acid reducers, digestive conditions) citrate comes before the dose share
   of rule 6 too: carbonate is poorly absorbed without stomach acid.
8. Products that cover more of the wanted nutrients before products that cover fewer.
9. Vitamin K2 as MK-7 before other forms.
10. Third-party certified before uncertified.
11. Lower price per serving first; no price last.
12. Then by slug, so the order is stable.

Choosing the three: each wanted nutrient, in the order of the needs (calcium first for a calculator result), first
gets its best product (a product counts for every wanted nutrient it supplies); the places left go to the best of
the rest.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from calculator.numbers import amount_text, estimate_text
from calculator.reference import ADULT_AGE, CALCIUM, VITAMIN_K2

MAX_RESULTS = 3
CITRATE_FROM_AGE = 51  # "over 50": stomach acid falls with age, and citrate does not need it


# The values of calculator.models.ProductNutrient.Form that the rules look at (a test keeps them in step).
CALCIUM_CITRATE = "calcium-citrate"
CALCIUM_CARBONATE = "calcium-carbonate"
MK7 = "mk-7"
MK4 = "mk-4"
NO_CERTIFICATION = "none"


FORM_WORDS = {
    CALCIUM_CITRATE: "citrate",
    CALCIUM_CARBONATE: "carbonate",
    MK7: "MK-7",
    MK4: "MK-4",
    "d3": "D3",
    "magnesium-glycinate": "glycinate",
    "magnesium-citrate": "citrate",
    "magnesium-oxide": "oxide",
}


@dataclass(frozen=True)
class Ingredient:
    """One nutrient in one serving of a product."""

    nutrient: str  # nutrient slug
    name: str  # nutrient name, e.g. "Calcium"
    unit: str
    amount: Decimal
    form: str  # a ProductNutrient.Form value
    form_label: str = ""

    @property
    def summary(self) -> str:
        """What the label says, in words: "500 mg calcium (carbonate)", "90 mcg vitamin K2 (MK-7)"."""
        form = FORM_WORDS.get(self.form)
        return f"{amount_text(self.amount)} {self.unit} {_nutrient_words(self)}" + (f" ({form})" if form else "")


@dataclass(frozen=True)
class Offer:
    """A product as the panel needs it: what one serving holds, its certification and price."""

    slug: str
    name: str
    ingredients: tuple[Ingredient, ...]
    brand: str = ""
    description: str = ""
    certification: str = NO_CERTIFICATION
    certification_label: str = ""
    price_per_serving: Decimal | None = None
    currency: str = "USD"
    image_url: str = ""
    image_alt: str = ""
    is_starter: bool = False

    def ingredient(self, nutrient: str) -> Ingredient | None:
        for ingredient in self.ingredients:
            if ingredient.nutrient == nutrient and ingredient.amount > 0:
                return ingredient
        return None

    @property
    def has_k2(self) -> bool:
        return self.ingredient(VITAMIN_K2) is not None

    @property
    def is_certified(self) -> bool:
        return self.certification != NO_CERTIFICATION

    @property
    def nutrient_slugs(self) -> tuple[str, ...]:
        return tuple(ingredient.nutrient for ingredient in self.ingredients if ingredient.amount > 0)


@dataclass(frozen=True)
class PlannedDose:
    """One dose of the plan: an amount in the nutrient's unit, at a time of day (the slot's code, e.g. "dinner")."""

    amount: Decimal
    slot: str


@dataclass(frozen=True)
class NutrientNeed:
    """What one person (or one article's reader) needs of one nutrient.

    gap: how much is still missing per day; None when unknown (an article's reader), 0 when already met.
    headroom: how much more fits under the upper limit; None when no limit applies or it is unknown.
    companion: allowed beside a wanted nutrient (vitamin D in a calcium product) but never a reason to pick one.
    doses: the plan's doses of it (a calculator result): a product's serving must fit one of them.
    """

    slug: str
    name: str
    unit: str
    gap: Decimal | None = None
    headroom: Decimal | None = None
    companion: bool = False
    doses: tuple[PlannedDose, ...] = ()

    @property
    def wanted(self) -> bool:
        return not self.companion and (self.gap is None or self.gap > 0)


@dataclass(frozen=True)
class Needs:
    """Everything the ranking may use. Age None means unknown (an article's reader), not an adult."""

    nutrients: tuple[NutrientNeed, ...]
    age: int | None = None
    preferred_forms: Mapping[str, str] = field(default_factory=dict)  # nutrient -> form the person's data prefers
    preferred_by: tuple[str, ...] = ()  # names of the medicines and conditions that prefer calcium's form
    blocked: frozenset[str] = frozenset()  # nutrients no product may contain
    # For a calculator result: the only nutrients a product may contain (wanted or companion); None: any.
    allowed: frozenset[str] | None = None
    max_per_serving: Mapping[str, Decimal] = field(default_factory=dict)  # nutrient -> most one serving may hold

    @property
    def is_minor(self) -> bool:
        return self.age is not None and self.age < ADULT_AGE

    @property
    def is_personal(self) -> bool:
        """True for a calculator result, False for an article's anonymous reader."""
        return self.age is not None

    @property
    def wanted(self) -> tuple[NutrientNeed, ...]:
        return tuple(need for need in self.nutrients if need.wanted)

    def need(self, slug: str) -> NutrientNeed | None:
        for need in self.nutrients:
            if need.slug == slug:
                return need
        return None

    @property
    def citrate_because(self) -> str:
        """Why citrate suits ("data": `preferred_by` names it; "over-50"), or "" when carbonate is as good."""
        if self.preferred_forms.get(CALCIUM) == CALCIUM_CITRATE:
            return "data"
        if self.age is not None and self.age >= CITRATE_FROM_AGE:
            return "over-50"
        return ""


def rank(*, needs: Needs, products: Iterable[Offer], limit: int = MAX_RESULTS) -> list[tuple[Offer, "Reason"]]:
    """The best `limit` products for these needs, each with the reason it was chosen, in a stable order."""
    if needs.is_minor:
        return []
    wanted = needs.wanted
    if not wanted:
        return []
    candidates = []
    for offer in products:
        supplied = tuple((need, ingredient) for need in wanted if (ingredient := offer.ingredient(need.slug)))
        if not supplied or not _allowed(offer=offer, needs=needs) or not _within_limits(offer=offer, needs=needs):
            continue
        if not _fits_the_plan(offer=offer, supplied=supplied, needs=needs):
            continue
        candidates.append((_sort_key(offer=offer, supplied=supplied, needs=needs), offer, supplied))
    candidates.sort(key=lambda candidate: candidate[0])

    chosen: list[tuple] = []
    covered: set[str] = set()
    for need in wanted:
        if len(chosen) == limit or need.slug in covered:
            continue
        for candidate in candidates:
            _, offer, supplied = candidate
            if candidate not in chosen and offer.ingredient(need.slug):
                chosen.append(candidate)
                covered.update(n.slug for n, _ in supplied)
                break
    chosen += [candidate for candidate in candidates if candidate not in chosen][: limit - len(chosen)]
    if not needs.is_personal:  # an article's reader: whatever was chosen for K2 still comes after the rest
        chosen.sort(key=lambda candidate: candidate[1].has_k2)
    return [(offer, _reason(offer=offer, supplied=supplied, needs=needs)) for _, offer, supplied in chosen]


def _allowed(*, offer: Offer, needs: Needs) -> bool:
    """No blocked nutrient, nothing the plan does not call for, no serving above a dose the restrictions allow."""
    for nutrient in offer.nutrient_slugs:
        if nutrient in needs.blocked or (needs.allowed is not None and nutrient not in needs.allowed):
            return False
        most = needs.max_per_serving.get(nutrient)
        if most is not None and offer.ingredient(nutrient).amount > most:
            return False
    return True


def _within_limits(*, offer: Offer, needs: Needs) -> bool:
    for ingredient in offer.ingredients:
        need = needs.need(ingredient.nutrient)
        if need is None or need.headroom is None or ingredient.amount <= 0:
            continue
        if ingredient.amount > need.headroom:
            return False  # one serving would cross the upper limit (always true at or above it)
        if need.gap is not None and need.gap <= 0 and not need.companion:
            return False  # adds a limited nutrient the person already has enough of
    return True


def fitting_doses(need: NutrientNeed, amount: Decimal) -> tuple[PlannedDose, ...]:
    """The planned doses one serving of `amount` fits: between half and all of the dose."""
    return tuple(dose for dose in need.doses if dose.amount / 2 <= amount <= dose.amount)


def _times_a_day(supplied: tuple[tuple[NutrientNeed, Ingredient], ...]) -> int:
    """How many servings a day the plan takes: one at each dose of the main nutrient the serving fits (1 without)."""
    need, ingredient = supplied[0]
    return len(fitting_doses(need, ingredient.amount)) if need.doses else 1


def _fits_the_plan(*, offer: Offer, supplied: tuple[tuple[NutrientNeed, Ingredient], ...], needs: Needs) -> bool:
    """For a calculator result: every planned nutrient's serving fits a planned dose, and the day's servings stay
    within the plan's amount of it and under every upper limit."""
    times = _times_a_day(supplied)
    if times == 0:
        return False
    for ingredient in offer.ingredients:
        need = needs.need(ingredient.nutrient)
        if need is None:
            continue
        daily = ingredient.amount * times
        if need.doses and (not fitting_doses(need, ingredient.amount) or daily > sum(d.amount for d in need.doses)):
            return False
        if need.headroom is not None and daily > need.headroom:
            return False
    return True


def _passes_a_limited_gap(*, supplied: tuple[tuple[NutrientNeed, Ingredient], ...]) -> bool:
    return any(
        need.gap is not None and need.headroom is not None and ingredient.amount > need.gap
        for need, ingredient in supplied
    )


def _share_of_gap(*, supplied: tuple[tuple[NutrientNeed, Ingredient], ...]) -> Decimal:
    """How much of its main nutrient's plan (or gap) a day's servings give, in tenths (0 where it is unknown)."""
    need, ingredient = supplied[0]
    if need.gap is None or need.gap <= 0:
        return Decimal(0)
    return round(min(ingredient.amount * _times_a_day(supplied) / need.gap, Decimal(1)), 1)


def _sort_key(*, offer: Offer, supplied: tuple[tuple[NutrientNeed, Ingredient], ...], needs: Needs) -> tuple:
    calcium = offer.ingredient(CALCIUM)
    k2 = offer.ingredient(VITAMIN_K2)
    not_citrate = calcium is not None and calcium.form != CALCIUM_CITRATE
    return (
        not needs.is_personal and k2 is not None,
        _passes_a_limited_gap(supplied=supplied),
        needs.citrate_because == "data" and not_citrate,  # the person's data prefers it: before the dose share
        -_share_of_gap(supplied=supplied),
        bool(needs.citrate_because) and not_citrate,
        -len(supplied),
        k2 is not None and k2.form != MK7,
        not offer.is_certified,
        offer.price_per_serving is None,
        offer.price_per_serving or Decimal(0),
        offer.slug,
    )


@dataclass(frozen=True)
class Reason:
    """Why a product was chosen, as data; `calculator.messages.reason_text` puts it in words (a template)."""

    code: str  # plan-fit | gap-covered | gap-partial | combination | per-serving
    what: str  # the main nutrient, as a reader says it ("calcium", "vitamin K2")
    amount: str  # one serving of it, "300 mg"
    form: str  # a ProductNutrient.Form value: the template says when to take it and what form it is
    target: str = ""  # the gap, or the amount the plan suggests, "950 mg"
    under_limit: bool = False  # the gap is under an upper limit the serving stays within
    names: tuple[str, ...] = ()  # every wanted nutrient one serving supplies (combination)
    why: str = ""  # citrate | certified | mk7 | ""
    suits: str = ""  # why citrate suits: data (`suited` names who) | over-50
    suited: tuple[str, ...] = ()  # names of the medicines and conditions whose data prefers citrate
    certification: str = ""
    slots: tuple[str, ...] = ()  # plan-fit: the times of day to take one serving (slot codes)
    total: str = ""  # plan-fit: what the day's servings give, "600 mg"


def _reason(*, offer: Offer, supplied: tuple[tuple[NutrientNeed, Ingredient], ...], needs: Needs) -> Reason:
    need, ingredient = supplied[0]
    calcium = offer.ingredient(CALCIUM)
    k2 = offer.ingredient(VITAMIN_K2)
    why, certification = "", ""
    if calcium is not None and calcium.form == CALCIUM_CITRATE and needs.citrate_because:
        why = "citrate"
    elif offer.is_certified:
        why, certification = "certified", offer.certification_label or offer.certification
    elif k2 is not None and k2.form == MK7:
        why = "mk7"
    slots: tuple[str, ...] = ()
    if need.doses:
        code, slots = "plan-fit", tuple(dose.slot for dose in fitting_doses(need, ingredient.amount))
    elif need.gap is not None:
        code = "gap-covered" if ingredient.amount > need.gap else "gap-partial"
    else:
        code = "combination" if len(supplied) > 1 else "per-serving"
    return Reason(
        code=code,
        what=_nutrient_words(ingredient),
        amount=_quantity(ingredient.amount, need.unit),
        form=ingredient.form,
        target="" if need.gap is None else _quantity(need.gap, need.unit),
        under_limit=need.headroom is not None,
        names=tuple(_nutrient_words(i) for _, i in supplied),
        why=why,
        suits=needs.citrate_because,
        suited=needs.preferred_by if needs.citrate_because == "data" else (),
        certification=certification,
        slots=slots,
        total=_quantity(ingredient.amount * max(len(slots), 1), need.unit) if slots else "",
    )


def _nutrient_words(ingredient: Ingredient) -> str:
    if ingredient.form in (MK7, MK4):
        return "vitamin K2"
    name = ingredient.name or ingredient.nutrient
    return name[:1].lower() + name[1:]


def _quantity(value: Decimal, unit: str) -> str:
    return f"{estimate_text(value)} {unit}"
