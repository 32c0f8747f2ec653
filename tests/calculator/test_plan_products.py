"""Products against the planned doses, as a property over random people and random catalogues: every recommended
product's serving fits a planned dose (between half and all of it), what it adds a day stays within the plan, and
it never breaks a restriction. Then the shipped catalogue's answer for the issue's example person."""

import json
from decimal import Decimal

import pytest
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

from calculator import intake, panel, recommend, services
from calculator.reference import life_stage_error

pytestmark = pytest.mark.django_db

# name, unit, forms, amounts per serving that products are sold in (some fit a plan's dose, some do not)
NUTRIENTS = {
    "calcium": ("Calcium", "mg", ["calcium-citrate", "calcium-carbonate"], [100, 200, 250, 300, 400, 500, 600, 1000]),
    "vitamin-k2": ("Vitamin K", "mcg", ["mk-7", "mk-4"], [45, 90, 100, 180, 200, 1000]),
    "vitamin-d": ("Vitamin D", "IU", ["d3"], [400, 1000, 2000, 5000]),
    "magnesium": ("Magnesium", "mg", ["magnesium-citrate"], [150, 400]),
}
INGREDIENT = st.sampled_from(list(NUTRIENTS)).flatmap(
    lambda n: st.tuples(st.just(n), st.sampled_from(NUTRIENTS[n][3]).map(Decimal), st.sampled_from(NUTRIENTS[n][2]))
)
CATALOGUE = st.lists(
    st.lists(INGREDIENT, min_size=1, max_size=2, unique_by=lambda i: i[0]), min_size=3, max_size=10
).map(
    lambda rows: panel.Catalogue(
        offers=tuple(
            recommend.Offer(
                slug=f"p-{i}",
                name=f"Product {i}",
                ingredients=tuple(
                    recommend.Ingredient(
                        nutrient=n, name=NUTRIENTS[n][0], unit=NUTRIENTS[n][1], amount=amount, form=form
                    )
                    for n, amount, form in row
                ),
                price_per_serving=Decimal("0.10"),
            )
            for i, row in enumerate(rows)
        ),
        nutrients={slug: (name, unit) for slug, (name, unit, _, _) in NUTRIENTS.items()},
    )
)


@st.composite
def people(draw):
    reference = services.get_reference()
    medications = draw(st.lists(st.sampled_from([m.slug for m in reference.medications]), max_size=2, unique=True))
    profile = intake.Profile(
        age=draw(st.one_of(st.integers(1, 100), st.integers(51, 90))),
        sex=draw(st.sampled_from(["female", "male"])),
        life_stage=draw(st.sampled_from(["none"] * 6 + ["pregnant", "lactating"])),
        goal=draw(st.sampled_from(["general", "bone_health", "bone_health"])),
        foods={food.slug: draw(st.sampled_from([0, 0, 0, 0.5, 1])) for food in reference.foods[:6]},
        calcium_supplement_mg=draw(st.sampled_from([0, 0, 500, 1200])),
        k2_supplement_mcg=draw(st.sampled_from([0, 0, 45, 100])),
        vitamin_d_supplement_iu=draw(st.sampled_from([0, 1000, 3900])),
        medications=tuple(medications),
        frequencies={slug: draw(st.sampled_from(reference.medication(slug).frequencies)) for slug in medications},
        conditions=tuple(
            draw(st.lists(st.sampled_from([c.slug for c in reference.conditions]), max_size=1, unique=True))
        ),
        guideline=draw(st.sampled_from(["us", "eu", "uk"])),
    )
    assume(life_stage_error(age=profile.age, sex=profile.sex, life_stage=profile.life_stage) is None)
    return profile


def fits(amount, doses):
    return any(dose.amount / 2 <= amount <= dose.amount for dose in doses)


@settings(max_examples=300, deadline=None)
@given(profile=people(), catalogue=CATALOGUE)
def test_every_recommended_product_fits_a_planned_dose_and_keeps_every_restriction(profile, catalogue):
    result = intake.compute(profile=profile, reference=services.get_reference())
    needs = panel.needs_for_result(catalogue=catalogue, result=result)
    ranked = recommend.rank(needs=needs, products=catalogue.offers)
    rules, plan = result.restrictions, result.plan
    if profile.is_minor:
        assert ranked == []
    planned = {
        "calcium": [recommend.PlannedDose(Decimal(d.mg), d.slot.code) for d in plan.calcium_doses],
        "vitamin-k2": [
            recommend.PlannedDose(Decimal(need.gap), plan.k2_slot)
            for need in needs.nutrients
            if need.slug == "vitamin-k2" and need.gap
        ],
    }
    event(f"{len(ranked)} products")
    for offer, reason in ranked:
        assert not set(offer.nutrient_slugs) & set(rules.blocked), "a blocked nutrient is offered"
        wanted = [n for n in offer.nutrient_slugs if planned.get(n)]
        assert wanted, "a product gives nothing the plan adds"
        for nutrient in offer.nutrient_slugs:
            amount = offer.ingredient(nutrient).amount
            if nutrient in planned:
                assert planned[nutrient], f"{nutrient} is offered but not planned"
                assert fits(amount, planned[nutrient]), f"{amount} {nutrient} fits no planned dose"
            cap = rules.cap(nutrient)
            assert cap is None or amount <= cap
        assert reason.code == "plan-fit" and reason.slots
        times = len(reason.slots)
        for nutrient in offer.nutrient_slugs:
            if planned.get(nutrient):
                assert offer.ingredient(nutrient).amount * times <= sum(d.amount for d in planned[nutrient])
        if "vitamin-d" in offer.nutrient_slugs and result.vitamin_d.room_iu is not None:
            assert offer.ingredient("vitamin-d").amount * times <= result.vitamin_d.room_iu


def test_the_issues_example_gets_tablets_that_match_its_doses(client):
    body = {"age": 62, "sex": "female", "goal": "bone_health", "foods": {"milk": 1, "yogurt": 1}}
    answer = client.post("/api/intake/", json.dumps(body), content_type="application/json").json()
    doses = [dose["mg"] for dose in answer["plan"]["calcium_doses"]]
    assert doses
    for item in answer["recommendations"]:
        if "calcium" in item["per_serving"]:
            assert any(dose / 2 <= item["per_serving"]["calcium"] <= dose for dose in doses), (doses, item)
            assert item["reason"].startswith("One serving with")
        if "vitamin-k2" in item["per_serving"]:
            k2 = answer["plan"]["k2_mcg"]
            assert k2 / 2 <= item["per_serving"]["vitamin-k2"] <= k2
            assert "180 mcg a day" not in item["reason"] or item["per_serving"]["vitamin-k2"] == 180


@pytest.mark.django_db
def test_the_disclosure_page_states_the_plan_fit_rule_the_ranking_applies(client):
    """The page readers are sent to for how products are chosen says what `recommend.rank` does for a calculator
    result: a serving between half and all of a planned dose, and the day's servings within the plan."""
    text = " ".join(client.get("/disclosure/").content.decode().split())
    assert "one serving holds between half and all of a dose the plan suggests" in text
    assert "never a 500 mg tablet for a 300 mg dose" in text
    assert "stays within the plan's daily amount and under every upper limit" in text
    assert "A dose that fits your gap comes first" not in text
