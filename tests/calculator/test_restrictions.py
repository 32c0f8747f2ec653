"""Safety: everything an answer offers (plan, timetable, table, products) obeys the rules in the reference data, for
any mix of medicines, conditions and life stages.

The rules are read from the shipped data (the `reference` fixture: caution rows with the nutrients they block and the
caps they set, spacing rows, time windows), and the gaps are checked here with their own arithmetic, not the
scheduler's. Property tests draw random people; table tests pin each known unsafe case through the JSON API."""

import dataclasses
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calculator import intake, panel, recommend
from calculator.plan import WINDOW_SLOTS

DAY = 24 * 60
MAX_DOSE_MG = 500


# -- the rules, read straight from the data ---------------------------------------------------------------------


def owners(reference, profile):
    """Every caution that applies to this person."""
    cautions = [c for m in reference.medications if m.slug in profile.medications for c in m.cautions]
    cautions += [c for k in reference.conditions if k.slug in profile.conditions for c in k.cautions]
    cautions += list(reference.life_stage_cautions.get(profile.life_stage, ()))
    return cautions


def blocked_nutrients(reference, profile):
    return {nutrient for caution in owners(reference, profile) for nutrient in caution.blocks}


def daily_cap(reference, profile, nutrient):
    caps = [c.cap_per_day for c in owners(reference, profile) if c.nutrient == nutrient and c.cap_per_day is not None]
    return min(caps) if caps else None


def strictest_limit(reference, profile, nutrient):
    """The upper limit nothing may pass, read from the bands here (not through the calculator's lookup): the
    strictest of the chosen authority's own limit and the US one, for the same scope (a limit of another scope is
    not comparable; the US one stands). None where neither sets one."""

    def own(authority):
        for stage in dict.fromkeys((profile.life_stage, "none")):
            found = [
                b
                for b in reference.bands
                if b.authority == authority
                and b.nutrient == nutrient
                and b.covers(age=profile.age, sex=profile.sex, life_stage=stage)
            ]
            if found:
                return sorted(found, key=lambda b: b.sex == "any")[0]
        return None

    us, chosen = own("us"), own(profile.guideline)
    limits = [us.upper_limit] if us.upper_limit is not None else []
    if chosen is not None and chosen.upper_limit is not None and chosen.upper_limit_scope == us.upper_limit_scope:
        limits.append(chosen.upper_limit)
    return min(limits) if limits else None


def minutes(hhmm):
    hours, mins = hhmm.split(":")
    return int(hours) * 60 + int(mins)


def spacing_broken(reference, entries):
    """(medicine, other entry) pairs of the timetable that break a spacing row of the medicine, checked around the
    clock (the day repeats); a row without `hours_after` means the medicine comes first in the day."""
    broken = []
    for entry in entries:
        if entry.kind != "medication":
            continue
        medicine = reference.medication(entry.slug)
        for other in entries:
            if other is entry:
                continue
            for spacing in medicine.spacings:
                kind, slug = spacing.other
                applies = (
                    kind == "everything"
                    or (kind == "nutrient" and other.kind == slug)
                    or (kind == "medication" and other.kind == "medication" and other.slug == slug)
                )
                if not applies:
                    continue
                later = minutes(other.time) - minutes(entry.time)
                if spacing.hours_after is None:
                    ok = later >= spacing.hours_before * 60
                else:
                    ok = later % DAY >= spacing.hours_before * 60 and (-later) % DAY >= spacing.hours_after * 60
                if not ok:
                    broken.append((entry.slug, other.kind, other.slug))
    return broken


def offered(catalogue, result):
    needs = panel.needs_for_result(catalogue=catalogue, result=result)
    return [offer for offer, _ in recommend.rank(needs=needs, products=catalogue.offers)]


# -- random people ------------------------------------------------------------------------------------------------


@st.composite
def people(draw, reference):
    age = draw(st.integers(1, 120))
    sex = draw(st.sampled_from(intake.SEXES))
    stages = ["none"] + (["pregnant", "lactating"] if sex == "female" and 14 <= age <= 50 else [])
    return intake.Profile(
        age=age,
        sex=sex,
        life_stage=draw(st.sampled_from(stages)),
        goal=draw(st.sampled_from(intake.GOALS)),
        foods=draw(
            st.dictionaries(st.sampled_from([f.slug for f in reference.foods]), st.integers(0, 80).map(lambda q: q / 4))
        ),
        other_foods_mg=draw(st.one_of(st.none(), st.integers(0, 1500))),
        calcium_supplement_mg=draw(st.integers(0, 5000)),
        calcium_doses_per_day=draw(st.integers(1, 6)),
        k2_supplement_mcg=draw(st.integers(0, 50000)),
        vitamin_d_supplement_iu=draw(st.integers(0, 10000)),
        medications=tuple(draw(st.lists(st.sampled_from([m.slug for m in reference.medications]), unique=True))),
        conditions=tuple(draw(st.lists(st.sampled_from([c.slug for c in reference.conditions]), unique=True))),
        guideline=draw(st.sampled_from(intake.AUTHORITIES)),
    )


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_nothing_offered_breaks_a_restriction(reference, catalogue, data):
    profile = data.draw(people(reference))
    result = intake.compute(profile=profile, reference=reference)
    plan, calcium, vitamin_d = result.plan, result.calcium, result.vitamin_d
    blocked = blocked_nutrients(reference, profile)

    # Whatever the authority, the limits applied are the strictest of its own and the US ones.
    calcium_limit = strictest_limit(reference, profile, "calcium")
    d_limit = strictest_limit(reference, profile, "vitamin-d")
    assert calcium.upper_limit_mg == (None if calcium_limit is None else round(calcium_limit))
    assert vitamin_d.upper_limit_iu == (None if d_limit is None else round(d_limit))
    if calcium_limit is not None and plan.calcium_doses:
        assert calcium.diet_mg + plan.calcium_supplement_mg <= calcium_limit
    if d_limit is not None:
        assert result.restrictions.vitamin_d_room_iu == max(0, round(d_limit - profile.vitamin_d_supplement_iu))

    # The plan: no dose over 500 mg, never past the upper limit or a cap, nothing blocked, nothing for minors.
    assert all(0 < dose.mg <= MAX_DOSE_MG for dose in plan.calcium_doses)
    if calcium.upper_limit_mg is not None:
        assert not plan.calcium_doses or calcium.diet_mg + plan.calcium_supplement_mg <= calcium.upper_limit_mg
    cap = daily_cap(reference, profile, "calcium")
    if cap is not None:
        assert plan.calcium_supplement_mg <= cap
    if "calcium" in blocked or profile.is_minor:
        assert plan.calcium_doses == ()
    if "vitamin-k2" in blocked or profile.is_minor or profile.life_stage != "none":
        assert plan.k2_mcg == 0 and result.vitamin_k.k2_goal_mcg is None
    if plan.k2_mcg:
        assert profile.sex == "female" and profile.age >= reference.k2_trial_from_age
        assert profile.goal == "bone_health"

    # The timetable: every gap kept, windows obeyed, only the medicines that have rules.
    assert spacing_broken(reference, plan.timetable) == []
    for entry in plan.timetable:
        if entry.kind == "medication":
            window = reference.medication(entry.slug).time_window
            assert entry.time in {slot.time for slot in WINDOW_SLOTS[window]}
    timed = {e.slug for e in plan.timetable if e.kind == "medication"} | set(plan.left_out)
    assert timed <= set(profile.medications)

    # The products: nothing blocked, nothing the plan does not call for, never past an upper limit or a dose.
    products = offered(catalogue, result)
    if profile.is_minor:
        assert products == []
    for offer in products:
        nutrients = set(offer.nutrient_slugs)
        assert not nutrients & blocked, (offer.slug, blocked)
        assert "magnesium" not in nutrients
        if "vitamin-k2" in nutrients:
            assert plan.k2_mcg > 0
        if "calcium" in nutrients:
            amount = offer.ingredient("calcium").amount
            assert plan.calcium_doses and amount <= MAX_DOSE_MG
            assert cap is None or amount <= cap
            if calcium.upper_limit_mg is not None:
                assert calcium.total_mg + amount <= calcium.upper_limit_mg
            if calcium_limit is not None:
                assert calcium.total_mg + amount <= calcium_limit
        if "vitamin-d" in nutrients and vitamin_d.upper_limit_iu is not None:
            assert vitamin_d.supplement_iu + offer.ingredient("vitamin-d").amount <= vitamin_d.upper_limit_iu
        if "vitamin-d" in nutrients and d_limit is not None:
            assert vitamin_d.supplement_iu + offer.ingredient("vitamin-d").amount <= d_limit


def test_every_medicine_at_once_gives_a_valid_day(reference):
    everything = tuple(m.slug for m in reference.medications)
    result = intake.compute(
        profile=intake.Profile(age=70, sex="female", goal="bone_health", medications=everything), reference=reference
    )
    assert spacing_broken(reference, result.plan.timetable) == []
    assert {e.slug for e in result.plan.timetable if e.kind == "medication"} | set(result.plan.left_out) == {
        m.slug for m in reference.medications if m.spacings or m.time_window != "any"
    }


def test_a_day_that_cannot_be_kept_leaves_the_medicine_out_with_a_referral(reference):
    # Two medicines that must both come first thing in the morning: no valid day exists.
    medications = tuple(
        dataclasses.replace(m, time_window="first-thing") if m.slug == "levothyroxine" else m
        for m in reference.medications
    )
    clashing = dataclasses.replace(reference, medications=medications)
    result = intake.compute(
        profile=intake.Profile(age=70, sex="female", medications=("bisphosphonates", "levothyroxine")),
        reference=clashing,
    )
    assert result.plan.left_out == ("levothyroxine",)
    assert [e.slug for e in result.plan.timetable if e.kind == "medication"] == ["bisphosphonates"]
    note = next(n for n in result.plan.notes if n.code == "medicine-left-out")
    assert note.params["clash"] == reference.medication("bisphosphonates").name
    assert spacing_broken(clashing, result.plan.timetable) == []


# -- each known unsafe case, through the JSON API ------------------------------------------------------------------


def ask(client, **body):
    response = client.post("/api/intake/", body, content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


def product_nutrients(client, body):
    options = {offer.slug: set(offer.nutrient_slugs) for offer in panel.get_catalogue().offers}
    return {rec["slug"]: options[rec["slug"]] for rec in body["recommendations"]}


@pytest.mark.django_db
@pytest.mark.parametrize("stage", ["pregnant", "lactating"])
def test_pregnancy_and_breastfeeding_get_no_k2_amount_and_no_k2_product(client, stage):
    body = ask(client, age=30, sex="female", life_stage=stage, goal="bone_health")
    assert body["vitamin_k"]["k2_goal_mcg"] is None and body["plan"]["k2_mcg"] == 0
    products = product_nutrients(client, body)
    assert products and not any("vitamin-k2" in nutrients for nutrients in products.values())


@pytest.mark.django_db
@pytest.mark.parametrize("condition", ["sarcoidosis", "hyperparathyroidism", "kidney-disease", "hypercalcemia"])
def test_conditions_that_raise_blood_calcium_get_no_calcium_or_vitamin_d(client, condition):
    body = ask(client, age=60, sex="female", goal="bone_health", conditions=[condition])
    assert body["plan"]["calcium_doses"] == [] and body["plan"]["calcium_supplement_mg"] == 0
    assert body["warnings"][0]["code"] == condition and body["warnings"][0]["severity"] == "critical"
    for nutrients in product_nutrients(client, body).values():
        assert not nutrients & {"calcium", "vitamin-d"}
    assert set(body["restrictions"]["blocked_nutrients"]) >= {"calcium", "vitamin-d"}


@pytest.mark.django_db
@pytest.mark.parametrize("medicine", ["warfarin", "other-vitamin-k-antagonist"])
def test_anticoagulants_get_no_k2_anywhere_and_see_their_vitamin_k_from_greens(client, medicine):
    body = ask(client, age=70, sex="female", goal="bone_health", foods={"kale": 1, "milk": 1}, medications=[medicine])
    k = body["vitamin_k"]
    assert k["k2_goal_mcg"] is None and body["plan"]["k2_mcg"] == 0 and k["keep_steady"] is True
    assert k["diet_k1_mcg"] == 1062  # 1 cup of cooked kale (USDA SR Legacy 11234: 817 mcg per 100 g x 130 g)
    assert k["diet_mcg"] == k["diet_k1_mcg"] + k["diet_k2_mcg"]
    assert not any("vitamin-k2" in nutrients for nutrients in product_nutrients(client, body).values())
    page = client.get(
        "/calculator/", {"age": 70, "sex": "female", "goal": "bone_health", "food_kale": 1, "medications": medicine}
    ).content.decode()
    assert "Keep your vitamin K steady" in page and "bone goal" not in page and "1,062" in page


@pytest.mark.django_db
def test_thiazide_plans_at_most_one_500_mg_dose(client):
    body = ask(client, age=75, sex="male", medications=["thiazide-diuretics"], other_foods_mg=0)
    assert [dose["mg"] for dose in body["plan"]["calcium_doses"]] == [500]
    for slug, nutrients in product_nutrients(client, body).items():
        if "calcium" in nutrients:
            offer = next(o for o in panel.get_catalogue().offers if o.slug == slug)
            assert offer.ingredient("calcium").amount <= 500


@pytest.mark.django_db
def test_bisphosphonate_is_first_thing_and_levothyroxine_moves_to_bedtime(client):
    body = ask(client, age=70, sex="female", medications=["bisphosphonates", "levothyroxine", "iron-supplements"])
    rows = {row["slug"]: row for row in body["plan"]["timetable"] if row["kind"] == "medication"}
    assert rows["bisphosphonates"]["time"] == min(row["time"] for row in body["plan"]["timetable"])
    assert rows["bisphosphonates"]["time"] != "22:00"
    assert rows["levothyroxine"]["time"] == "22:00"
    assert all(row["kind"] in ("medication", "calcium", "vitamin-k2") for row in body["plan"]["timetable"])


@pytest.mark.django_db
def test_an_empty_food_list_counts_the_other_foods_allowance_and_says_so(client):
    body = ask(client, age=55, sex="female")
    assert body["calcium"]["other_foods_mg"] == 250 and body["calcium"]["diet_mg"] == 250
    assert body["plan"]["calcium_supplement_mg"] == 950  # not 1,200: the allowance counts
    assert "no-foods-listed" in [w["code"] for w in body["warnings"]]
    page = client.get("/calculator/", {"age": 55, "sex": "female"}).content.decode()
    assert page.index("No foods listed") < page.index(">Your day<")
    assert ask(client, age=55, sex="female", other_foods_mg=600)["calcium"]["diet_mg"] == 600


@pytest.mark.django_db
def test_vitamin_d_already_taken_limits_vitamin_d_products_and_warns_above_the_limit(client):
    body = ask(client, age=60, sex="female", supplements={"vitamin_d_iu": 3800})
    assert body["vitamin_d"]["room_iu"] == 200
    catalogue = {o.slug: o for o in panel.get_catalogue().offers}
    for rec in body["recommendations"]:
        vitamin_d = catalogue[rec["slug"]].ingredient("vitamin-d")
        assert vitamin_d is None or vitamin_d.amount <= 200
    over = ask(client, age=60, sex="female", supplements={"vitamin_d_iu": 5000})
    assert over["warnings"][0]["code"] == "vitamin-d-above-upper-limit"
    assert not any(catalogue[rec["slug"]].ingredient("vitamin-d") for rec in over["recommendations"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("age", "sex", "goal_mcg"),
    [(60, "female", 180), (51, "female", 180), (50, "female", None), (60, "male", None)],
    ids=["woman-60", "woman-51", "woman-50", "man-60"],
)
def test_k2_amount_only_for_women_after_the_menopause_with_the_bone_goal(client, age, sex, goal_mcg):
    body = ask(client, age=age, sex=sex, goal="bone_health")
    assert body["vitamin_k"]["k2_goal_mcg"] == goal_mcg
    assert body["plan"]["k2_mcg"] == (goal_mcg or 0)
    if goal_mcg is None:
        assert any("evidence is thin" in note for note in body["plan"]["notes"])


@pytest.mark.django_db
@pytest.mark.parametrize("medicine", ["lithium", "digoxin"])
def test_lithium_and_digoxin_have_sourced_cautions(client, medicine):
    body = ask(client, age=60, sex="female", medications=[medicine])
    warning = next(w for w in body["warnings"] if w["code"] == medicine)
    assert warning["severity"] == "caution" and "calcium" in warning["message"]
    assert any("medsafe" in s["url"] or "medicines.org.uk" in s["url"] for s in body["sources"])


@pytest.mark.django_db
def test_the_article_panel_leads_without_k2_and_says_who_must_not_take_it(client):
    response = client.get("/recommendations/panel/", {"article": "calcium-and-vitamin-k2-bone-health-combination"})
    html = response.content.decode()
    items = html.split('class="rec-item"')[1:]
    with_k2 = ["vitamin K2" in item.split("rec-item__amounts")[1].split("</dd>")[0] for item in items]
    assert with_k2 == sorted(with_k2)  # products without K2 first
    for item, has_k2 in zip(items, with_k2, strict=True):
        assert ("Not for everyone" in item) == has_k2
        if has_k2:
            assert "Warfarin" in item and "pregnant" in item and "breastfeeding" in item


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"other_foods_mg": -1}, "other_foods_mg"),
        ({"other_foods_mg": 1501}, "other_foods_mg"),
        ({"other_foods_mg": "lots"}, "other_foods_mg"),
        ({"supplements": {"vitamin_d_iu": 10001}}, "supplements.vitamin_d_iu"),
        ({"supplements": {"vitamin_d_iu": "1000 IU"}}, "supplements.vitamin_d_iu"),
        ({"supplements": {"vitamin_d_iu": -5}}, "supplements.vitamin_d_iu"),
    ],
)
def test_bad_values_in_the_new_fields_are_field_errors(client, body, field):
    response = client.post("/api/intake/", {"age": 60, "sex": "female", **body}, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()["errors"]


@pytest.mark.django_db
def test_the_results_page_shows_the_new_inputs_and_no_bone_goal_marker(client):
    answers = {"age": 60, "sex": "female", "goal": "bone_health", "vitamin_d_iu": 1000, "other_foods_mg": 300}
    page = client.get("/calculator/", answers).content.decode()
    edit = client.get("/calculator/edit/", answers).content.decode()
    assert 'name="vitamin_d_iu"' in edit and 'value="1000"' in edit
    assert 'name="other_foods_mg"' in edit and 'value="300"' in edit
    assert "Foods not on the list (allowance): 300 mg calcium" in page
    assert "bone goal" not in page


def test_needs_never_allow_a_blocked_nutrient(reference, catalogue):
    result = intake.compute(
        profile=intake.Profile(age=30, sex="female", life_stage="pregnant", goal="bone_health"), reference=reference
    )
    needs = panel.needs_for_result(catalogue=catalogue, result=result)
    assert "vitamin-k2" in needs.blocked and "vitamin-k2" not in needs.allowed
    assert needs.max_per_serving["calcium"] == Decimal(500)


@pytest.mark.django_db
def test_products_follow_the_plan_when_it_replaces_the_current_supplement(client):
    # Food and 600 mg of supplement meet the target, but the medicines leave one meal free: the plan replaces the
    # supplement with one 500 mg dose, and the products offer that dose, never more than the room under the limit.
    body = ask(
        client,
        age=68,
        sex="female",
        foods={"milk": 1},
        supplements={"calcium_mg": 600},
        medications=["bisphosphonates", "levothyroxine", "iron-supplements"],
    )
    assert body["plan"]["calcium_supplement_mg"] == 500
    catalogue = {o.slug: o for o in panel.get_catalogue().offers}
    calcium = [
        catalogue[r["slug"]].ingredient("calcium") for r in body["recommendations"] if "calcium" in r["nutrients"]
    ]
    assert calcium and all(ingredient.amount <= 500 for ingredient in calcium)
    assert "your plan suggests" in body["recommendations"][0]["reason"]
