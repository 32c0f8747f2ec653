"""The JSON API: the contract in docs/api.md, every error shape, 400/405/413/415, never a 500."""

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

URL = "/api/intake/"
EXAMPLE = {
    "age": 55,
    "sex": "female",
    "life_stage": "none",
    "goal": "bone_health",
    "foods": {"milk": 1, "natto": 0.25},
    "other_foods_mg": 250,
    "supplements": {"calcium_mg": 500, "calcium_doses_per_day": 1, "vitamin_k2_mcg": 0, "vitamin_d_iu": 1000},
    "medications": ["levothyroxine"],
    "conditions": [],
}
CONTRACT = {
    "calcium": {"target_mg", "upper_limit_mg", "diet_mg", "supplement_mg", "total_mg", "gap_mg", "status"},
    "vitamin_k": {"adequate_intake_mcg", "k2_goal_mcg", "diet_k2_mcg", "supplement_k2_mcg"},
    "magnesium": {"target_mg"},
    "plan": {"calcium_doses", "k2_mcg", "k2_form", "notes"},
}


def post(client, body, **extra):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(URL, data, content_type=extra.pop("content_type", "application/json"), **extra)


def test_api_answers_the_design_example_with_every_contract_field(client):
    response = post(client, EXAMPLE)
    assert response.status_code == 200
    body = response.json()
    for section, fields in CONTRACT.items():
        assert fields <= set(body[section]), section
    assert body["calcium"] == {
        "guideline": "us",
        "upper_limit_guideline": "us",
        "upper_limit_kind": "UL",
        "supplement_limit_mg": None,
        "supplement_limit_guideline": None,
        "supplement_limit_kind": None,
        "note": "",
        "target_mg": 1200,
        "target_kind": "RDA",
        "upper_limit_mg": 2000,
        "diet_mg": 555,  # 305 from a cup of milk, 250 for foods not on the list
        "other_foods_mg": 250,
        "supplement_mg": 500,
        "total_mg": 1055,
        "gap_mg": 145,
        "status": "below_target",
    }
    assert body["vitamin_k"]["adequate_intake_mcg"] == 90 and body["vitamin_k"]["k2_goal_mcg"] == 180
    assert body["magnesium"]["target_mg"] == 320
    assert all(set(dose) == {"mg", "when", "time"} and dose["mg"] <= 500 for dose in body["plan"]["calcium_doses"])
    assert body["vitamin_d"]["supplement_iu"] == 1000 and body["vitamin_d"]["room_iu"] == 3000
    timetable = body["plan"]["timetable"]
    assert all({"time", "kind", "slug", "what", "detail", "frequency", "optional"} == set(row) for row in timetable)
    assert all(row["frequency"] == "daily" for row in timetable)
    assert body["plan"]["k2_form"] == "MK-7"
    assert body["warnings"][0]["code"] == "levothyroxine"
    assert set(body["warnings"][0]) == {"code", "severity", "message"}
    assert isinstance(body["recommendations"], list)
    assert all({"slug", "name", "nutrients", "per_serving", "reason"} <= set(item) for item in body["recommendations"])
    assert all(set(item["per_serving"]) == set(item["nutrients"]) for item in body["recommendations"])
    assert body["sources"] and all(set(s) == {"title", "url"} for s in body["sources"])
    assert not response.cookies


def test_api_only_age_and_sex_are_required(client):
    response = post(client, {"age": 30, "sex": "male"})
    assert response.status_code == 200
    assert response.json()["calcium"]["target_mg"] == 1000


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"sex": "female"}, "age"),
        ({"age": 30}, "sex"),
        ({"age": 0, "sex": "female"}, "age"),
        ({"age": 121, "sex": "female"}, "age"),
        ({"age": 30.5, "sex": "female"}, "age"),
        ({"age": "30", "sex": "female"}, "age"),
        ({"age": True, "sex": "female"}, "age"),
        ({"age": 30, "sex": "other"}, "sex"),
        ({"age": 30, "sex": 1}, "sex"),
        ({"age": 30, "sex": "female", "goal": "muscles"}, "goal"),
        ({"age": 40, "sex": "male", "life_stage": "pregnant"}, "life_stage"),
        ({"age": 60, "sex": "female", "life_stage": "pregnant"}, "life_stage"),
        ({"age": 30, "sex": "female", "foods": {"pizza": 1}}, "foods"),
        ({"age": 30, "sex": "female", "foods": {"milk": 21}}, "foods.milk"),
        ({"age": 30, "sex": "female", "foods": {"milk": -1}}, "foods.milk"),
        ({"age": 30, "sex": "female", "foods": {"milk": "one"}}, "foods.milk"),
        ({"age": 30, "sex": "female", "foods": [1]}, "foods"),
        ({"age": 30, "sex": "female", "supplements": {"calcium_mg": 5001}}, "supplements.calcium_mg"),
        (
            {"age": 30, "sex": "female", "supplements": {"calcium_doses_per_day": 0}},
            "supplements.calcium_doses_per_day",
        ),
        ({"age": 30, "sex": "female", "supplements": {"vitamin_k2_mcg": 50001}}, "supplements.vitamin_k2_mcg"),
        ({"age": 30, "sex": "female", "supplements": {"zinc": 1}}, "supplements"),
        ({"age": 30, "sex": "female", "supplements": 5}, "supplements"),
        ({"age": 30, "sex": "female", "medications": ["aspirin"]}, "medications"),
        ({"age": 30, "sex": "female", "medications": "warfarin"}, "medications"),
        ({"age": 30, "sex": "female", "conditions": ["flu"]}, "conditions"),
        ({"age": 30, "sex": "female", "colour": "blue"}, "colour"),
        ([1, 2], "body"),
        ("null", "body"),
    ],
    ids=lambda value: None,
)
def test_api_bad_input_is_a_400_with_field_errors(client, body, field):
    response = post(client, body)
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert field in errors
    assert all(
        isinstance(messages, list) and all(isinstance(m, str) and m for m in messages) for messages in errors.values()
    )


@pytest.mark.parametrize("raw", ["{", "not json", b"\xff\xfe", "[" * 60000], ids=["truncated", "text", "bytes", "deep"])
def test_api_non_json_is_a_400(client, raw):
    response = post(client, raw)
    assert response.status_code in (400, 413)
    assert "body" in response.json()["errors"]


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]
)
def test_api_wrong_content_type_is_a_415(client, content_type):
    response = client.post(URL, "age=30", content_type=content_type)
    assert response.status_code == 415
    assert "content_type" in response.json()["errors"]


def test_api_accepts_json_with_a_charset(client):
    assert post(client, {"age": 30, "sex": "male"}, content_type="application/json; charset=utf-8").status_code == 200


def test_api_oversized_body_is_a_413(client):
    body = json.dumps({"age": 30, "sex": "male", "conditions": ["x" * 70_000]})
    response = post(client, body)
    assert response.status_code == 413
    assert "body" in response.json()["errors"]


def test_api_get_is_a_405_with_json(client):
    response = client.get(URL)
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "errors" in response.json()


def test_api_post_needs_no_csrf_token():

    response = post(Client(enforce_csrf_checks=True), {"age": 30, "sex": "male"})
    assert response.status_code == 200


def test_api_warfarin_never_gets_k2(client):
    body = post(client, {**EXAMPLE, "medications": ["warfarin"]}).json()
    assert body["plan"]["k2_mcg"] == 0
    assert body["warnings"][0] == {
        "code": "warfarin",
        "severity": "critical",
        "message": body["warnings"][0]["message"],
    }


def test_api_options_list_every_slug_with_labels_and_servings(client):
    body = client.get("/api/intake/options/").json()
    milk = next(food for food in body["foods"] if food["slug"] == "milk")
    assert milk["serving"] == "1 cup (240 ml)" and milk["calcium_mg_per_serving"] == 305
    assert {"warfarin", "levothyroxine"} <= {m["slug"] for m in body["medications"]}
    assert {"kidney-stones"} <= {c["slug"] for c in body["conditions"]}
    assert body["sex"] == ["female", "male"] and body["life_stage"] == ["none", "pregnant", "lactating"]


def test_api_openapi_documents_every_response_field(client):
    document = client.get("/api/openapi.json").json()
    assert document["openapi"].startswith("3.")
    schema = document["components"]["schemas"]["IntakeResult"]
    body = post(client, EXAMPLE).json()
    assert set(schema["properties"]) == set(body)
    for section, spec in schema["properties"].items():
        if spec.get("type") == "object":
            assert set(spec["properties"]) == set(body[section]), section
    assert {"400", "413", "415"} <= set(document["paths"]["/api/intake/"]["post"]["responses"])


@pytest.mark.django_db
def test_api_acid_reducers_warn_about_carbonate_and_rank_citrate_first(client):
    body = post(
        client,
        {"age": 40, "sex": "female", "foods": {"milk": 1}, "other_foods_mg": 0, "medications": ["acid-reducers"]},
    ).json()
    codes = [warning["code"] for warning in body["warnings"]]
    assert "acid-reducers" in codes
    calcium_products = [item for item in body["recommendations"] if "calcium" in item["nutrients"]]
    assert calcium_products, body["recommendations"]
    assert "citrate" in calcium_products[0]["slug"]
    assert "acid reducers" in calcium_products[0]["reason"]


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["age", "foods.milk", "supplements.calcium_mg", "supplements.vitamin_k2_mcg"])
@pytest.mark.parametrize("number", [10**400, -(10**400), 10**20, "Infinity", "NaN", "1e400"], ids=str)
def test_huge_numbers_in_the_api_are_field_errors(client, field, number):
    body = {"age": 50, "sex": "female"}
    target, _, key = field.partition(".")
    if key:
        body[target] = {key: 1}
    raw = json.dumps(body)
    placeholder = "424242424242"
    if key:
        raw = raw.replace(f'"{key}": 1', f'"{key}": {placeholder}')
    else:
        raw = raw.replace('"age": 50', f'"age": {placeholder}')
    raw = raw.replace(placeholder, str(number))
    response = client.post("/api/intake/", data=raw, content_type="application/json")
    assert response.status_code == 400, response.content[:300]
    assert field in response.json()["errors"]
