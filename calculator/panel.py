"""The recommendation panel's service: ORM rows -> plain data -> `recommend.rank` -> a `Panel`, built once per request.

The results page renders the panel (`templates/calculator/_panel_body.html`), the JSON API serializes the same
object (`as_api`), and the article fragment view (`articles.views.recommendation_panel`) renders the same body.

- The catalogue (active products with what one serving holds, and the nutrient names) is read in 2 queries and kept
  per content generation (`bonehealth.generation`: in each process and in the shared cache, under the token that
  any content save or `migrate` moves). So a panel costs no query while the content is unchanged.
- Needs come from an article's nutrients (`for_nutrients`: an anonymous reader, nothing personal is known) or from a
  calculator result (`for_result`: the gaps, the upper-limit room, age, conditions, medicines).
- `calculator` never imports `articles`: the article side resolves its article to nutrient slugs.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from bonehealth import generation
from calculator import intake, messages, recommend, services
from calculator.models import Nutrient, Product, ProductNutrient
from calculator.reference import VITAMIN_D, VITAMIN_K2

CACHE_KEY = "calculator:catalogue:v2"
CACHE_SECONDS = 24 * 60 * 60
# The rows the catalogue reads (saving any content row moves the generation, these included).
CATALOGUE_MODELS = (Product, ProductNutrient, Nutrient)


@dataclass(frozen=True)
class Catalogue:
    offers: tuple[recommend.Offer, ...]
    nutrients: Mapping[str, tuple[str, str]]  # slug -> (name, unit) of every nutrient a product supplies, by name


@dataclass(frozen=True)
class Item:
    offer: recommend.Offer
    reason: str


@dataclass(frozen=True)
class Panel:
    """What the partial shows. `personal` is a calculator result; otherwise an article's anonymous reader."""

    items: tuple[Item, ...]
    personal: bool
    minor: bool = False
    # Who must not take vitamin K2 without their doctor (names of medicines and conditions, life stages): shown to
    # an article's anonymous reader next to every product with K2.
    k2_blockers: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())

    @property
    def state(self) -> str:
        """ "products", "minor" (under 18: a sentence instead of products) or "empty" (nothing fits)."""
        if self.minor:
            return "minor"
        return "products" if self.items else "empty"


# ---------------------------------------------------------------------------------------------------------------
# The catalogue
# ---------------------------------------------------------------------------------------------------------------


def _offer(product: Product) -> recommend.Offer:
    return recommend.Offer(
        slug=product.slug,
        name=product.name,
        brand=product.brand,
        description=product.description,
        ingredients=tuple(
            recommend.Ingredient(
                nutrient=row.nutrient.slug,
                name=row.nutrient.name,
                unit=row.nutrient.unit,
                amount=row.amount,
                form=row.form,
                form_label=row.get_form_display(),
            )
            for row in product.nutrients.all()
        ),
        certification=product.certification,
        certification_label=product.get_certification_display(),
        price_per_serving=product.price_per_serving if product.servings_per_container else None,
        currency=product.currency,
        image_url=product.image.url if product.image else "",
        image_alt=product.image_alt,
        is_starter=product.is_starter,
    )


def build_catalogue() -> Catalogue:
    """Two queries: the active products, and their ingredients with each ingredient's nutrient."""
    ingredients = Prefetch("nutrients", queryset=ProductNutrient.objects.select_related("nutrient"))
    offers = tuple(_offer(product) for product in Product.objects.filter(is_active=True).prefetch_related(ingredients))
    # Only nutrients some product supplies can ever be matched, so the ingredients name them all.
    named = {(i.name, i.nutrient): i.unit for offer in offers for i in offer.ingredients}
    return Catalogue(offers=offers, nutrients={slug: (name, named[name, slug]) for name, slug in sorted(named)})


def get_catalogue() -> Catalogue:
    """The catalogue of the current content generation: this process's copy, else the shared cache's, else built
    (2 queries)."""
    return generation.kept(CACHE_KEY, build_catalogue, timeout=CACHE_SECONDS)


# ---------------------------------------------------------------------------------------------------------------
# Needs and panels
# ---------------------------------------------------------------------------------------------------------------


def _need(catalogue: Catalogue, slug: str, **amounts) -> recommend.NutrientNeed:
    name, unit = catalogue.nutrients.get(slug, (slug, ""))
    return recommend.NutrientNeed(slug=slug, name=name, unit=unit, **amounts)


def needs_for_nutrients(*, catalogue: Catalogue, nutrient_slugs: Iterable[str]) -> recommend.Needs:
    """An article's reader: these nutrients, no gap, no age, nothing personal."""
    wanted = set(nutrient_slugs)
    return recommend.Needs(
        nutrients=tuple(_need(catalogue, slug) for slug in catalogue.nutrients if slug in wanted),
    )


def needs_for_result(*, catalogue: Catalogue, result: intake.Result) -> recommend.Needs:
    """A calculator user: products agree with the plan and obey the result's restrictions. Calcium only where the plan
    adds calcium, K2 only where the plan gives a K2 amount, vitamin D only beside them and within its upper limit;
    nothing blocked, no serving above an allowed dose, never past an upper limit."""
    calcium, plan, rules = result.calcium, result.plan, result.restrictions
    if plan.calcium_doses:  # the plan's amount (it replaces what the person takes now), within the limit either way
        room = None if calcium.upper_limit_mg is None else Decimal(calcium.upper_limit_mg - calcium.total_mg)
        planned = Decimal(plan.calcium_supplement_mg)
        doses = tuple(recommend.PlannedDose(Decimal(dose.mg), dose.slot.code) for dose in plan.calcium_doses)
        calcium_need = _need(catalogue, recommend.CALCIUM, gap=planned, headroom=room, doses=doses)
    else:  # under 18, above the limit, blocked, or food already enough
        calcium_need = _need(catalogue, recommend.CALCIUM, gap=Decimal(0), headroom=Decimal(0))
    k2_gap = max(0, plan.k2_mcg - result.vitamin_k.supplement_k2_mcg) if plan.k2_mcg else 0
    k2_doses = (recommend.PlannedDose(Decimal(k2_gap), plan.k2_slot),) if k2_gap else ()
    needs = [calcium_need, _need(catalogue, VITAMIN_K2, gap=Decimal(k2_gap), doses=k2_doses)]
    room_iu = result.vitamin_d.room_iu
    if rules.allows(VITAMIN_D) and (room_iu is None or room_iu > 0):
        headroom = None if room_iu is None else Decimal(room_iu)
        needs.append(_need(catalogue, VITAMIN_D, gap=Decimal(0), headroom=headroom, companion=True))
    wanted = {need.slug for need in needs if need.wanted}
    allowed = wanted | ({VITAMIN_D} if wanted and any(n.companion for n in needs) else set())
    per_serving = {
        recommend.CALCIUM: Decimal(min(rules.per_dose_mg, rules.cap(recommend.CALCIUM) or rules.per_dose_mg))
    }
    profile = result.profile
    return recommend.Needs(
        nutrients=tuple(needs),
        age=profile.age,
        preferred_forms=dict(rules.preferred_forms),
        preferred_by=rules.preferred_by.get(recommend.CALCIUM, ()),
        blocked=frozenset(rules.blocked),
        allowed=frozenset(allowed),
        max_per_serving=per_serving,
    )


def _panel(*, needs: recommend.Needs, catalogue: Catalogue, personal: bool, k2_blockers=((), ())) -> Panel:
    ranked = recommend.rank(needs=needs, products=catalogue.offers)
    items = tuple(Item(offer, messages.reason_text(reason)) for offer, reason in ranked)
    return Panel(items=items, personal=personal, minor=needs.is_minor, k2_blockers=k2_blockers)


def for_nutrients(*, nutrient_slugs: Iterable[str]) -> Panel:
    """An article's panel: products for these nutrients, and who must not take vitamin K2 (from the reference data)."""
    catalogue = get_catalogue()
    return _panel(
        needs=needs_for_nutrients(catalogue=catalogue, nutrient_slugs=nutrient_slugs),
        catalogue=catalogue,
        personal=False,
        k2_blockers=services.get_reference().blockers(VITAMIN_K2),
    )


def for_result(*, result: intake.Result) -> Panel:
    """A calculator result's panel: the results page renders it, the JSON API serializes it (`as_api`)."""
    catalogue = get_catalogue()
    return _panel(needs=needs_for_result(catalogue=catalogue, result=result), catalogue=catalogue, personal=True)


def as_api(panel: Panel) -> list[dict]:
    """The JSON API's `recommendations`: slug, name, nutrients (slugs), per_serving (slug -> amount), reason."""
    return [
        {
            "slug": item.offer.slug,
            "name": item.offer.name,
            "nutrients": list(item.offer.nutrient_slugs),
            "per_serving": {i.nutrient: _number(i.amount) for i in item.offer.ingredients if i.amount > 0},
            "reason": item.reason,
        }
        for item in panel.items
    ]


def _number(amount: Decimal) -> int | float:
    """An amount as JSON gives it: a whole number where it is one (300, not 300.0)."""
    return int(amount) if amount == amount.to_integral_value() else float(amount)
