"""Live tables: ``[[table:slug]]`` in an article or page body becomes a table drawn from the calculator's rows.

When the body is saved, the Markdown renderer leaves a placeholder where each table goes (``placeholder``); each
request puts the tables in (``place``), drawn from the calculator's rows and the reference snapshot as they are now
(each table built once per content generation). So an edited guideline shows on every article and page at once,
however it arrived (the admin, an import, ``loaddata``), with nothing stored to keep in step. The HTML built here is
trusted markup (every value escaped by ``format_html``).

The tables use the responsive pattern of the stylesheet: ``<table class="stack">``, each body row headed by a
``<th scope="row">`` and every ``<td>`` labelled with its column's header (``data-label``), so a narrow screen can
show each row as a card.
"""

import re

from django.db.models import Q
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from bonehealth import generation
from calculator import services
from calculator.models import Authority, FoodNutrient, IntakeGuideline, LifeStage, Sex, Spacing
from calculator.numbers import amount_text
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

STAGE_ORDER = {LifeStage.NONE: 0, LifeStage.PREGNANT: 1, LifeStage.LACTATING: 2}
SEX_ORDER = {Sex.FEMALE: 0, Sex.MALE: 1, Sex.ANY: 2}


def tables_for(kind: str | None = None, nutrient_slug: str | None = None) -> list[str]:
    """Slugs of the live tables of a kind and/or nutrient."""
    return [
        slug
        for slug, (table_kind, table_nutrient) in LIVE_TABLES.items()
        if kind in (None, table_kind) and nutrient_slug in (None, table_nutrient)
    ]


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
        return _compared_table(slug)
    if kind == GUIDELINES:
        return _guidelines_table(slug, nutrient_slug)
    if kind == SPACINGS:
        return _spacings_table(slug, nutrient_slug)
    return _foods_table(slug, nutrient_slug)


def band_label(guideline) -> str:
    ages = f"{guideline.age_min}+" if guideline.age_max is None else f"{guideline.age_min}–{guideline.age_max}"
    if guideline.age_max == 0:
        return "Babies under 1 year"
    adult = guideline.age_min >= 19
    if guideline.life_stage == LifeStage.PREGNANT:
        return f"Pregnant, ages {ages}"
    if guideline.life_stage == LifeStage.LACTATING:
        return f"Breastfeeding, ages {ages}"
    if guideline.sex == Sex.FEMALE:
        return f"{'Women' if adult else 'Girls'} {ages}"
    if guideline.sex == Sex.MALE:
        return f"{'Men' if adult else 'Boys'} {ages}"
    return f"Everyone {ages}" if adult else f"Children {ages}"


def _sources(pairs) -> str:
    """One "Source:" line naming each distinct (title, URL) once."""
    sources = list(dict.fromkeys((title, url) for title, url in pairs if title))
    if not sources:
        return ""
    links = format_html_join(
        "; ",
        "{}",
        ((format_html('<a href="{}">{}</a>', url, title) if url else title,) for title, url in sources),
    )
    return format_html('<p class="table-source">Source: {}.</p>\n', links)


def _table(
    slug: str, caption: str, head: list[str], body_rows: list[list[str]], sources: str, *, amounts: bool = True
) -> str:
    caption_id = f"live-{slug}-caption"
    header = format_html_join("", '<th scope="col">{}</th>', ((cell,) for cell in head))
    rows = format_html_join("\n", "<tr>{}</tr>", ((_row(head, cells, amounts),) for cells in body_rows))
    return format_html(
        '<div class="table-scroll" role="region" tabindex="0" aria-labelledby="{}">\n<table class="stack">\n'
        '<caption id="{}">{}</caption>\n<thead><tr>{}</tr></thead>\n<tbody>\n{}\n</tbody>\n</table>\n</div>\n{}',
        caption_id,
        caption_id,
        caption,
        header,
        rows,
        sources,
    )


def _row(head: list[str], cells: list[str], amounts: bool = True) -> str:
    """The first cell heads the row; each other cell is labelled with its column's header; the last (an amount) is
    right-aligned unless the table holds words."""
    first, *middle, last = cells
    return format_html(
        '<th scope="row">{}</th>{}<td class="align-right" data-label="{}">{}</td>'
        if amounts
        else '<th scope="row">{}</th>{}<td data-label="{}">{}</td>',
        first,
        format_html_join("", '<td data-label="{}">{}</td>', zip(head[1:-1], middle, strict=True)),
        head[-1],
        last,
    )


def _guidelines_table(slug: str, nutrient_slug: str) -> str | None:
    rows = sorted(
        IntakeGuideline.objects.filter(authority=Authority.US, nutrient__slug=nutrient_slug).select_related("nutrient"),
        key=lambda row: (STAGE_ORDER.get(row.life_stage, 9), row.age_min, SEX_ORDER.get(row.sex, 9)),
    )
    if not rows:
        return None
    nutrient = rows[0].nutrient
    unit = nutrient.unit
    kinds = {row.kind for row in rows}
    mixed = len(kinds) > 1

    def target(row):
        amount = f"{amount_text(row.target)} {unit}"
        return f"{amount} ({row.kind})" if mixed else amount

    def limit(row):
        if row.upper_limit is None:
            return "Not set"
        amount = f"{amount_text(row.upper_limit)} {unit}"
        return f"{amount} from supplements" if row.upper_limit_scope == "supplements" else amount

    kind_name = (
        "Recommended Dietary Allowance or Adequate Intake" if mixed else IntakeGuideline.Kind(next(iter(kinds))).label
    )
    caption = f"{nutrient.name} a day by life stage: {kind_name} and Tolerable Upper Intake Level"
    body = [[band_label(row), target(row), limit(row)] for row in rows]
    return _table(
        slug,
        caption,
        ["Who", "Daily target", "Upper limit"],
        body,
        _sources((row.source_title, row.source_url) for row in rows),
    )


def _foods_table(slug: str, nutrient_slug: str) -> str | None:
    rows = list(
        FoodNutrient.objects.filter(nutrient__slug=nutrient_slug)
        .select_related("food", "nutrient")
        .order_by("-amount", "food__name")
    )
    if not rows:
        return None
    nutrient = rows[0].nutrient
    caption = f"{nutrient.name} in common foods, per serving"
    body = [[row.food.name, row.food.serving, f"{amount_text(row.amount)} {nutrient.unit}"] for row in rows]
    return _table(
        slug,
        caption,
        ["Food", "Serving", nutrient.name],
        body,
        _sources((row.source_title, row.source_url) for row in rows),
    )


def _hours(hours) -> str:
    if hours < 1:
        return f"{amount_text(hours * 60)} minutes"
    return f"{amount_text(hours)} hour" + ("" if hours == 1 else "s")


def _spacings_table(slug: str, nutrient_slug: str) -> str | None:
    """One row per medicine the timetable keeps apart from the nutrient's supplements, with the same gaps it keeps."""
    rows = list(
        Spacing.objects.filter(Q(other_nutrient__slug=nutrient_slug) | Q(everything=True))
        .select_related("medication", "other_nutrient")
        .order_by("medication__name", "pk")
    )
    by_medicine = {}
    for row in rows:
        by_medicine.setdefault(row.medication, []).append(row)
    body, used = [], []
    for medication, spacings in by_medicine.items():
        own = [row for row in spacings if not row.everything]
        if not own:
            continue
        gap = own[0]
        nutrient = gap.other_nutrient.name.lower()
        if gap.hours_after is None:
            text = f"Take the medicine first, at least {_hours(gap.hours_before)} before {nutrient}"
        else:
            text = f"At least {_hours(gap.hours_before)} before {nutrient}, or {_hours(gap.hours_after)} after it"
        for alone in (row for row in spacings if row.everything):
            text += f"; nothing else by mouth for {_hours(alone.hours_before)} after the medicine"
        body.append([medication.name, text])
        used.extend(spacings)
    if not body:
        return None
    caption = f"Medicines to keep apart from {nutrient} supplements, and the gap to keep"
    return _table(
        slug,
        caption,
        ["Medicine", "Gap"],
        body,
        _sources((row.source_title, row.source_url) for row in used),
        amounts=False,
    )


# The side-by-side table: one row per figure for a representative adult, one column per authority. The cells come
# from the same guideline rows the calculator reads (each authority's own figure, the way `find_band` picks it).
# (row label, nutrient slug, sex, age, "target" | "limit")
COMPARED_ROWS = [
    ("Calcium, a woman of 30", "calcium", Sex.FEMALE, 30, "target"),
    ("Calcium, a woman of 60", "calcium", Sex.FEMALE, 60, "target"),
    ("Calcium, a man of 60", "calcium", Sex.MALE, 60, "target"),
    ("Calcium, anyone of 75", "calcium", Sex.FEMALE, 75, "target"),
    ("Calcium upper limit, an adult of 30", "calcium", Sex.FEMALE, 30, "limit"),
    ("Calcium upper limit, an adult of 60", "calcium", Sex.FEMALE, 60, "limit"),
    ("Vitamin K, a woman", "vitamin-k2", Sex.FEMALE, 40, "target"),
    ("Vitamin K, a man", "vitamin-k2", Sex.MALE, 40, "target"),
    ("Magnesium, a woman", "magnesium", Sex.FEMALE, 40, "target"),
    ("Magnesium, a man", "magnesium", Sex.MALE, 40, "target"),
    ("Vitamin D, an adult of 40", "vitamin-d", Sex.FEMALE, 40, "target"),
    ("Vitamin D, an adult of 75", "vitamin-d", Sex.FEMALE, 75, "target"),
    ("Vitamin D upper limit, an adult", "vitamin-d", Sex.FEMALE, 40, "limit"),
]


def _compared_table(slug: str) -> str | None:
    """Each authority's own band for a representative adult, found by the calculator's own lookup (``own_band``) in
    the reference snapshot it reads."""
    snapshot = services.get_reference()
    if not snapshot.bands:
        return None
    authorities = list(Authority)
    used = []

    def cell(authority, nutrient, sex, age, what) -> str:
        band = own_band(reference=snapshot, nutrient=nutrient, age=age, sex=sex, life_stage="none", authority=authority)
        if band is None:
            return "Not in our data"
        used.append(band)
        amount = band.target if what == "target" else band.upper_limit
        if amount is None:
            return "Not set"
        text = f"{amount_text(amount)} {band.unit}"
        if what == "target":
            return f"{text} ({band.kind})"
        return f"{text} from supplements" if band.upper_limit_scope == "supplements" else text

    body = [
        [label, *(cell(authority, nutrient, sex, age, what) for authority in authorities)]
        for label, nutrient, sex, age, what in COMPARED_ROWS
    ]
    notes = list(dict.fromkeys(band.note for band in used if band.note))
    notes_html = format_html_join("", '<p class="table-source">{}</p>\n', ((note,) for note in notes))
    sources = _sources([(band.source.title, band.source.url) for band in used])
    caption = "Daily amounts for adults in the US, EU and UK tables"
    head = ["Who", *(snapshot.authority_name(authority) for authority in authorities)]
    return _table(slug, caption, head, body, format_html("{}{}", notes_html, sources))
