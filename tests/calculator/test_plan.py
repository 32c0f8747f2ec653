"""The plan's timetable through the API and the form: how often a medicine is taken (from its data), the note when
the scheduler moves a medicine from its usual time, gaps worded exactly as the spacing data, and K2 as optional."""

import dataclasses
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculator import intake, plan, services
from calculator.forms import IntakeForm
from calculator.models import Caution, Medication, Spacing
from tests.calculator.test_plan_products import people

pytestmark = pytest.mark.django_db

WOMAN = {"age": 62, "sex": "female", "goal": "bone_health", "foods": {"milk": 1, "yogurt": 1}}


def post(client, **answers):
    response = client.post("/api/intake/", json.dumps({**WOMAN, **answers}), content_type="application/json")
    return response.status_code, response.json()


def rows(body, slug):
    return [row for row in body["plan"]["timetable"] if row["slug"] == slug]


def test_a_weekly_bisphosphonate_through_the_api(client):
    status, body = post(
        client,
        medications=["bisphosphonates"],
        frequencies={"bisphosphonates": "weekly"},
    )
    assert status == 200, body
    [row] = rows(body, "bisphosphonates")
    assert row["frequency"] == "weekly" and "once a week, on the same morning" in row["detail"]
    notes = body["plan"]["notes"]
    assert any("once a week" in note and "on the other days leave that row out" in note for note in notes)
    others = [r for r in body["plan"]["timetable"] if r["slug"] != "bisphosphonates"]
    assert others and all(r["frequency"] == "daily" for r in others)
    status, daily = post(client, medications=["bisphosphonates"])
    assert rows(daily, "bisphosphonates")[0]["frequency"] == "daily"
    assert not any("once a week" in note for note in daily["plan"]["notes"])


@pytest.mark.parametrize(
    ("frequencies", "field"),
    [
        ({"levothyroxine": "weekly"}, "frequencies.levothyroxine"),  # its data allows daily only
        ({"bisphosphonates": "yearly"}, "frequencies.bisphosphonates"),
        ({"bisphosphonates": 7}, "frequencies.bisphosphonates"),
        ({"aspirin": "weekly"}, "frequencies"),
        (["weekly"], "frequencies"),
    ],
    ids=["daily-only", "unknown-value", "not-a-string", "unknown-medication", "not-an-object"],
)
def test_a_frequency_the_data_does_not_allow_is_a_400_on_that_field(client, frequencies, field):
    status, body = post(client, medications=["bisphosphonates", "levothyroxine"], frequencies=frequencies)
    assert status == 400 and field in body["errors"], body


def test_the_frequency_follows_the_medications_data(client):
    medication = Medication.objects.get(slug="bisphosphonates")
    medication.may_be_monthly = False
    medication.save()  # as an editor would
    status, body = post(client, medications=["bisphosphonates"], frequencies={"bisphosphonates": "monthly"})
    assert status == 400 and "frequencies.bisphosphonates" in body["errors"]
    options = client.get("/api/intake/options/").json()["medications"]
    assert next(m for m in options if m["slug"] == "bisphosphonates")["frequencies"] == ["daily", "weekly"]


def test_a_weekly_bisphosphonate_through_the_form():
    reference = services.get_reference()
    data = {"age": "62", "sex": "female", "medications": ["bisphosphonates"], "frequency_bisphosphonates": "weekly"}
    form = IntakeForm(data, reference=reference)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["frequency_bisphosphonates"] == "weekly"
    assert form.to_profile().frequencies == {"bisphosphonates": "weekly"}
    fields = dict(form.frequency_fields())
    assert set(fields) == {"bisphosphonates", "risedronate-delayed-release"}  # the medicines whose data allow it
    html = fields["bisphosphonates"].as_field_group()  # Django's own rendering, no JavaScript needed
    assert "<select" in html and re.search(r'value="weekly" selected', html)
    assert "Once a month" in html and "How often do you take bisphosphonates (alendronate" in html
    result = services.calculate(profile=form.to_profile(), reference=reference)
    [row] = [row for row in result.plan.timetable if row.slug == "bisphosphonates"]
    assert row.frequency == "weekly" and "once a week" in row.detail
    refused = IntakeForm({**data, "frequency_bisphosphonates": "yearly"}, reference=reference)
    assert not refused.is_valid() and "frequency_bisphosphonates" in refused.errors


def test_levothyroxine_moved_to_bedtime_says_why_and_to_ask_first(client):
    status, body = post(client, medications=["levothyroxine", "bisphosphonates"])
    [row] = rows(body, "levothyroxine")
    assert row["time"] == "22:00"
    [note] = [note for note in body["plan"]["notes"] if note.startswith("Levothyroxine")]
    assert "at bedtime rather than on waking" in note and "bisphosphonates" in note
    assert "before asking your doctor or pharmacist" in note
    status, alone = post(client, medications=["levothyroxine"])
    assert rows(alone, "levothyroxine")[0]["time"] == "07:00"
    assert not any("rather than" in note for note in alone["plan"]["notes"])


def words(hours):
    minutes = round(float(hours) * 60)
    if minutes < 120:
        return f"{minutes} minutes"
    whole = minutes / 60
    return f"{int(whole) if whole.is_integer() else whole} hour" + ("" if whole == 1 else "s")


@pytest.mark.parametrize("slug", ["bisphosphonates", "levothyroxine", "fluoroquinolones", "tetracyclines"])
def test_the_gaps_in_the_timetable_are_the_spacing_datas_and_the_cautions(client, slug):
    status, body = post(client, age=60, foods={}, medications=[slug])
    [row] = rows(body, slug)
    messages = " ".join(Caution.objects.filter(medication__slug=slug).values_list("message", flat=True))
    spacings = Spacing.objects.filter(medication__slug=slug, other_medication__isnull=True)
    assert spacings
    for spacing in spacings:
        for hours in (spacing.hours_before, spacing.hours_after):
            if hours is None:
                continue
            assert f"at least {words(hours)}" in row["detail"] or f"or {words(hours)} after" in row["detail"]
            number = words(hours).split()[0]
            assert re.search(rf"\b{number}\b", messages), f"the caution does not give {words(hours)}"
    assert "1 hour" not in row["detail"]


def test_k2_is_optional_in_the_timetable_and_the_note(client):
    status, body = post(client)
    [row] = [row for row in body["plan"]["timetable"] if row["kind"] == "vitamin-k2"]
    assert row["optional"] is True and "(optional)" in row["what"]
    assert all(r["optional"] is False for r in body["plan"]["timetable"] if r["kind"] != "vitamin-k2")
    [note] = [note for note in body["plan"]["notes"] if "MK-7" in note]
    assert note.startswith("Optional") and "funded by a maker" in note
    assert "Mott" in note and "Binkley" in note and "no clear effect" in note
    assert "small or uncertain effects" in note  # the article's takeaway on K2's evidence


def test_the_openapi_document_describes_the_new_fields(client):
    schemas = client.get("/api/openapi.json").json()["components"]["schemas"]
    request = schemas["IntakeRequest"]["properties"]
    assert request["frequencies"]["additionalProperties"]["enum"] == ["daily", "weekly", "monthly"]
    result = schemas["IntakeResult"]["properties"]
    row = result["plan"]["properties"]["timetable"]["items"]
    assert {"frequency", "optional"} <= set(row["required"])
    assert row["properties"]["frequency"]["enum"] == ["daily", "weekly", "monthly"]
    recommendation = result["recommendations"]["items"]
    assert "per_serving" in recommendation["required"]
    assert recommendation["properties"]["per_serving"]["additionalProperties"] == {"type": "number"}


def test_an_editor_cannot_prefer_a_form_of_another_nutrient():
    from django.core.exceptions import ValidationError

    caution = Caution.objects.exclude(nutrient__slug="calcium").first()
    caution.prefers_form = "calcium-citrate"
    with pytest.raises(ValidationError, match="not a form of"):
        caution.full_clean()


def test_a_frequency_for_a_medicine_not_taken_is_a_400(client):
    status, body = post(client, medications=["levothyroxine"], frequencies={"bisphosphonates": "weekly"})
    assert status == 400 and "frequencies.bisphosphonates" in body["errors"]
    status, body = post(client, medications=["levothyroxine"], frequencies={"bisphosphonates": "daily"})
    assert status == 200


@settings(max_examples=150, deadline=None)
@given(profile=people(), both=st.booleans(), frequency=st.sampled_from(["daily", "weekly", "monthly"]))
def test_every_row_says_how_often_and_every_move_is_explained(profile, both, frequency):
    """Pure functions over random people: a medicine's row has the frequency asked for (its data allows every one
    the generator picks), every other row is daily, K2 is optional as its row says, and each medicine placed away
    from the first time its window allows has a note saying why."""
    if both:  # the pair that moves levothyroxine from waking to bedtime, often enough to be tested
        profile = dataclasses.replace(
            profile,
            medications=tuple(dict.fromkeys((*profile.medications, "levothyroxine", "bisphosphonates"))),
            frequencies={**profile.frequencies, "bisphosphonates": frequency},
        )
    reference = services.get_reference()
    result = intake.compute(profile=profile, reference=reference)
    for row in result.plan.timetable:
        expected = profile.frequencies.get(row.slug, "daily") if row.kind == "medication" else "daily"
        assert row.frequency == expected
        assert row.optional == (row.kind in reference.optional_nutrients)
    moved = [
        row
        for row in result.plan.timetable
        if row.kind == "medication"
        and reference.medication(row.slug).time_window != "any"
        and row.slot != plan.WINDOW_SLOTS[reference.medication(row.slug).time_window][0].code
    ]
    notes = [note for note in result.plan.notes if note.code == "medicine-moved"]
    assert sorted(note.params["name"] for note in notes) == sorted(row.name for row in moved)
    weekly_or_monthly = {row.name for row in result.plan.timetable if row.frequency != "daily"}
    assert {n.params["name"] for n in result.plan.notes if n.code == "medicine-frequency"} == weekly_or_monthly
