"""The pure intake calculation. Expected values are typed from the official tables in
docs/reference-tables.md (IOM 2011 calcium and vitamin D, IOM 2001 vitamin K, IOM 1997 magnesium),
not from the code. The reference snapshot is built from the migrated test database (the `reference` fixture)."""

import ast
import sys
from pathlib import Path

import pytest

from calculator import intake, plan
from calculator.reference import Reference

# (age, sex, life stage) -> (calcium RDA, calcium UL, vitamin K AI, magnesium RDA, vitamin D RDA IU, vitamin D UL IU)
# Every band, and both sides of every edge: 3/4, 8/9, 13/14, 18/19, 30/31, 50/51, 70/71.
TABLE = [
    (1, "female", "none", 700, 2500, 30, 80, 600, 2500),
    (3, "male", "none", 700, 2500, 30, 80, 600, 2500),
    (4, "female", "none", 1000, 2500, 55, 130, 600, 3000),
    (8, "male", "none", 1000, 2500, 55, 130, 600, 3000),
    (9, "female", "none", 1300, 3000, 60, 240, 600, 4000),
    (13, "male", "none", 1300, 3000, 60, 240, 600, 4000),
    (14, "female", "none", 1300, 3000, 75, 360, 600, 4000),
    (14, "male", "none", 1300, 3000, 75, 410, 600, 4000),
    (18, "female", "none", 1300, 3000, 75, 360, 600, 4000),
    (18, "male", "none", 1300, 3000, 75, 410, 600, 4000),
    (19, "female", "none", 1000, 2500, 90, 310, 600, 4000),
    (19, "male", "none", 1000, 2500, 120, 400, 600, 4000),
    (30, "female", "none", 1000, 2500, 90, 310, 600, 4000),
    (30, "male", "none", 1000, 2500, 120, 400, 600, 4000),
    (31, "female", "none", 1000, 2500, 90, 320, 600, 4000),
    (31, "male", "none", 1000, 2500, 120, 420, 600, 4000),
    (50, "female", "none", 1000, 2500, 90, 320, 600, 4000),
    (50, "male", "none", 1000, 2500, 120, 420, 600, 4000),
    (51, "female", "none", 1200, 2000, 90, 320, 600, 4000),
    (51, "male", "none", 1000, 2000, 120, 420, 600, 4000),
    (70, "female", "none", 1200, 2000, 90, 320, 600, 4000),
    (70, "male", "none", 1000, 2000, 120, 420, 600, 4000),
    (71, "female", "none", 1200, 2000, 90, 320, 800, 4000),
    (71, "male", "none", 1200, 2000, 120, 420, 800, 4000),
    (120, "male", "none", 1200, 2000, 120, 420, 800, 4000),
    (14, "female", "pregnant", 1300, 3000, 75, 400, 600, 4000),
    (18, "female", "pregnant", 1300, 3000, 75, 400, 600, 4000),
    (19, "female", "pregnant", 1000, 2500, 90, 350, 600, 4000),
    (30, "female", "pregnant", 1000, 2500, 90, 350, 600, 4000),
    (31, "female", "pregnant", 1000, 2500, 90, 360, 600, 4000),
    (50, "female", "pregnant", 1000, 2500, 90, 360, 600, 4000),
    (14, "female", "lactating", 1300, 3000, 75, 360, 600, 4000),
    (18, "female", "lactating", 1300, 3000, 75, 360, 600, 4000),
    (19, "female", "lactating", 1000, 2500, 90, 310, 600, 4000),
    (31, "female", "lactating", 1000, 2500, 90, 320, 600, 4000),
    (50, "female", "lactating", 1000, 2500, 90, 320, 600, 4000),
]


@pytest.mark.parametrize(
    ("age", "sex", "stage", "calcium", "calcium_ul", "vitamin_k", "magnesium", "vitamin_d", "vitamin_d_ul"),
    TABLE,
    ids=[f"{age}-{sex}-{stage}" for age, sex, stage, *_ in TABLE],
)
def test_compute_uses_the_official_band(
    age, sex, stage, calcium, calcium_ul, vitamin_k, magnesium, vitamin_d, vitamin_d_ul, run
):
    result = run(age=age, sex=sex, life_stage=stage)
    assert (result.calcium.target_mg, result.calcium.upper_limit_mg) == (calcium, calcium_ul)
    assert result.vitamin_k.adequate_intake_mcg == vitamin_k
    assert result.magnesium.target == magnesium
    assert (result.vitamin_d.target_iu, result.vitamin_d.upper_limit_iu) == (vitamin_d, vitamin_d_ul)


@pytest.mark.parametrize(
    ("age", "limit"), [(1, 65), (4, 110), (9, 350), (40, 350)], ids=["1-3", "4-8", "9-13", "adult"]
)
def test_compute_magnesium_limit_is_for_supplements_only(age, limit, run):
    result = run(age=age, sex="female")
    assert (result.magnesium.upper_limit, result.magnesium.upper_limit_scope) == (limit, "supplements")


def test_compute_adds_diet_and_supplements_like_the_contract_example(run):
    result = run(
        age=55,
        sex="female",
        goal="bone_health",
        foods={"milk": 1, "natto": 0.25},
        other_foods_mg=0,
        calcium_supplement_mg=500,
    )
    c = result.calcium
    # 1 cup of 1% milk = 305 mg (DGA); natto has no calcium row; 500 mg from the supplement.
    assert (c.diet_mg, c.supplement_mg, c.total_mg, c.gap_mg, c.status) == (305, 500, 805, 395, "below_target")
    # Natto: 850 mcg per 3 oz (ODS) x 0.25 = 212.5; milk: 31.5 mcg.
    assert result.vitamin_k.diet_k2_mcg == 244
    assert (result.vitamin_k.adequate_intake_mcg, result.vitamin_k.k2_goal_mcg) == (90, 180)


@pytest.mark.parametrize(
    ("foods", "supplement", "status"),
    [({}, 0, "below_target"), ({"yogurt": 1}, 800, "meets_target"), ({"milk": 2}, 1500, "above_upper_limit")],
    ids=["below", "meets", "above"],
)
def test_compute_status(foods, supplement, status, run):
    result = run(age=60, sex="female", foods=foods, other_foods_mg=0, calcium_supplement_mg=supplement)
    assert result.calcium.status == status


def test_compute_plan_splits_into_doses_of_at_most_500_with_meals(run):
    result = run(age=75, sex="male", other_foods_mg=0)  # 1,200 mg target, nothing from food
    doses = result.plan.calcium_doses
    assert sum(d.mg for d in doses) == 1200
    assert len(doses) == 3 and all(d.mg <= 500 for d in doses)
    assert {d.slot.code for d in doses} == {"breakfast", "lunch", "dinner"}


def test_compute_plan_stays_within_the_upper_limit(run):
    result = run(age=60, sex="female", foods={"yogurt": 2}, other_foods_mg=0)  # 896 mg from food
    assert result.calcium.diet_mg + result.plan.calcium_supplement_mg <= 2000
    assert result.plan.calcium_supplement_mg == 350  # 1,200 - 896 = 304, rounded up to the next 50 mg


def test_compute_above_upper_limit_suggests_no_more_calcium_and_warns_first(run):
    result = run(age=60, sex="female", foods={"milk": 3}, calcium_supplement_mg=1200, calcium_doses_per_day=3)
    assert result.plan.calcium_doses == ()
    assert result.warnings[0].code == "above-upper-limit" and result.warnings[0].severity == "critical"


def test_compute_dose_over_500_warning(run):
    codes = [w.code for w in run(age=60, sex="female", calcium_supplement_mg=1000, calcium_doses_per_day=1).warnings]
    assert "dose-over-500" in codes
    codes = [w.code for w in run(age=60, sex="female", calcium_supplement_mg=1000, calcium_doses_per_day=2).warnings]
    assert "dose-over-500" not in codes


def test_compute_levothyroxine_keeps_calcium_4_hours_away(run):
    result = run(age=60, sex="female", medications=("levothyroxine",))
    thyroid = next(e for e in result.plan.timetable if e.slug == "levothyroxine")
    assert thyroid.slot in ("waking", "bedtime")
    for dose in result.plan.calcium_doses:
        apart = abs(dose.slot.minutes - plan.Slot(thyroid.time, thyroid.slot).minutes)
        assert min(apart, plan.DAY - apart) >= 4 * 60


def test_compute_warfarin_never_gets_k2_and_its_warning_comes_first(run):
    result = run(age=65, sex="female", goal="bone_health", medications=("iron-supplements", "warfarin"))
    assert result.plan.k2_mcg == 0
    assert result.warnings[0].code == "warfarin" and result.warnings[0].severity == "critical"
    assert result.k2_food_suggestions == ()


def test_compute_bone_goal_suggests_mk7_with_a_meal(run):
    result = run(age=65, sex="female", goal="bone_health")
    assert (result.plan.k2_mcg, result.plan.k2_form, result.plan.k2_slot) == (180, "MK-7", "dinner")


def test_compute_general_goal_suggests_no_k2(run):
    assert run(age=65, sex="female").plan.k2_mcg == 0


@pytest.mark.parametrize("age", [1, 9, 17], ids=["toddler", "child", "teen"])
def test_compute_under_18_gets_targets_and_food_only(age, run):
    result = run(age=age, sex="male", goal="bone_health")
    assert result.plan.calcium_doses == () and result.plan.k2_mcg == 0
    assert "minor" in [note.code for note in result.plan.notes]
    assert result.food_suggestions


@pytest.mark.parametrize(("stage", "code"), [("pregnant", "pregnancy"), ("lactating", "lactation")])
@pytest.mark.parametrize("age", [16, 35], ids=["teen", "adult"])
def test_compute_pregnancy_and_lactation_notes_and_no_k2(stage, code, age, run):
    result = run(age=age, sex="female", life_stage=stage, goal="bone_health")
    assert code in [w.code for w in result.warnings]
    assert result.plan.k2_mcg == 0


@pytest.mark.parametrize("condition", ["kidney-disease", "hyperparathyroidism", "sarcoidosis"])
def test_compute_critical_conditions_get_no_calcium_supplement(condition, run):
    result = run(age=60, sex="female", conditions=(condition,))
    assert result.plan.calcium_doses == ()
    assert result.warnings[0].code == condition and result.warnings[0].severity == "critical"


def test_compute_warnings_are_ordered_critical_caution_info(run):
    result = run(
        age=30,
        sex="female",
        life_stage="pregnant",
        medications=("levothyroxine", "warfarin"),
        conditions=("digestive-issues",),
    )
    order = [intake.SEVERITY_ORDER[w.severity] for w in result.warnings]
    assert order == sorted(order) and order[0] == 0


def test_compute_food_suggestions_close_the_gap(run):
    result = run(age=60, sex="female", foods={"milk": 1})
    assert result.food_suggestions
    for suggestion in result.food_suggestions:
        assert suggestion.calcium_mg >= result.calcium.gap_mg or suggestion.servings == 3


def test_compute_sources_include_the_calcium_table(run):
    sources = run(age=60, sex="female").sources
    assert any("Calcium and Vitamin D" in s.title for s in sources)


@pytest.mark.parametrize(
    ("age", "sex", "stage"),
    [(40, "male", "pregnant"), (60, "female", "pregnant"), (12, "female", "lactating"), (30, "male", "lactating")],
    ids=["pregnant-male", "pregnant-at-60", "lactating-at-12", "lactating-male"],
)
def test_compute_refuses_impossible_life_stages_with_a_clear_error(age, sex, stage, run):
    with pytest.raises(intake.InvalidProfile) as caught:
        run(age=age, sex=sex, life_stage=stage)
    assert "life_stage" in caught.value.errors


def test_compute_missing_band_is_a_clear_error():
    reference = Reference(bands=(), foods=(), medications=(), conditions=())
    with pytest.raises(intake.MissingGuideline):
        intake.compute(profile=intake.Profile(age=40, sex="male"), reference=reference)


def test_as_dict_has_every_contract_field(run, reference):
    body = intake.as_dict(run(age=55, sex="female", foods={"milk": 1}, medications=("levothyroxine",)))
    assert body["plan"]["timetable"][0]["kind"] in ("medication", "calcium")
    assert {row["slug"] for row in body["plan"]["timetable"] if row["kind"] == "medication"} == {"levothyroxine"}
    assert set(body["calcium"]) >= {
        "target_mg",
        "upper_limit_mg",
        "diet_mg",
        "supplement_mg",
        "total_mg",
        "gap_mg",
        "status",
    }
    assert set(body["vitamin_k"]) >= {"adequate_intake_mcg", "k2_goal_mcg", "diet_k2_mcg", "supplement_k2_mcg"}
    assert body["vitamin_k"]["k2_goal_mcg"] is None  # general goal: no K2 amount
    assert set(body["plan"]) >= {"calcium_doses", "k2_mcg", "k2_form", "notes"}
    assert body["warnings"][0] == {
        "code": "levothyroxine",
        "severity": "caution",
        "message": body["warnings"][0]["message"],
    }


# -- the boundary: the pure modules import nothing from Django (the apps' directions: tests/bonehealth/test_imports.py)

ROOT = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


PURE_MODULES = ("intake", "reference", "restrictions", "plan", "recommend", "numbers")


@pytest.mark.parametrize("module", PURE_MODULES)
def test_pure_modules_import_only_the_standard_library_and_each_other(module):
    imported = set(_imports(ROOT / "calculator" / f"{module}.py"))
    outside = {name for name in imported if name.split(".")[0] not in set(sys.stdlib_module_names) | {"__future__"}}
    assert outside <= {f"calculator.{name}" for name in PURE_MODULES}, outside
