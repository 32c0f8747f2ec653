"""Live tables: ``[[table:slug]]`` in an article or page body becomes a table drawn from the calculator's rows.

When the body is saved, the Markdown renderer leaves a placeholder where each table goes (``placeholder``); each
request puts the tables in (``place``), drawn from the calculator's rows and the reference snapshot as they are now
(each table built once per content generation). So an edited guideline shows on every article and page at once,
however it arrived (the admin, an import, ``loaddata``), with nothing stored to keep in step.

This module only picks the rows: each table's function returns plain context (names, amounts, units, codes, flags)
and one template per kind under ``templates/articles/tables/`` writes the table and every word of it, on the shared
frame ``table.html`` (caption, notes, sources). The frame is the responsive pattern of the stylesheet:
``<table class="stack">``, each body row headed by a ``<th scope="row">`` and every ``<td>`` labelled with its
column's header (``data-label``), so a narrow screen can show each row as a card.
"""

import re
from typing import NamedTuple

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from bonehealth import generation
from calculator import services
from calculator.models import Authority, FoodNutrient, IntakeGuideline, LifeStage, Sex, Spacing
from calculator.reference import own_band

GUIDELINES = "guidelines"
FOODS = "foods"
SPACINGS = "spacings"  # the gaps the timetable keeps between medicines and a nutrient's supplements
COMPARED = "guidelines-compared"  # the US, EU and UK tables side by side for adults (a guidelines table)

# slug -> (kind, nutrient slug). Adding a table is one line here.
LIVE_TABLES = {
    "calcium-guidelines": (GUIDELINES, "calcium"),
    "vitamin-k-guidelines": (GUIDELINES, "vitamin-k2"),
    "magnesium-guidelines": (GUIDELINES, "magnesium"),
    "vitamin-d-guidelines": (GUIDELINES, "vitamin-d"),
    "calcium-foods": (FOODS, "calcium"),
    "vitamin-k2-foods": (FOODS, "vitamin-k2"),
    "calcium-spacing": (SPACINGS, "calcium"),
    COMPARED: (GUIDELINES, None),
}

TEMPLATES = "articles/tables/"
STAGE_ORDER = {LifeStage.NONE: 0, LifeStage.PREGNANT: 1, LifeStage.LACTATING: 2}
SEX_ORDER = {Sex.FEMALE: 0, Sex.MALE: 1, Sex.ANY: 2}
ADULT_AGE = 19


# What the renderer leaves in the stored HTML for a table: markup the article sanitizer keeps as it is.
PLACEHOLDER = '<div class="table-scroll" aria-label="live-table:{}"></div>'
_PLACEHOLDER_RE = re.compile(re.escape(PLACEHOLDER).replace(r"\{\}", "([a-z0-9-]+)"))


def placeholder(slug: str) -> str | None:
    """The stored stand-in for a known table (None for an unknown slug: the renderer reports it)."""
    return PLACEHOLDER.format(slug) if slug in LIVE_TABLES else None


def place(html: str) -> str:
    """Stored body HTML with each placeholder replaced by its table as the data stands now (nothing for a table
    without rows). Each table is built once per content generation (``bonehealth.generation.kept``, like the
    calculator's reference snapshot): any save of the data moves the generation, on every worker and instance."""

    def table(match) -> str:
        slug = match[1]
        return generation.kept(f"articles:live-table:{slug}", lambda: render_live_table(slug) or "")

    return mark_safe(_PLACEHOLDER_RE.sub(table, html))  # noqa: S308


def render_live_table(slug: str) -> str | None:
    """The table's HTML, or None for an unknown slug or a table without rows."""
    if slug not in LIVE_TABLES:
        return None
    kind, nutrient_slug = LIVE_TABLES[slug]
    if slug == COMPARED:
        context, template = compared_context(), "compared.html"
    elif kind == GUIDELINES:
        context, template = guidelines_context(nutrient_slug), "guidelines.html"
    elif kind == SPACINGS:
        context, template = spacings_context(nutrient_slug), "spacings.html"
    else:
        context, template = foods_context(nutrient_slug), "foods.html"
    if context is None:
        return None
    return render_to_string(TEMPLATES + template, {"slug": slug, **context})


def band(guideline) -> dict:
    """Who a guideline row is for, as the band label's template reads it."""
    return {
        "age_min": guideline.age_min,
        "age_max": guideline.age_max,
        "adult": guideline.age_min >= ADULT_AGE,
        "sex": guideline.sex,
        "life_stage": guideline.life_stage,
    }


def sources(pairs) -> list[tuple[str, str]]:
    """Each distinct (title, URL) once, in order of first use; rows without a title name no source."""
    return list(dict.fromkeys((title, url) for title, url in pairs if title))


def guidelines_context(nutrient_slug: str) -> dict | None:
    """The US rows of one nutrient, by life stage, then age, then sex."""
    rows = sorted(
        IntakeGuideline.objects.filter(authority=Authority.US, nutrient__slug=nutrient_slug).select_related("nutrient"),
        key=lambda row: (STAGE_ORDER.get(row.life_stage, 9), row.age_min, SEX_ORDER.get(row.sex, 9)),
    )
    if not rows:
        return None
    kinds = {row.kind for row in rows}
    mixed = len(kinds) > 1
    return {
        "nutrient": rows[0].nutrient,
        "mixed_kinds": mixed,
        "kind_label": "" if mixed else IntakeGuideline.Kind(next(iter(kinds))).label,
        "rows": [
            {
                "band": band(row),
                "target": row.target,
                "kind": row.kind,
                "upper_limit": row.upper_limit,
                "supplements_only": row.upper_limit_scope == "supplements",
            }
            for row in rows
        ],
        "sources": sources((row.source_title, row.source_url) for row in rows),
    }


def foods_context(nutrient_slug: str) -> dict | None:
    """The foods with an amount of the nutrient, most first."""
    rows = list(
        FoodNutrient.objects.filter(nutrient__slug=nutrient_slug)
        .select_related("food", "nutrient")
        .order_by("-amount", "food__name")
    )
    if not rows:
        return None
    return {
        "nutrient": rows[0].nutrient,
        "rows": [{"food": row.food.name, "serving": row.food.serving, "amount": row.amount} for row in rows],
        "sources": sources((row.source_title, row.source_url) for row in rows),
    }


def duration(hours) -> dict:
    """A gap in hours, with its minutes for the gaps under an hour the template writes in minutes."""
    return {"hours": hours, "minutes": hours * 60}


def spacings_context(nutrient_slug: str) -> dict | None:
    """One row per medicine the timetable keeps apart from the nutrient's supplements, with the same gaps it keeps
    and each gap's note (whose figure it is, where the row stands for a class of medicines)."""
    rows = list(
        Spacing.objects.filter(Q(other_nutrient__slug=nutrient_slug) | Q(everything=True))
        .select_related("medication", "other_nutrient")
        .order_by("medication__name", "pk")
    )
    by_medicine = {}
    for row in rows:
        by_medicine.setdefault(row.medication, []).append(row)
    body, used, nutrient = [], [], None
    for medication, spacings in by_medicine.items():
        own = [row for row in spacings if not row.everything]
        if not own:
            continue
        gap = own[0]
        nutrient = gap.other_nutrient
        body.append(
            {
                "medicine": medication.name,
                "before": duration(gap.hours_before),
                "after": None if gap.hours_after is None else duration(gap.hours_after),
                "note": gap.note,
                "alone": [
                    {"after": duration(row.hours_before), "note": row.note} for row in spacings if row.everything
                ],
            }
        )
        used.extend(spacings)
    if not body:
        return None
    return {
        "nutrient": nutrient,
        "rows": body,
        "sources": sources((row.source_title, row.source_url) for row in used),
    }


class ComparedRow(NamedTuple):
    """A representative adult the side-by-side table gives a figure for. `who` and `says_age` are how the template
    names the row ("a woman of 30", "an adult"); nutrient, sex and age are what the lookup asks."""

    nutrient: str
    figure: str  # target | limit
    who: str  # woman | man | anyone | adult
    sex: str
    age: int
    says_age: bool = True


# The side-by-side table: one row per figure for a representative adult, one column per authority. The cells come
# from the same guideline rows the calculator reads (each authority's own figure, the way `find_band` picks it).
COMPARED_ROWS = [
    ComparedRow("calcium", "target", "woman", Sex.FEMALE, 30),
    ComparedRow("calcium", "target", "woman", Sex.FEMALE, 60),
    ComparedRow("calcium", "target", "man", Sex.MALE, 60),
    ComparedRow("calcium", "target", "anyone", Sex.FEMALE, 75),
    ComparedRow("calcium", "limit", "adult", Sex.FEMALE, 30),
    ComparedRow("calcium", "limit", "adult", Sex.FEMALE, 60),
    ComparedRow("vitamin-k2", "target", "woman", Sex.FEMALE, 40, says_age=False),
    ComparedRow("vitamin-k2", "target", "man", Sex.MALE, 40, says_age=False),
    ComparedRow("magnesium", "target", "woman", Sex.FEMALE, 40, says_age=False),
    ComparedRow("magnesium", "target", "man", Sex.MALE, 40, says_age=False),
    ComparedRow("vitamin-d", "target", "adult", Sex.FEMALE, 40),
    ComparedRow("vitamin-d", "target", "adult", Sex.FEMALE, 75),
    ComparedRow("vitamin-d", "limit", "adult", Sex.FEMALE, 40, says_age=False),
]


def compared_context() -> dict | None:
    """Each authority's own band for a representative adult, found by the calculator's own lookup (``own_band``) in
    the reference snapshot it reads."""
    snapshot = services.get_reference()
    if not snapshot.bands:
        return None
    authorities = list(Authority)
    used = []

    def cell(authority, row: ComparedRow) -> dict:
        found = own_band(
            reference=snapshot, nutrient=row.nutrient, age=row.age, sex=row.sex, life_stage="none", authority=authority
        )
        if found is None:
            return {"authority": snapshot.authority_name(authority), "in_data": False}
        used.append(found)
        return {
            "authority": snapshot.authority_name(authority),
            "in_data": True,
            "amount": found.target if row.figure == "target" else found.upper_limit,
            "unit": found.unit,
            "kind": found.kind,
            "supplements_only": found.upper_limit_scope == "supplements",
        }

    rows = [{"row": row, "cells": [cell(authority, row) for authority in authorities]} for row in COMPARED_ROWS]
    return {
        "authorities": [snapshot.authority_name(authority) for authority in authorities],
        "rows": rows,
        "notes": list(dict.fromkeys(found.note for found in used if found.note)),
        "sources": sources((found.source.title, found.source.url) for found in used),
    }
