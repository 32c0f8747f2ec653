"""The OpenAPI 3 description of the intake API (served at /api/openapi.json). Keep it beside the contract in
DESIGN.md: a test checks that every documented response field is produced by the API."""

from __future__ import annotations

from calculator import intake

INT = {"type": "integer"}
NULLABLE_INT = {"type": ["integer", "null"]}
STR = {"type": "string"}
NULLABLE_STR = {"type": ["string", "null"]}
BOOL = {"type": "boolean"}
SOURCE = {"type": "object", "required": ["title", "url"], "properties": {"title": STR, "url": STR}}
GUIDELINE = {
    "enum": list(intake.AUTHORITIES),
    "description": "Whose tables: us (US National Academies), eu (EFSA), uk (UK Department of Health / SACN).",
}
KINDS = {"enum": ["RDA", "AI", "PRI", "RNI", "SI"]}
LIMIT_GUIDELINE = {
    "enum": [*intake.AUTHORITIES, None],
    "description": "Whose upper limit applies: the stricter of the chosen tables' and the US one (null: none set).",
}
ERRORS = {
    "type": "object",
    "required": ["errors"],
    "properties": {
        "errors": {
            "type": "object",
            "description": "Field name (foods.<slug>, supplements.<field> for nested fields) -> messages.",
            "additionalProperties": {"type": "array", "items": STR},
        }
    },
}


def _object(properties: dict, *, required: list[str] | None = None) -> dict:
    return {"type": "object", "required": required or list(properties), "properties": properties}


REQUEST = {
    "type": "object",
    "required": ["age", "sex"],
    "additionalProperties": False,
    "properties": {
        "age": {"type": "integer", "minimum": 1, "maximum": 120, "description": "Whole years."},
        "sex": {"enum": list(intake.SEXES)},
        "life_stage": {
            "enum": list(intake.LIFE_STAGES),
            "default": "none",
            "description": "pregnant or lactating only for females aged 14-50.",
        },
        "goal": {"enum": list(intake.GOALS), "default": "general"},
        "guideline": {
            **GUIDELINE,
            "default": "us",
            "description": "Whose tables set the targets: us (US National Academies), eu (EFSA), uk (UK Department "
            "of Health / SACN). Upper limits are never looser than the US ones; every safety rule is unchanged.",
        },
        "foods": {
            "type": "object",
            "description": "Food slug (see /api/intake/options/) -> servings per day.",
            "additionalProperties": {"type": "number", "minimum": 0, "maximum": 20},
        },
        "other_foods_mg": {
            "type": "integer",
            "minimum": 0,
            "maximum": 1500,
            "description": "Calcium a day from foods not on the list; default: the editable allowance (250 mg).",
        },
        "supplements": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "calcium_mg": {"type": "integer", "minimum": 0, "maximum": 5000, "description": "Elemental calcium."},
                "calcium_doses_per_day": {"type": "integer", "minimum": 1, "maximum": 6, "default": 1},
                "vitamin_k2_mcg": {"type": "integer", "minimum": 0, "maximum": 50000},
                "vitamin_d_iu": {"type": "integer", "minimum": 0, "maximum": 10000},
            },
        },
        "medications": {"type": "array", "items": STR, "description": "Medication slugs."},
        "frequencies": {
            "type": "object",
            "description": "Medication slug -> how often it is taken (default daily). Only where the medication's "
            "data allows it (see `frequencies` in /api/intake/options/: bisphosphonates may be weekly or monthly); "
            "anything else is a 400 on frequencies.<slug>.",
            "additionalProperties": {"enum": ["daily", "weekly", "monthly"]},
        },
        "conditions": {"type": "array", "items": STR, "description": "Condition slugs."},
    },
}

COMPARED = _object(
    {
        "guideline": GUIDELINE,
        "name": STR,
        "chosen": BOOL,
        "calcium_target_mg": NULLABLE_INT,
        "calcium_target_kind": {"enum": ["RDA", "AI", "PRI", "RNI", "SI", None]},
        "calcium_upper_limit_mg": NULLABLE_INT,
        "vitamin_k_mcg": NULLABLE_INT,
        "magnesium_mg": NULLABLE_INT,
        "magnesium_supplement_upper_limit_mg": NULLABLE_INT,
        "vitamin_d_iu": NULLABLE_INT,
        "vitamin_d_upper_limit_iu": NULLABLE_INT,
        "notes": {"type": "array", "items": STR, "description": "Why a figure is null or differs (from the data)."},
        "source": {**STR, "description": "The sources' titles, joined."},
        "sources": {"type": "array", "items": SOURCE},
    }
)

RESPONSE = _object(
    {
        "guideline": {**GUIDELINE, "description": "The tables chosen in the request."},
        "calcium": _object(
            {
                "guideline": {**GUIDELINE, "description": "Whose target this is."},
                "upper_limit_guideline": LIMIT_GUIDELINE,
                "target_mg": INT,
                "target_kind": KINDS,
                "upper_limit_mg": {**NULLABLE_INT, "description": "The stricter of the chosen tables' and the US."},
                "diet_mg": {**INT, "description": "Listed foods plus other_foods_mg."},
                "other_foods_mg": INT,
                "supplement_mg": INT,
                "total_mg": INT,
                "gap_mg": INT,
                "status": {"enum": list(intake.STATUSES)},
            }
        ),
        "vitamin_k": _object(
            {
                "guideline": {
                    **GUIDELINE,
                    "description": "Whose adequate intake: us where the chosen tables set no fixed amount (uk).",
                },
                "adequate_intake_mcg": {**INT, "description": "All vitamin K, K1 and K2."},
                "k2_goal_mcg": {
                    **NULLABLE_INT,
                    "description": "The K2 trial amount where it applies; null on anticoagulants, in pregnancy or "
                    "breastfeeding, under 18 and outside the trial's population.",
                },
                "diet_k1_mcg": INT,
                "diet_k2_mcg": INT,
                "diet_mcg": INT,
                "supplement_k2_mcg": INT,
                "total_k2_mcg": INT,
                "total_mcg": INT,
                "keep_steady": {**BOOL, "description": "On a vitamin K antagonist: keep vitamin K intake steady."},
            }
        ),
        "magnesium": _object(
            {
                "guideline": GUIDELINE,
                "target_mg": INT,
                "target_kind": KINDS,
                "supplement_upper_limit_mg": {**NULLABLE_INT, "description": "Supplements only."},
                "upper_limit_guideline": LIMIT_GUIDELINE,
            }
        ),
        "vitamin_d": _object(
            {
                "guideline": GUIDELINE,
                "upper_limit_guideline": LIMIT_GUIDELINE,
                "target_iu": INT,
                "upper_limit_iu": NULLABLE_INT,
                "supplement_iu": INT,
                "room_iu": NULLABLE_INT,
            }
        ),
        "restrictions": _object(
            {
                "blocked_nutrients": {"type": "array", "items": STR},
                "supplement_caps_per_day": {"type": "object", "additionalProperties": {"type": "number"}},
                "max_calcium_per_dose_mg": INT,
            }
        ),
        "plan": _object(
            {
                "calcium_doses": {
                    "type": "array",
                    "items": _object(
                        {"mg": {"type": "integer", "maximum": intake.MAX_DOSE_MG}, "when": STR, "time": STR}
                    ),
                },
                "calcium_supplement_mg": INT,
                "k2_mcg": INT,
                "k2_form": STR,
                "notes": {"type": "array", "items": STR},
                "left_out_medications": {
                    "type": "array",
                    "items": STR,
                    "description": "Medicines no time of day fits with every gap: see the notes; ask a pharmacist.",
                },
                "timetable": {
                    "type": "array",
                    "items": _object(
                        {
                            "time": STR,
                            "kind": {"enum": ["calcium", "vitamin-k2", "medication"]},
                            "slug": {**NULLABLE_STR, "description": "The medication's slug; null for other rows."},
                            "what": STR,
                            "detail": STR,
                            "frequency": {
                                "enum": ["daily", "weekly", "monthly"],
                                "description": "How often this row's day comes round (a weekly medicine: once a "
                                "week, on the same morning; the rest of the timetable is every day).",
                            },
                            "optional": {
                                **BOOL,
                                "description": "True where the evidence is limited (vitamin K2): the person may "
                                "leave it out.",
                            },
                        }
                    ),
                },
            }
        ),
        "warnings": {
            "type": "array",
            "description": "Critical first. code: a medication or condition slug, above-upper-limit, dose-over-500, "
            "vitamin-d-above-upper-limit, no-foods-listed, pregnancy or lactation.",
            "items": _object({"code": STR, "severity": {"enum": ["critical", "caution", "info"]}, "message": STR}),
        },
        "food_suggestions": {
            "type": "array",
            "items": _object(
                {"slug": STR, "name": STR, "serving": STR, "servings": {"type": "number"}, "calcium_mg": INT}
            ),
        },
        "recommendations": {
            "type": "array",
            "items": _object(
                {
                    "slug": STR,
                    "name": STR,
                    "nutrients": {"type": "array", "items": STR},
                    "per_serving": {
                        "type": "object",
                        "description": "Nutrient slug -> amount in one serving, in the nutrient's unit (mg, mcg, IU).",
                        "additionalProperties": {"type": "number"},
                    },
                    "reason": STR,
                }
            ),
        },
        "guidelines_compared": {
            "type": "array",
            "description": "Each authority's own figures for this person (US, EU, UK), null where it sets none.",
            "items": COMPARED,
        },
        "sources": {"type": "array", "items": SOURCE},
    }
)


def document(*, server: str) -> dict:
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}}}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Bone Health intake API",
            "version": "1.0.0",
            "description": "Calcium and vitamin K2 targets, intake, gap, a safe daily plan and warnings, from the "
            "official US tables (National Academies / NIH ODS) by default, or EFSA's or the UK's (`guideline`), with "
            "each authority's figures side by side. Informational only; not medical advice. Nothing "
            "sent is stored.",
        },
        "servers": [{"url": server.rstrip("/")}],
        "paths": {
            "/api/intake/": {
                "post": {
                    "summary": "Calculate intake, targets and a plan",
                    "operationId": "calculateIntake",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/IntakeRequest"}}},
                    },
                    "responses": {
                        "200": {
                            "description": "The result.",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/IntakeResult"}}},
                        },
                        "400": {
                            "description": "Invalid JSON, wrong types, unknown slugs or out-of-range values.",
                            **error,
                        },
                        "405": {"description": "Only POST is allowed.", **error},
                        "413": {"description": "The body is larger than 64 KB.", **error},
                        "415": {"description": "The body is not application/json.", **error},
                    },
                }
            },
            "/api/intake/options/": {
                "get": {
                    "summary": "Valid food, medication and condition slugs with labels and serving sizes, and the "
                    "guidelines (us, eu, uk) with their names and sources",
                    "operationId": "intakeOptions",
                    "responses": {"200": {"description": "The options.", "content": {"application/json": {}}}},
                }
            },
        },
        "components": {"schemas": {"IntakeRequest": REQUEST, "IntakeResult": RESPONSE, "Errors": ERRORS}},
    }
