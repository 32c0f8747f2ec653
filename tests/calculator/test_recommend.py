"""calculator.recommend: the ranking rules, each with a case that fails without it, and the plain-words reasons."""

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculator import messages, recommend
from calculator.recommend import Ingredient, Needs, NutrientNeed, Offer, PlannedDose, rank

D = Decimal
UNITS = {"calcium": "mg", "vitamin-k2": "mcg", "vitamin-d": "IU", "magnesium": "mg"}
NAMES = {"calcium": "Calcium", "vitamin-k2": "Vitamin K", "vitamin-d": "Vitamin D", "magnesium": "Magnesium"}


def offer(slug, *ingredients, cert="none", price="0.10", **fields):
    """offer("ca", ("calcium", 300, "calcium-citrate")) with defaults for everything the rule under test ignores."""
    return Offer(
        slug=slug,
        name=slug.replace("-", " ").title(),
        ingredients=tuple(
            Ingredient(nutrient=n, name=NAMES[n], unit=UNITS[n], amount=D(amount), form=form)
            for n, amount, form in ingredients
        ),
        certification=cert,
        certification_label={"none": "", "usp": "USP Verified", "nsf": "NSF Certified"}[cert],
        price_per_serving=None if price is None else D(price),
        **fields,
    )


def need(slug, gap=None, headroom=None, doses=()):
    """A need; `doses` are the plan's doses of it, as (amount, time of day) pairs (their sum is the gap)."""
    return NutrientNeed(
        slug=slug,
        name=NAMES[slug],
        unit=UNITS[slug],
        gap=D(sum(amount for amount, _ in doses)) if doses else None if gap is None else D(gap),
        headroom=None if headroom is None else D(headroom),
        doses=tuple(PlannedDose(D(amount), slot) for amount, slot in doses),
    )


def needs(*nutrients, **fields):
    return Needs(nutrients=tuple(need(n) if isinstance(n, str) else n for n in nutrients), **fields)


# What restrictions give the ranking for someone whose caution data prefers citrate (a digestive condition).
PREFERS_CITRATE = {
    "preferred_forms": {"calcium": "calcium-citrate"},
    "preferred_by": ("Digestive conditions (coeliac disease, Crohn's disease, low stomach acid)",),
}
CITRATE_300 = ("calcium", 300, "calcium-citrate")
CARBONATE_300 = ("calcium", 300, "calcium-carbonate")
K2_MK7_100 = ("vitamin-k2", 100, "mk-7")

# An adult calculator user, 40 years old, with a 400 mg calcium gap and 1,000 mg of room under the upper limit.
ADULT_GAP = needs(need("calcium", gap=400, headroom=1000), age=40)

TWO_300_MG_DOSES = needs(need("calcium", doses=[(300, "breakfast"), (300, "dinner")], headroom=1500), age=40)

CASES = [
    # (id, needs, products in input order, expected slugs best first)
    (
        "a-300-mg-tablet-for-two-300-mg-doses-never-a-500",
        TWO_300_MG_DOSES,
        [
            offer("ca-500", ("calcium", 500, "calcium-carbonate"), cert="usp", price="0.01"),
            offer("ca-100", ("calcium", 100, "calcium-carbonate"), price="0.01"),
            offer("ca-150", ("calcium", 150, "calcium-carbonate"), price="0.01"),
            offer("ca-300", CARBONATE_300, price="0.50"),
        ],
        ["ca-300", "ca-150"],
    ),
    (
        "a-k2-serving-between-half-and-all-of-the-plan",
        needs(need("vitamin-k2", doses=[(180, "dinner")]), age=60),
        [
            offer("k2-200", ("vitamin-k2", 200, "mk-7"), price="0.01"),
            offer("k2-45", ("vitamin-k2", 45, "mk-7"), price="0.01"),
            offer("k2-90", ("vitamin-k2", 90, "mk-7"), price="0.02"),
            offer("k2-180", ("vitamin-k2", 180, "mk-7"), price="0.50"),
        ],
        ["k2-180", "k2-90"],
    ),
    (
        "a-companion-taken-at-each-dose-stays-under-its-limit",
        needs(
            need("calcium", doses=[(300, "breakfast"), (300, "dinner")], headroom=1500),
            NutrientNeed(slug="vitamin-d", name="Vitamin D", unit="IU", gap=D(0), headroom=D(1500), companion=True),
            age=40,
        ),
        [offer("ca-d", CARBONATE_300, ("vitamin-d", 1000, "d3"), price="0.01"), offer("ca", CITRATE_300)],
        ["ca"],
    ),
    ("under-18-gets-nothing", needs(need("calcium", 400, 1000), age=17), [offer("ca", CITRATE_300)], []),
    ("18-is-an-adult", needs(need("calcium", 400, 1000), age=18), [offer("ca", CITRATE_300)], ["ca"]),
    (
        "only-products-with-a-wanted-nutrient",
        ADULT_GAP,
        [offer("mg", ("magnesium", 200, "magnesium-glycinate"), price="0.01"), offer("ca", CITRATE_300)],
        ["ca"],
    ),
    (
        "nothing-wanted-nothing-shown",
        needs(need("calcium", gap=0, headroom=800), age=40),
        [offer("k2", K2_MK7_100)],
        [],
    ),
    (
        "a-serving-past-the-upper-limit-is-left-out",
        needs(need("calcium", gap=400, headroom=300), age=40),
        [
            offer("ca-500", ("calcium", 500, "calcium-citrate"), cert="usp", price="0.01"),
            offer("ca-250", ("calcium", 250, "calcium-citrate")),
        ],
        ["ca-250"],
    ),
    (
        "at-the-upper-limit-no-calcium-product",
        needs(need("calcium", gap=0, headroom=0), need("vitamin-k2", gap=90), age=60),
        [offer("combo", CITRATE_300, K2_MK7_100, price="0.01"), offer("k2", K2_MK7_100)],
        ["k2"],
    ),
    (
        "above-the-upper-limit-no-calcium-product",
        needs(need("calcium", gap=0, headroom=-250), need("vitamin-k2", gap=90), age=60),
        [offer("combo", CITRATE_300, K2_MK7_100, price="0.01"), offer("k2", K2_MK7_100)],
        ["k2"],
    ),
    (
        "no-unneeded-calcium-even-under-the-limit",
        needs(need("calcium", gap=0, headroom=800), need("vitamin-k2", gap=90), age=40),
        [offer("combo", CITRATE_300, K2_MK7_100, price="0.01"), offer("k2", K2_MK7_100)],
        ["k2"],
    ),
    (
        "a-blocked-nutrient-excludes-the-product",
        needs(need("calcium", gap=400, headroom=1000), age=70, blocked=frozenset({"vitamin-k2"})),
        [offer("combo", CITRATE_300, K2_MK7_100, cert="usp", price="0.01"), offer("ca", CITRATE_300, price="0.50")],
        ["ca"],
    ),
    (
        "a-nutrient-the-plan-does-not-call-for-excludes-the-product",
        needs(need("calcium", gap=400, headroom=1000), age=70, allowed=frozenset({"calcium"})),
        [offer("combo", CITRATE_300, ("magnesium", 100, "magnesium-citrate")), offer("ca", CITRATE_300, price="0.50")],
        ["ca"],
    ),
    (
        "a-serving-above-the-allowed-dose-is-excluded",
        needs(need("calcium", gap=900, headroom=1500), age=70, max_per_serving={"calcium": Decimal(300)}),
        [offer("ca-500", ("calcium", 500, "calcium-citrate"), price="0.01"), offer("ca-300", CITRATE_300)],
        ["ca-300"],
    ),
    (
        "dose-that-fits-the-gap-before-one-that-passes-it",
        ADULT_GAP,
        [
            offer("ca-500", ("calcium", 500, "calcium-carbonate"), cert="usp", price="0.01"),
            offer("ca-300", CARBONATE_300),
        ],
        ["ca-300", "ca-500"],
    ),
    (
        "dose-that-closes-more-of-the-gap-first",
        ADULT_GAP,
        [
            offer("ca-100", ("calcium", 100, "calcium-carbonate"), cert="usp", price="0.01"),
            offer("ca-300", CARBONATE_300),
        ],
        ["ca-300", "ca-100"],
    ),
    (
        "similar-doses-count-as-equal-then-price-decides",
        needs(need("calcium", gap=1000, headroom=1500), age=40),
        [
            offer("ca-310", ("calcium", 310, "calcium-carbonate"), price="0.20"),
            offer("ca-300", CARBONATE_300, price="0.05"),
        ],
        ["ca-300", "ca-310"],
    ),
    (
        "each-wanted-nutrient-first-gets-its-best-product",
        needs(need("calcium", gap=900, headroom=1000), need("vitamin-k2", doses=[(180, "dinner")]), age=60),
        [
            offer("k2-180", ("vitamin-k2", 180, "mk-7"), price="0.30"),
            offer("k2-170", ("vitamin-k2", 170, "mk-7"), price="0.20"),
            offer("k2-160", ("vitamin-k2", 160, "mk-7"), price="0.10"),
            offer("ca-500", ("calcium", 500, "calcium-citrate")),
        ],
        ["ca-500", "k2-180", "k2-160"],
    ),
    (
        "an-article-reader-sees-products-without-k2-first",
        needs("calcium", "vitamin-k2"),
        [offer("k2", K2_MK7_100, cert="usp", price="0.01"), offer("ca-1", CITRATE_300), offer("ca-2", CITRATE_300)],
        ["ca-1", "ca-2", "k2"],
    ),
    (
        "passing-a-gap-without-an-upper-limit-is-no-fault",
        needs(need("vitamin-k2", gap=40), age=40),
        [offer("k2-20", ("vitamin-k2", 20, "mk-7")), offer("k2-180", ("vitamin-k2", 180, "mk-7"), price="0.05")],
        ["k2-180", "k2-20"],
    ),
    (
        "more-wanted-nutrients-first",
        needs(need("calcium", gap=300), need("vitamin-k2", doses=[(100, "dinner")]), age=60),
        [offer("ca", CITRATE_300, cert="usp", price="0.01"), offer("combo", CITRATE_300, K2_MK7_100, price="0.30")],
        ["combo", "ca"],
    ),
    (
        "citrate-before-carbonate-over-50",
        needs(need("calcium", 400, 1000), age=51),
        [offer("carbonate", CARBONATE_300, cert="usp", price="0.01"), offer("citrate", CITRATE_300)],
        ["citrate", "carbonate"],
    ),
    (
        "citrate-before-a-carbonate-combination",
        needs(need("calcium", 400, 1000), need("vitamin-k2", doses=[(180, "dinner")]), age=60),
        [offer("combo", CARBONATE_300, K2_MK7_100, price="0.01"), offer("citrate", CITRATE_300)],
        ["citrate", "combo"],
    ),
    (
        "carbonate-is-fine-at-50",
        needs(need("calcium", 400, 1000), age=50),
        [offer("carbonate", CARBONATE_300, price="0.01"), offer("citrate", CITRATE_300)],
        ["carbonate", "citrate"],
    ),
    (
        "citrate-before-carbonate-where-the-data-prefers-it",
        needs(need("calcium", 400, 1000), age=30, **PREFERS_CITRATE),
        [offer("carbonate", CARBONATE_300, price="0.01"), offer("citrate", CITRATE_300)],
        ["citrate", "carbonate"],
    ),
    (
        "mk7-before-mk4",
        needs("vitamin-k2"),
        [offer("mk4", ("vitamin-k2", 100, "mk-4"), cert="usp", price="0.01"), offer("mk7", K2_MK7_100)],
        ["mk7", "mk4"],
    ),
    (
        "certified-before-cheaper",
        ADULT_GAP,
        [offer("plain", CARBONATE_300, price="0.01"), offer("tested", CARBONATE_300, cert="nsf", price="0.20")],
        ["tested", "plain"],
    ),
    (
        "cheaper-per-serving-first-and-unpriced-last",
        ADULT_GAP,
        [
            offer("a-unpriced", CARBONATE_300, price=None),
            offer("b-dear", CARBONATE_300, price="0.30"),
            offer("c-cheap", CARBONATE_300, price="0.05"),
        ],
        ["c-cheap", "b-dear", "a-unpriced"],
    ),
    (
        "ties-broken-by-slug-whatever-the-input-order",
        ADULT_GAP,
        [offer("zeta", CARBONATE_300), offer("alpha", CARBONATE_300)],
        ["alpha", "zeta"],
    ),
    (
        "at-most-three",
        needs("calcium"),
        [offer(f"ca-{n}", CARBONATE_300, price=f"0.{n}0") for n in range(1, 6)],
        ["ca-1", "ca-2", "ca-3"],
    ),
]


@pytest.mark.parametrize(("case_needs", "products", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rank_applies_rule(case_needs, products, expected):
    assert [product.slug for product, _ in rank(needs=case_needs, products=products)] == expected


def test_rank_is_the_same_for_any_input_order():
    products = [offer(slug, CARBONATE_300, price=price) for slug, price in [("b", "0.1"), ("a", "0.1"), ("c", "0.05")]]
    first = rank(needs=ADULT_GAP, products=products)
    assert first == rank(needs=ADULT_GAP, products=list(reversed(products)))
    assert [p.slug for p, _ in first] == ["c", "a", "b"]


REASONS = [
    (
        "closes-part-of-the-gap-with-food",
        ADULT_GAP,
        offer("ca", CARBONATE_300),
        "Closes about 300 mg of your 400 mg calcium gap in one dose with food.",
    ),
    (
        "rounds-to-tens-and-names-the-citrate-reason",
        needs(need("calcium", gap=D("385.4"), headroom=1000), age=72),
        offer("ca", ("calcium", 315, "calcium-citrate")),
        "Closes about 320 mg of your 390 mg calcium gap in one dose with or without food. "
        "Citrate is absorbed without much stomach acid, which suits people over 50.",
    ),
    (
        "covers-the-whole-gap-under-the-limit",
        needs(need("calcium", gap=150, headroom=1000), age=40),
        offer("ca", CARBONATE_300, cert="usp"),
        "One dose covers your 150 mg calcium gap and stays under your upper limit; take it with food. "
        "Independently tested (USP Verified).",
    ),
    (
        "who-prefers-citrate-named-as-in-the-data",
        needs(need("calcium", 400, 1000), age=30, **PREFERS_CITRATE),
        offer("ca", CITRATE_300),
        "Closes about 300 mg of your 400 mg calcium gap in one dose with or without food. "
        "Citrate is absorbed without much stomach acid, which suits you because of digestive conditions (coeliac "
        "disease, Crohn's disease, low stomach acid).",
    ),
    (
        "article-reader-single-nutrient",
        needs("vitamin-k2"),
        offer("k2", K2_MK7_100),
        "100 mcg of vitamin K2 as MK-7 per serving, taken with a meal that has some fat. "
        "MK-7 is the form of vitamin K2 the bone trial used.",
    ),
    (
        "article-reader-combination",
        needs("calcium", "vitamin-d", "vitamin-k2"),
        offer("combo", ("calcium", 500, "calcium-carbonate"), ("vitamin-d", 1000, "d3"), K2_MK7_100),
        "Calcium, vitamin D and vitamin K2 in one serving, taken with food. "
        "MK-7 is the form of vitamin K2 the bone trial used.",
    ),
    (
        "part-of-the-k2-the-plan-suggests",
        needs(need("calcium", 0, 0), need("vitamin-k2", doses=[(180, "dinner")]), age=60),
        offer("k2", K2_MK7_100),
        "One serving with dinner: 100 mcg of the 180 mcg of vitamin K2 a day your plan suggests, taken with a meal "
        "that has some fat. MK-7 is the form of vitamin K2 the bone trial used.",
    ),
    (
        "all-the-k2-the-plan-suggests",
        needs(need("vitamin-k2", doses=[(180, "dinner")]), age=60),
        offer("k2", ("vitamin-k2", 180, "mk-7")),
        "One serving with dinner: 180 mcg of vitamin K2 a day your plan suggests, taken with a meal that has some "
        "fat. MK-7 is the form of vitamin K2 the bone trial used.",
    ),
    (
        "one-serving-at-each-planned-dose",
        needs(need("calcium", doses=[(300, "breakfast"), (300, "dinner")], headroom=1500), age=40),
        offer("ca", CARBONATE_300),
        "One serving with breakfast and one with dinner: 600 mg of calcium a day your plan suggests, taken with food.",
    ),
]


@pytest.mark.parametrize(("case_needs", "product", "expected"), [r[1:] for r in REASONS], ids=[r[0] for r in REASONS])
def test_rank_gives_a_plain_words_reason(case_needs, product, expected):
    [(ranked, reason)] = rank(needs=case_needs, products=[product])
    assert ranked is product
    assert messages.reason_text(reason) == expected


def test_needs_of_an_article_reader_are_not_personal_and_not_a_minor():
    reader = needs("calcium")
    assert not reader.is_personal and not reader.is_minor
    assert needs("calcium", age=12).is_minor


def test_rule_form_values_match_the_model_choices():
    from calculator.models import Product, ProductNutrient

    forms = set(ProductNutrient.Form.values)
    for value in [recommend.CALCIUM_CITRATE, recommend.CALCIUM_CARBONATE, recommend.MK7, recommend.MK4]:
        assert value in forms
    assert set(recommend.FORM_WORDS) <= forms
    assert recommend.NO_CERTIFICATION in Product.Certification.values


RECOMMEND_PY = Path(recommend.__file__)


def test_recommend_loads_without_django():
    """In a fresh interpreter, importing the module must not pull Django in (directly or through calculator/)."""
    code = "import sys, calculator.recommend; print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=RECOMMEND_PY.parent.parent, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


# Property-based: the safety rules hold for any catalogue and any person, not only the cases above.

FORMS = {
    "calcium": ["calcium-citrate", "calcium-carbonate", "other"],
    "vitamin-k2": ["mk-7", "mk-4"],
    "vitamin-d": ["d3"],
    "magnesium": ["magnesium-glycinate", "magnesium-citrate"],
}
AMOUNTS = st.integers(1, 1500).map(Decimal)
INGREDIENT = st.sampled_from(list(FORMS)).flatmap(lambda n: st.tuples(st.just(n), AMOUNTS, st.sampled_from(FORMS[n])))
OFFERS = st.lists(
    st.tuples(
        st.lists(INGREDIENT, min_size=1, max_size=3, unique_by=lambda i: i[0]),
        st.sampled_from(["none", "usp", "nsf"]),
        st.one_of(st.none(), st.integers(1, 200).map(lambda cents: f"{cents / 100:.2f}")),
    ),
    max_size=8,
).map(lambda rows: [offer(f"p-{i}", *ing, cert=cert, price=price) for i, (ing, cert, price) in enumerate(rows)])
GAP = st.one_of(st.none(), st.integers(0, 1500).map(Decimal))
HEADROOM = st.one_of(st.none(), st.integers(-500, 2000).map(Decimal))
NEEDS = st.builds(
    lambda ca, k2, mg, age, blocked, preferred: Needs(
        nutrients=(
            NutrientNeed(slug="calcium", name="Calcium", unit="mg", gap=ca[0], headroom=ca[1]),
            NutrientNeed(slug="vitamin-k2", name="Vitamin K", unit="mcg", gap=k2),
            NutrientNeed(slug="magnesium", name="Magnesium", unit="mg", gap=mg[0], headroom=mg[1]),
        ),
        age=age,
        blocked=blocked,
        **preferred,
    ),
    st.tuples(GAP, HEADROOM),
    GAP,
    st.tuples(GAP, HEADROOM),
    st.one_of(st.none(), st.integers(1, 110)),
    st.sampled_from([frozenset(), frozenset({"vitamin-k2"}), frozenset({"calcium", "vitamin-d"})]),
    st.sampled_from([{}, PREFERS_CITRATE]),
)


@settings(max_examples=300, deadline=None)
@given(case_needs=NEEDS, products=OFFERS)
def test_rank_safety_holds_for_any_catalogue_and_person(case_needs, products):
    ranked = rank(needs=case_needs, products=products)
    assert len(ranked) <= 3
    assert len({p.slug for p, _ in ranked}) == len(ranked), "a product is listed twice"
    assert ranked == rank(needs=case_needs, products=list(reversed(products))), "the order depends on the input"
    if case_needs.is_minor:
        assert ranked == []
    for product, reason in ranked:
        assert reason.code and reason.amount
        assert any(product.ingredient(n.slug) for n in case_needs.wanted), "a product supplies nothing wanted"
        for ingredient in product.ingredients:
            need = case_needs.need(ingredient.nutrient)
            if need is not None and need.headroom is not None:
                assert ingredient.amount <= need.headroom, "a serving crosses the upper limit"
        assert not set(product.nutrient_slugs) & case_needs.blocked, "a product contains a blocked nutrient"
    if not case_needs.is_personal:
        flags = [product.has_k2 for product, _ in ranked]
        assert flags == sorted(flags), "a K2 product comes before a product without K2 for an article's reader"
