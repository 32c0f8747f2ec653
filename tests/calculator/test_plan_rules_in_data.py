"""Rules are data: no medication or condition slug is written in the calculator's Python (migrations aside), and the
pregnancy K2 block, the citrate preference and K2's optional mark come from the rows alone."""

import ast
import importlib
from pathlib import Path

import pytest
from django.apps import apps as django_apps

from calculator import intake, restrictions, services
from calculator.models import Caution, Condition, Medication, Nutrient

pytestmark = pytest.mark.django_db

CALCULATOR = Path(intake.__file__).parent


def string_literals(path: Path) -> set[str]:
    return {
        node.value
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path)))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }


def test_no_medication_or_condition_slug_is_written_in_the_calculators_python():
    slugs = set(Medication.objects.values_list("slug", flat=True)) | set(
        Condition.objects.values_list("slug", flat=True)
    )
    assert len(slugs) > 10  # the shipped data, read from the database
    modules = sorted(CALCULATOR.glob("*.py")) + sorted(CALCULATOR.glob("*/*.py"))
    found = {
        (path.relative_to(CALCULATOR).as_posix(), literal)
        for path in modules
        if "migrations" not in path.parts
        for literal in string_literals(path) & slugs
    }
    assert not found, f"slugs written in code: {sorted(found)}"


def restrict(**answers):
    return restrictions.restrict(profile=intake.Profile(**answers), reference=services.get_reference())


PREGNANT = {"age": 30, "sex": "female", "life_stage": "pregnant", "goal": "bone_health"}


def test_the_pregnancy_k2_block_is_the_datas_alone():
    assert "vitamin-k2" in restrict(**PREGNANT).blocked
    Caution.objects.filter(life_stage="pregnant").delete()
    assert "vitamin-k2" not in restrict(**PREGNANT).blocked  # an editor removed the rule: nothing in code keeps it


@pytest.mark.parametrize("owner", [{"medications": ("acid-reducers",)}, {"conditions": ("digestive-issues",)}])
def test_the_citrate_preference_is_the_cautions(owner):
    rules = restrict(age=40, sex="female", **owner)
    assert rules.preferred_forms == {"calcium": "calcium-citrate"} and rules.preferred_by["calcium"]
    for caution in Caution.objects.filter(prefers_form="calcium-citrate"):
        caution.prefers_form = ""
        caution.save()  # as an editor would, in the admin
    assert restrict(age=40, sex="female", **owner).preferred_forms == {}


def test_k2_is_optional_because_its_nutrient_row_says_so():
    assert "vitamin-k2" in restrict(age=60, sex="female").optional
    k2 = Nutrient.objects.get(slug="vitamin-k2")
    k2.optional_in_plan = False
    k2.save()
    assert "vitamin-k2" not in restrict(age=60, sex="female").optional


plan_rules = importlib.import_module("calculator.migrations.0013_plan_frequency_and_product_rules")


def test_the_migration_ships_each_rule_with_its_source():
    bisphosphonates = Medication.objects.get(slug="bisphosphonates")
    assert bisphosphonates.may_be_weekly and bisphosphonates.may_be_monthly
    assert "once weekly" in bisphosphonates.frequency_source_title and bisphosphonates.frequency_source_url
    # Delayed-release risedronate is weekly too, from its own label (0015).
    weekly = set(Medication.objects.filter(may_be_weekly=True).values_list("slug", flat=True))
    assert weekly == {"bisphosphonates", "risedronate-delayed-release"}
    preferring = Caution.objects.filter(prefers_form="calcium-citrate")
    assert preferring.count() == 2 and all(c.source_title and c.source_url for c in preferring)
    assert list(Nutrient.objects.filter(optional_in_plan=True).values_list("slug", flat=True)) == ["vitamin-k2"]


def test_the_migration_leaves_an_editors_change_alone_and_its_reverse_only_its_own_values():
    edited = Medication.objects.get(slug="bisphosphonates")
    edited.may_be_monthly = False
    edited.save()
    plan_rules.backwards(django_apps, None)
    assert Medication.objects.get(slug="bisphosphonates").may_be_weekly  # changed since: not this file's value
    assert not Caution.objects.filter(prefers_form="calcium-citrate").exists()
    assert not Nutrient.objects.filter(optional_in_plan=True).exists()
    plan_rules.forwards(django_apps, None)
    assert not Medication.objects.get(slug="bisphosphonates").may_be_monthly  # the editor's choice survives
    assert Caution.objects.filter(prefers_form="calcium-citrate").count() == 2
    assert Nutrient.objects.get(slug="vitamin-k2").optional_in_plan
