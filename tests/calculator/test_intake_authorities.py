"""Several authorities: the EU (EFSA) and UK tables beside the US ones.

Expected values are typed from each opinion's own tables, not from the code or the migration:
EFSA calcium PRIs (EFSA Journal 2015;13(5):4101: 1-3 y 450, 4-10 y 800, 11-17 y 1,150, 18-24 y 1,000, 25 y and over
950 mg, the same in pregnancy and lactation) and UL (EFSA 2012: 2,500 mg for adults, none for children); EFSA vitamin
K AIs (2017: 12, 20, 30, 45, 65, adults 70 mcg); EFSA magnesium AIs (2015: 1 to <3 y 170, 3 to <10 y 230, 10 to <18 y
300 boys / 250 girls, adults 350 / 300 mg; UL for supplemental magnesium 250 mg from age 4); EFSA vitamin D AI 15 mcg
(600 IU) and UL (2012: 50 mcg = 2,000 IU for 1-10 y, 100 mcg = 4,000 IU from 11); UK calcium RNIs (COMA 1991: 1-3 y
350, 4-6 y 450, 7-10 y 550, 11-18 y boys 1,000 / girls 800, adults 700 mg, lactation +550 mg, pregnancy no increment);
UK vitamin D (SACN 2016: 10 mcg = 400 IU from age 1); the UK's other figures (NHS pages, issue 26): calcium
supplements of 1,500 mg a day or less unlikely to cause harm (EVM guidance level, adults), vitamin D no more than
100 mcg (4,000 IU) a day from age 11 and 50 mcg (2,000 IU) from 1 to 10, vitamin K 1 mcg per kg of body weight for
adults (COMA 1991), magnesium 300 mg men / 270 mg women with a 400 mg guidance level for supplements.
US values: tests/calculator/test_intake.py.
"""

import re
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError

from calculator import intake
from calculator.models import IntakeGuideline, Nutrient
from calculator.reference import AUTHORITIES
from calculator.restrictions import restrict


def compared(result, authority):
    return next(row for row in result.guidelines_compared if row.guideline == authority)


# EFSA calcium at its group edges: (age, sex, stage) -> (PRI, EFSA's own UL, the UL an answer applies: the stricter
# of EFSA's and the US one).
EU_CALCIUM = [
    (1, "male", "none", 450, None, 2500),
    (3, "female", "none", 450, None, 2500),
    (4, "male", "none", 800, None, 2500),
    (10, "female", "none", 800, None, 3000),
    (11, "male", "none", 1150, None, 3000),
    (17, "female", "none", 1150, None, 3000),
    (18, "male", "none", 1000, 2500, 2500),
    (24, "female", "none", 1000, 2500, 2500),
    (25, "male", "none", 950, 2500, 2500),
    (60, "female", "none", 950, 2500, 2000),
    (90, "male", "none", 950, 2500, 2000),
    (17, "female", "pregnant", 1150, None, 3000),
    (18, "female", "pregnant", 1000, 2500, 2500),
    (24, "female", "lactating", 1000, 2500, 2500),
    (25, "female", "lactating", 950, 2500, 2500),
    (50, "female", "pregnant", 950, 2500, 2500),
]


@pytest.mark.parametrize(("age", "sex", "stage", "pri", "efsa_ul", "applied_ul"), EU_CALCIUM)
def test_efsa_calcium_at_the_group_edges(run, age, sex, stage, pri, efsa_ul, applied_ul):
    result = run(age=age, sex=sex, life_stage=stage, guideline="eu")
    assert (result.calcium.target_mg, result.calcium.kind, result.calcium.guideline) == (pri, "PRI", "eu")
    assert result.calcium.upper_limit_mg == applied_ul
    assert compared(result, "eu").calcium_target_mg == pri
    assert compared(result, "eu").calcium_upper_limit_mg == efsa_ul


# (age, sex, stage) -> (vitamin K AI, magnesium AI, magnesium supplement UL applied, vitamin D UL applied in IU)
EU_OTHERS = [
    (1, "female", "none", 12, 170, 65, 2000),
    (2, "male", "none", 12, 170, 65, 2000),
    (3, "female", "none", 12, 230, 65, 2000),
    (4, "male", "none", 20, 230, 110, 2000),
    (6, "female", "none", 20, 230, 110, 2000),
    (7, "male", "none", 30, 230, 110, 2000),
    (9, "female", "none", 30, 230, 250, 2000),
    (10, "male", "none", 30, 300, 250, 2000),
    (10, "female", "none", 30, 250, 250, 2000),
    (11, "male", "none", 45, 300, 250, 4000),
    (14, "female", "none", 45, 250, 250, 4000),
    (15, "male", "none", 65, 300, 250, 4000),
    (17, "female", "none", 65, 250, 250, 4000),
    (18, "male", "none", 70, 350, 250, 4000),
    (18, "female", "none", 70, 300, 250, 4000),
    (80, "female", "none", 70, 300, 250, 4000),
    (16, "female", "pregnant", 65, 250, 250, 4000),
    (30, "female", "pregnant", 70, 300, 250, 4000),
    (30, "female", "lactating", 70, 300, 250, 4000),
]


@pytest.mark.parametrize(("age", "sex", "stage", "vitamin_k", "magnesium", "mg_ul", "d_ul"), EU_OTHERS)
def test_efsa_vitamin_k_magnesium_and_vitamin_d(run, age, sex, stage, vitamin_k, magnesium, mg_ul, d_ul):
    result = run(age=age, sex=sex, life_stage=stage, guideline="eu")
    assert (result.vitamin_k.adequate_intake_mcg, result.vitamin_k.guideline) == (vitamin_k, "eu")
    assert (result.magnesium.target, result.magnesium.upper_limit) == (magnesium, mg_ul)
    assert (result.vitamin_d.target_iu, result.vitamin_d.upper_limit_iu) == (600, d_ul)
    assert result.restrictions.vitamin_d_room_iu == d_ul  # the restrictions step uses the same stricter limit


# UK calcium: boys and girls 11-18, the lactation increment, no increment in pregnancy.
UK_CALCIUM = [
    (3, "female", "none", 350),
    (4, "male", "none", 450),
    (6, "female", "none", 450),
    (7, "male", "none", 550),
    (10, "female", "none", 550),
    (11, "male", "none", 1000),
    (11, "female", "none", 800),
    (18, "male", "none", 1000),
    (18, "female", "none", 800),
    (19, "male", "none", 700),
    (19, "female", "none", 700),
    (60, "female", "none", 700),
    (17, "female", "pregnant", 800),
    (30, "female", "pregnant", 700),
    (14, "female", "lactating", 1350),
    (18, "female", "lactating", 1350),
    (19, "female", "lactating", 1250),
    (50, "female", "lactating", 1250),
]


@pytest.mark.parametrize(("age", "sex", "stage", "rni"), UK_CALCIUM)
def test_uk_calcium_reference_nutrient_intakes(run, age, sex, stage, rni):
    result = run(age=age, sex=sex, life_stage=stage, guideline="uk")
    assert (result.calcium.target_mg, result.calcium.kind, result.calcium.guideline) == (rni, "RNI", "uk")
    uk = compared(result, "uk")
    assert uk.calcium_target_mg == rni
    us_limit = compared(result, "us").calcium_upper_limit_mg
    # The UK sets no upper limit for all intake: the US one applies, marked as the US one.
    assert result.calcium.upper_limit_mg == us_limit and result.calcium.limit_guideline == "us"
    if age >= 19:
        # Its own figure is a guidance level for supplements, shown as that kind of figure, never as an upper limit.
        assert (uk.calcium_upper_limit_mg, uk.calcium_limit_scope, uk.calcium_limit_kind) == (1500, "supplements", "GL")
        assert (result.calcium.supplement_limit_mg, result.calcium.supplement_limit_guideline) == (1500, "uk")
        assert result.calcium.supplement_limit_kind == "GL" and "guidance level" in result.calcium.note
    else:
        assert uk.calcium_upper_limit_mg is None and result.calcium.supplement_limit_mg is None
        assert "The UK sets no upper limit for calcium." in uk.notes


@pytest.mark.parametrize(
    ("age", "kind", "d_limit", "per_kg"),
    [
        (1, "SI", 2000, None),
        (3, "SI", 2000, None),
        (4, "RNI", 2000, None),
        (10, "RNI", 2000, None),
        (11, "RNI", 4000, None),
        (18, "RNI", 4000, None),
        (19, "RNI", 4000, 1.0),
        (70, "RNI", 4000, 1.0),
    ],
)
def test_uk_vitamin_d_advice_and_vitamin_k_per_kg(run, age, kind, d_limit, per_kg):
    result = run(age=age, sex="female", guideline="uk")
    assert (result.vitamin_d.target_iu, result.vitamin_d.kind, result.vitamin_d.guideline) == (400, kind, "uk")
    uk = compared(result, "uk")
    assert (uk.vitamin_d_upper_limit_iu, uk.vitamin_d_limit_kind) == (d_limit, "advice")
    # The NHS figure is never looser than the US one here, so it is the one applied, and says it is the UK's.
    assert (result.vitamin_d.upper_limit_iu, result.vitamin_d.limit_guideline) == (d_limit, "uk")
    assert uk.vitamin_k_mcg is None and uk.vitamin_k_per_kg_mcg == per_kg
    # Without a weight the answer needs an amount: the US one, marked as the US one, with the UK's rule beside it.
    assert result.vitamin_k.guideline == "us"
    assert result.vitamin_k.adequate_intake_mcg == compared(result, "us").vitamin_k_mcg
    assert "vitamin-k2" in result.guideline_fallbacks
    assert result.vitamin_k.per_kg_mcg == per_kg
    if per_kg:
        assert "1 mcg per kg of body weight a day: 65 mcg at 65 kg" in result.vitamin_k.note
        weighed = run(age=age, sex="female", guideline="uk", weight_kg=72.5)
        assert (weighed.vitamin_k.adequate_intake_mcg, weighed.vitamin_k.guideline) == (72, "uk")
        assert weighed.vitamin_k.kind == "SI" and compared(weighed, "uk").vitamin_k_mcg == 72
        assert "vitamin-k2" not in weighed.guideline_fallbacks
    else:
        assert "is given for adults; none is set for ages 1 to 18" in result.vitamin_k.note


def test_the_issues_woman_of_60_side_by_side(run):
    result = run(age=60, sex="female")
    rows = {row.guideline: row for row in result.guidelines_compared}
    assert [row.guideline for row in result.guidelines_compared] == list(AUTHORITIES)
    assert {g: rows[g].calcium_target_mg for g in rows} == {"us": 1200, "eu": 950, "uk": 700}
    assert {g: rows[g].calcium_upper_limit_mg for g in rows} == {"us": 2000, "eu": 2500, "uk": 1500}
    assert {g: rows[g].calcium_limit_kind for g in rows} == {"us": "UL", "eu": "UL", "uk": "GL"}
    assert {g: rows[g].vitamin_k_mcg for g in rows} == {"us": 90, "eu": 70, "uk": None}
    assert {g: rows[g].vitamin_k_per_kg_mcg for g in rows} == {"us": None, "eu": None, "uk": 1.0}
    assert {g: rows[g].vitamin_k_k1_only for g in rows} == {"us": False, "eu": True, "uk": False}
    assert {g: rows[g].magnesium_mg for g in rows} == {"us": 320, "eu": 300, "uk": 270}
    assert {g: rows[g].vitamin_d_iu for g in rows} == {"us": 600, "eu": 600, "uk": 400}
    assert rows["us"].chosen and not rows["eu"].chosen
    assert all(row.sources for row in rows.values())


def test_the_us_default_is_unchanged(run):
    default, chosen = run(age=60, sex="female"), run(age=60, sex="female", guideline="us")
    assert default.calcium == chosen.calcium and default.plan == chosen.plan
    assert default.calcium.target_mg == 1200 and default.guideline_fallbacks == ()


def test_a_lower_target_plans_less_calcium_but_never_past_the_us_limit(run):
    us = run(age=60, sex="female", other_foods_mg=0, guideline="us")
    eu = run(age=60, sex="female", other_foods_mg=0, guideline="eu")
    uk = run(age=60, sex="female", other_foods_mg=0, guideline="uk")
    assert us.plan.calcium_supplement_mg > eu.plan.calcium_supplement_mg > uk.plan.calcium_supplement_mg > 0
    assert (us.calcium.gap_mg, eu.calcium.gap_mg, uk.calcium.gap_mg) == (1200, 950, 700)
    high = run(age=60, sex="female", other_foods_mg=1500, foods={"yogurt": 1.5}, guideline="eu")
    assert high.calcium.status == "above_upper_limit"  # 2,172 mg: within EFSA's 2,500 but past the US 2,000
    assert high.plan.calcium_doses == ()


def test_the_restrictions_step_uses_the_stricter_vitamin_d_limit(reference):
    child = {"age": 9, "sex": "male", "vitamin_d_supplement_iu": 500}
    assert restrict(profile=intake.Profile(**child), reference=reference).vitamin_d_room_iu == 3500
    assert restrict(profile=intake.Profile(**child, guideline="eu"), reference=reference).vitamin_d_room_iu == 1500


def test_as_dict_carries_the_guideline_and_the_comparison(run):
    body = intake.as_dict(run(age=60, sex="female", guideline="eu"))
    assert body["guideline"] == "eu"
    assert body["calcium"]["guideline"] == "eu" and body["calcium"]["upper_limit_guideline"] == "us"
    rows = {row["guideline"]: row for row in body["guidelines_compared"]}
    assert rows["eu"]["calcium_target_mg"] == 950 and rows["eu"]["calcium_upper_limit_mg"] == 2500
    assert rows["uk"]["calcium_upper_limit_mg"] == 1500 and rows["uk"]["calcium_upper_limit_kind"] == "GL"
    assert rows["uk"]["calcium_upper_limit_scope"] == "supplements"
    assert rows["uk"]["vitamin_k_mcg"] is None and rows["uk"]["vitamin_k_per_kg_mcg"] == 1.0
    assert rows["eu"]["source"] and rows["eu"]["sources"][0]["url"].startswith("https://")


# -- the data and the model rules --------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("authority", "slug"),
    [
        (a, s)
        for a in ("eu", "uk")
        for s in ("calcium", "vitamin-k2", "magnesium", "vitamin-d")
        if (a, s) != ("uk", "magnesium")
    ],
)
@pytest.mark.parametrize("sex", ["female", "male"])
def test_eu_and_uk_rows_cover_every_age_exactly_once(authority, slug, sex):
    bands = IntakeGuideline.objects.filter(
        authority=authority, nutrient__slug=slug, life_stage="none", sex__in=[sex, "any"]
    )
    for age in range(1, 121):
        matching = [b for b in bands if b.age_min <= age and (b.age_max is None or age <= b.age_max)]
        assert len(matching) == 1, (authority, slug, sex, age, matching)


@pytest.mark.django_db
def test_every_eu_and_uk_row_is_cited_and_every_empty_amount_says_why():
    rows = IntakeGuideline.objects.exclude(authority="us")
    assert rows.filter(authority="eu").exists() and rows.filter(authority="uk").exists()
    for row in rows:
        assert row.source_title.strip() and row.source_url.startswith("https://"), row
        if row.target is None:
            assert row.note.strip(), row
        row.full_clean()  # every shipped row passes the model's own rules


@pytest.mark.django_db
def test_overlap_is_checked_within_one_authority_only():
    calcium = Nutrient.objects.get(slug="calcium")
    eu_row = IntakeGuideline(authority="eu", nutrient=calcium, sex="female", age_min=30, age_max=40, target=900)
    with pytest.raises(ValidationError, match="overlap"):
        eu_row.full_clean()  # EFSA's 25+ band already covers these ages
    IntakeGuideline.objects.filter(authority="eu", nutrient=calcium, life_stage="none", age_min=25).delete()
    eu_row.full_clean()  # the US band for the same people is another authority's: no clash


@pytest.mark.django_db
def test_a_target_above_the_us_upper_limit_or_an_empty_amount_without_a_note_is_refused():
    calcium = Nutrient.objects.get(slug="calcium")
    IntakeGuideline.objects.filter(authority="eu", nutrient=calcium, life_stage="none", age_min=25).delete()
    too_high = IntakeGuideline(authority="eu", nutrient=calcium, age_min=60, age_max=70, target=2100, kind="PRI")
    with pytest.raises(ValidationError) as error:
        too_high.full_clean()
    assert "target" in error.value.message_dict
    silent = IntakeGuideline(authority="eu", nutrient=calcium, age_min=60, age_max=70, target=None)
    with pytest.raises(ValidationError) as error:
        silent.full_clean()
    assert "note" in error.value.message_dict


@pytest.mark.django_db
def test_the_data_migration_keeps_an_editors_changes_and_its_reverse_removes_only_its_rows():
    import importlib

    migration = importlib.import_module("calculator.migrations.0010_eu_uk_guidelines")
    row = IntakeGuideline.objects.get(authority="eu", nutrient__slug="calcium", age_min=25, life_stage="none")
    row.target = Decimal("1000")
    row.save()
    IntakeGuideline.objects.filter(authority="uk", nutrient__slug="vitamin-d").delete()
    migration.create_missing(django_apps, None)
    assert IntakeGuideline.objects.get(pk=row.pk).target == Decimal("1000")
    assert IntakeGuideline.objects.filter(authority="uk", nutrient__slug="vitamin-d").count() == 2
    us_rows = IntakeGuideline.objects.filter(authority="us").count()
    migration.remove(django_apps, None)
    left = IntakeGuideline.objects.exclude(authority="us")
    assert not any(left.filter(**migration._key(row)).exists() for row in migration.GUIDELINES)
    assert IntakeGuideline.objects.filter(authority="us").count() == us_rows


# -- form, API, options, OpenAPI, page, article ------------------------------------------------------------------


def post(client, body):
    return client.post("/api/intake/", body, content_type="application/json")


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["fr", "EU", 3, None, ["eu"]])
def test_a_bad_guideline_is_a_field_error(client, bad):
    response = post(client, {"age": 60, "sex": "female", "guideline": bad})
    assert response.status_code == 400
    assert "guideline" in response.json()["errors"]


@pytest.mark.django_db
@pytest.mark.parametrize(("guideline", "target", "limit"), [("us", 1200, 2000), ("eu", 950, 2000), ("uk", 700, 2000)])
def test_the_api_follows_the_chosen_guideline(client, guideline, target, limit):
    body = post(client, {"age": 60, "sex": "female", "guideline": guideline}).json()
    assert body["guideline"] == guideline
    assert (body["calcium"]["target_mg"], body["calcium"]["upper_limit_mg"]) == (target, limit)
    assert body["calcium"]["gap_mg"] == target - 250
    assert [row["guideline"] for row in body["guidelines_compared"]] == ["us", "eu", "uk"]
    # The cached answer for one guideline is never replayed for another.
    again = post(client, {"age": 60, "sex": "female", "guideline": "us"}).json()
    assert again["calcium"]["target_mg"] == 1200


@pytest.mark.django_db
def test_options_list_the_guidelines_with_names_and_sources(client):
    guidelines = client.get("/api/intake/options/").json()["guidelines"]
    assert [g["slug"] for g in guidelines] == ["us", "eu", "uk"]
    assert [g["default"] for g in guidelines] == [True, False, False]
    for guideline in guidelines:
        assert guideline["name"] and guideline["sources"], guideline
    titles = " ".join(s["title"] for s in guidelines[1]["sources"])
    assert "EFSA Journal 13(5):4101" in titles and "2814" in titles


@pytest.mark.django_db
def test_openapi_describes_the_guideline(client):
    schemas = client.get("/api/openapi.json").json()["components"]["schemas"]
    assert schemas["IntakeRequest"]["properties"]["guideline"]["enum"] == ["us", "eu", "uk"]
    assert "guidelines_compared" in schemas["IntakeResult"]["required"]


@pytest.mark.django_db
def test_the_results_page_has_the_choice_and_the_side_by_side_table(client):
    response = client.get("/calculator/", {"age": 60, "sex": "female", "guideline": "uk"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<dt>Tables used</dt><dd>UK" in html
    edit = client.get("/calculator/edit/", {"age": 60, "sex": "female", "guideline": "uk"}).content.decode()
    assert re.search(r'name="guideline" value="uk"[^>]*checked', edit)
    assert 'id="guidelines-compared"' in html
    assert "700 mg (RNI)" in html and "950 mg (PRI)" in html and "1,200 mg (RDA)" in html
    assert "1 mcg per kg of body weight a day: 65 mcg at 65 kg" in html
    assert "Why they differ" in html
    bad = client.get("/calculator/", {"age": 60, "sex": "female", "guideline": "fr"})
    assert bad.status_code == 200 and "Select a valid choice" in bad.content.decode()


@pytest.mark.django_db
def test_the_live_article_table_shows_the_three_authorities_for_adults():
    from articles.tables import render_live_table

    html = render_live_table("guidelines-compared")
    assert "US National Academies" in html and "EFSA" in html and "UK Department of Health" in html
    assert "1,200 mg (RDA)" in html and "950 mg (PRI)" in html and "700 mg (RNI)" in html
    assert "Not set" in html and "doi.org/10.2903/j.efsa.2015.4101" in html
    # The single-authority tables stay the US ones.
    assert "PRI" not in render_live_table("calcium-guidelines")


@pytest.mark.django_db
def test_the_launch_article_shows_the_side_by_side_table_and_follows_an_edit(client):
    from articles.models import Article

    url = "/blog/calcium-and-vitamin-k2-bone-health-combination/"
    article = Article.objects.get(slug="calcium-and-vitamin-k2-bone-health-combination")
    assert "[[table:guidelines-compared]]" in article.body
    html = client.get(url).content.decode()
    assert "Daily amounts for adults in the US, EU and UK tables" in html
    assert "950 mg (PRI)" in html and "700 mg (RNI)" in html
    row = IntakeGuideline.objects.get(authority="uk", nutrient__slug="calcium", age_min=19, life_stage="none")
    row.target = Decimal("750")
    row.save()  # an editor's change reaches the article's table at once
    assert "750 mg (RNI)" in client.get(url).content.decode()


def test_a_snapshot_answers_every_band_lookup_as_a_fresh_snapshot_does(reference):
    """The snapshot remembers the band lookups it answered (reference.answered): over random people, in random order
    and asked again, each answer is the one a snapshot that remembers nothing gives, never another person's."""
    from dataclasses import replace
    from random import Random

    from calculator.reference import (
        CALCIUM,
        LIFE_STAGES,
        MAGNESIUM,
        SEXES,
        VITAMIN_D,
        VITAMIN_K2,
        MissingGuideline,
        effective_band,
        own_band,
    )

    rng = Random(20261203)
    people = [
        {
            "nutrient": rng.choice((CALCIUM, VITAMIN_K2, MAGNESIUM, VITAMIN_D)),
            "age": rng.randint(1, 120),
            "sex": rng.choice(SEXES),
            "life_stage": rng.choice(LIFE_STAGES),
            "authority": rng.choice(AUTHORITIES),
        }
        for _ in range(300)
    ]

    def answers(snapshot, lookup, person):
        try:
            return lookup(reference=snapshot, **person)
        except MissingGuideline:
            return "missing"

    remembered = replace(reference)
    for person in people + rng.sample(people, len(people)):
        for lookup in (effective_band, own_band):
            assert answers(remembered, lookup, person) == answers(replace(reference), lookup, person), person
    assert remembered.answered  # it did remember
