"""Markdown rendering: tables, citations, anchors, TOC, sanitizing, reading time, live tables, re-rendering."""

import re
from decimal import Decimal

import pytest

from articles import markdown
from articles.markdown import render

# --- pure renderer (no database) ---


def test_rendering_gfm_table_is_accessible_with_caption():
    html = render("Table: Calcium in foods\n\n| Food | Calcium (mg) |\n|---|--:|\n| Milk | 300 |\n").html
    assert '<caption id="table-1-caption">Calcium in foods</caption>' in html
    assert '<th scope="col">Food</th>' in html
    assert '<th class="align-right" scope="col">Calcium (mg)</th>' in html
    assert '<td class="align-right">300</td>' in html
    assert '<div class="table-scroll" role="region" tabindex="0" aria-labelledby="table-1-caption">' in html
    assert "Table:" not in html
    assert "style=" not in html  # the CSP forbids style attributes: alignment is a class


def test_rendering_table_without_caption_still_has_a_labelled_region():
    html = render("| a | b |\n|---|---|\n| 1 | 2 |\n").html
    assert 'aria-label="Table"' in html
    assert "<caption" not in html


def test_rendering_citations_are_numbered_by_reference_order_and_link_both_ways():
    result = render("First[^b] then[^a] and again[^b].", reference_keys=["a", "b"])
    assert '<sup class="cite" id="cite-b"><a href="#ref-b">' in result.html
    assert '<span class="visually-hidden">reference </span>2]' in result.html
    assert '<sup class="cite" id="cite-a"><a href="#ref-a">' in result.html
    assert 'id="cite-b-2"' in result.html  # the second citation of b has its own id; the back-link goes to the first
    assert result.cited_keys == ["b", "a"]
    assert result.unknown_keys == []


def test_rendering_unknown_citation_is_left_as_text_and_reported():
    result = render("A claim[^nope].", reference_keys=["a"])
    assert "[^nope]" in result.html
    assert "<sup" not in result.html
    assert result.unknown_keys == ["nope"]


def test_rendering_headings_get_unique_ids_and_h1_becomes_h2():
    html = render("# Intro\n\n## Food sources\n\n## Food sources\n\n## References\n\n### Sub *part*\n").html
    assert "<h1" not in html
    assert '<h2 id="intro">Intro</h2>' in html
    assert '<h2 id="food-sources">' in html and '<h2 id="food-sources-2">' in html
    assert '<h2 id="references-2">' in html  # "references" is the page's own reference list
    assert '<h3 id="sub-part">Sub <em>part</em></h3>' in html


def test_rendering_toc_nests_h3_under_h2():
    toc = render("### Before any h2\n\n## One\n\n### One a\n\n### One b\n\n## Two\n\n#### Not in the TOC\n").toc
    assert toc == [
        {"id": "before-any-h2", "text": "Before any h2", "children": []},
        {"id": "one", "text": "One", "children": [{"id": "one-a", "text": "One a"}, {"id": "one-b", "text": "One b"}]},
        {"id": "two", "text": "Two", "children": []},
    ]


def test_rendering_live_table_directive_uses_the_callback_only_on_its_own_line():
    calls = []

    def tables(slug):
        calls.append(slug)
        return '<table><caption>Live</caption><tr><th scope="row">x</th></tr></table>' if slug == "known" else None

    result = render(
        "Intro\n\n[[table:known]]\n\nInline [[table:known]] stays text.\n\n    [[table:known]]\n\n[[table:missing]]\n",
        tables=tables,
    )
    assert calls == ["known", "missing"]
    assert result.html.count("<caption>Live</caption>") == 1
    assert "Inline [[table:known]] stays text." in result.html
    assert "<pre><code>[[table:known]]" in result.html
    assert result.unknown_tables == ["missing"]


def test_rendering_find_citations_and_table_directives():
    text = "a[^x] b[^y] c[^x]\n\n[[table:calcium-foods]]\n\ntext [[table:inline]]\n"
    assert markdown.find_citations(text) == ["x", "y"]
    assert markdown.find_table_directives(text) == ["calcium-foods"]


XSS_PAYLOADS = {
    "script-tag": "<script>alert(1)</script>",
    "script-in-paragraph": "Hello <script>document.cookie</script> world",
    "img-onerror": '<img src="x" onerror="alert(1)">',
    "svg-onload": '<svg onload="alert(1)"><circle r="1"/></svg>',
    "markdown-js-link": "[click](javascript:alert(1))",
    "html-js-link-mixed-case": '<a href="JaVaScRiPt:alert(1)">x</a>',
    "html-js-link-entity": '<a href="jav&#x61;script:alert(1)">x</a>',
    "html-js-link-whitespace": '<a href=" javascript:alert(1)">x</a>',
    "data-url-link": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "iframe": '<iframe src="https://evil.example/"></iframe>',
    "style-tag": "<style>body{display:none}</style>",
    "style-attribute": '<p style="background:url(javascript:alert(1))">x</p>',
    "onclick-on-div": '<div onclick="alert(1)">x</div>',
    "object-embed": '<object data="x.swf"></object><embed src="x.swf">',
    "form": '<form action="https://evil.example/"><input name="password"></form>',
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "markdown-image-js": "![x](javascript:alert(1))",
    "unclosed-attribute": "<img src=x onerror=alert(1)//",
    "class-spoofing": '<div class="preview-banner" role="alert" tabindex="5">fake</div>',
    "base-tag": '<base href="https://evil.example/">',
    "math-mxss": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
}


@pytest.mark.parametrize("payload", XSS_PAYLOADS.values(), ids=XSS_PAYLOADS.keys())
def test_rendering_sanitizes_xss_payloads(payload):
    html = render(f"Some text.\n\n{payload}\n\nMore text.").html
    lowered = html.lower()
    assert "<script" not in lowered
    assert "javascript:" not in lowered.replace("[click](javascript:alert(1))", "").replace(
        "![x](javascript:alert(1))", ""
    )  # a rejected Markdown link stays as inert text, never as an href
    assert not re.search(r"<[^>]+\son\w+\s*=", lowered)
    assert not re.search(r"<[^>]+\sstyle\s*=", lowered)
    assert not re.search(r'href="\s*(?:javascript|data|vbscript):', lowered)
    for tag in ("<iframe", "<style", "<object", "<embed", "<form", "<input", "<meta", "<base", "<svg", "<math"):
        assert tag not in lowered
    assert "preview-banner" not in html and 'role="alert"' not in html and 'tabindex="5"' not in html


def test_rendering_keeps_safe_html_and_links():
    html = render(
        'Text with <abbr title="Recommended Dietary Allowance">RDA</abbr> and [NIH](https://ods.od.nih.gov/).'
    ).html
    assert '<abbr title="Recommended Dietary Allowance">RDA</abbr>' in html
    assert '<a href="https://ods.od.nih.gov/">NIH</a>' in html


@pytest.mark.parametrize(
    ("words", "minutes"),
    [(0, 0), (1, 1), (220, 1), (221, 2), (2420, 11), (3300, 15)],
    ids=["empty", "one-word", "exactly-one-minute", "just-over", "source-article-length", "long"],
)
def test_rendering_reading_time_at_220_words_a_minute(words, minutes):
    result = render(" ".join(["word"] * words))
    assert result.word_count == words
    assert result.reading_minutes == minutes


def test_rendering_word_count_ignores_markup_and_citation_markers():
    result = render(
        "## Two words\n\nThree more words[^a].\n\n| one | two |\n|---|---|\n| three | four |\n", reference_keys=["a"]
    )
    assert result.word_count == 2 + 3 + 4


# --- live tables (database) ---


@pytest.fixture
def calcium(db):
    from calculator.models import Nutrient

    return Nutrient.objects.get(slug="calcium")  # shipped by calculator's data migration


@pytest.fixture
def clean_calcium_rows(calcium):
    """Start from no calcium guidelines or food amounts, whatever the reference-data migration shipped."""
    from calculator.models import FoodNutrient, IntakeGuideline

    IntakeGuideline.objects.filter(nutrient=calcium).delete()
    FoodNutrient.objects.filter(nutrient=calcium).delete()
    return calcium


def make_guideline(nutrient, **fields):
    from calculator.models import IntakeGuideline

    defaults = {"sex": "any", "age_min": 19, "age_max": 50, "life_stage": "none", "target": Decimal("1000")}
    return IntakeGuideline.objects.create(nutrient=nutrient, **{**defaults, **fields})


def make_food_amount(nutrient, slug, amount, **food_fields):
    from calculator.models import Food, FoodNutrient

    food, _ = Food.objects.get_or_create(
        slug=slug,
        defaults={
            "name": slug.replace("-", " ").title(),
            "category": "dairy",
            "serving": "1 cup",
            "serving_quantity": 1,
            **food_fields,
        },
    )
    return FoodNutrient.objects.create(food=food, nutrient=nutrient, amount=Decimal(amount))


def test_live_table_guidelines_from_rows(clean_calcium_rows):
    from articles.tables import render_live_table

    calcium = clean_calcium_rows
    make_guideline(
        calcium,
        sex="female",
        age_min=51,
        age_max=70,
        target=Decimal("1200"),
        upper_limit=Decimal("2000"),
        source_title="IOM 2011",
        source_url="https://doi.org/10.17226/13050",
    )
    make_guideline(calcium, sex="male", age_min=51, age_max=70, target=Decimal("1000"), upper_limit=Decimal("2000"))
    make_guideline(calcium, age_min=19, age_max=50, target=Decimal("1000"), upper_limit=Decimal("2500"))
    html = render_live_table("calcium-guidelines")
    assert '<caption id="live-calcium-guidelines-caption">Calcium a day by life stage' in html
    assert '<th scope="col">Who</th>' in html
    rows = re.findall(r'<th scope="row">([^<]+)</th>', html)
    assert rows == ["Everyone 19–50", "Women 51–70", "Men 51–70"]
    assert '<table class="stack">' in html
    assert '<td class="align-right" data-label="Upper limit">2,000 mg</td>' in html
    assert '<a href="https://doi.org/10.17226/13050">IOM 2011</a>' in html


def test_live_table_foods_sorted_by_amount(clean_calcium_rows):
    from articles.tables import render_live_table

    make_food_amount(clean_calcium_rows, "kale-test", "94")
    make_food_amount(clean_calcium_rows, "yogurt-test", "415")
    html = render_live_table("calcium-foods")
    assert re.findall(r'<th scope="row">([^<]+)</th>', html) == ["Yogurt Test", "Kale Test"]
    assert '<td data-label="Serving">1 cup</td>' in html
    assert '<td class="align-right" data-label="Calcium">415 mg</td>' in html


def test_live_table_spacings_say_each_gap_of_the_rows(calcium):
    from articles.tables import render_live_table
    from calculator.models import Medication, Spacing

    Spacing.objects.all().delete()
    first = Medication.objects.create(slug="drug-first", name="Drug First")
    either = Medication.objects.create(slug="drug-either", name="Drug Either")
    Spacing.objects.create(medication=first, other_nutrient=calcium, hours_before=Decimal("2"), source_title="Label A")
    Spacing.objects.create(medication=first, everything=True, hours_before=Decimal("0.5"))
    Spacing.objects.create(
        medication=either, other_nutrient=calcium, hours_before=Decimal("1"), hours_after=Decimal("8")
    )
    html = render_live_table("calcium-spacing")
    cells = dict(re.findall(r'<th scope="row">([^<]+)</th><td data-label="Gap">([^<]+)</td>', html))
    assert cells == {
        "Drug Either": "At least 1 hour before calcium, or 8 hours after it",
        "Drug First": "Take the medicine first, at least 2 hours before calcium; nothing else by mouth for 30 minutes "
        "after the medicine",
    }
    assert "Source: Label A." in html


def test_live_table_unknown_or_empty_is_none(clean_calcium_rows):
    from articles.tables import render_live_table

    assert render_live_table("no-such-table") is None
    assert render_live_table("calcium-foods") is None
    from calculator.models import Spacing

    Spacing.objects.all().delete()
    assert render_live_table("calcium-spacing") is None


@pytest.mark.parametrize(
    ("fields", "label"),
    [
        ({"sex": "any", "age_min": 0, "age_max": 0}, "Babies under 1 year"),
        ({"sex": "any", "age_min": 1, "age_max": 3}, "Children 1–3"),
        ({"sex": "female", "age_min": 9, "age_max": 13}, "Girls 9–13"),
        ({"sex": "male", "age_min": 19, "age_max": None}, "Men 19+"),
        ({"sex": "any", "age_min": 71, "age_max": None}, "Everyone 71+"),
        ({"sex": "female", "age_min": 14, "age_max": 18, "life_stage": "pregnant"}, "Pregnant, ages 14–18"),
        ({"sex": "female", "age_min": 19, "age_max": 50, "life_stage": "lactating"}, "Breastfeeding, ages 19–50"),
    ],
    ids=["infants", "children", "girls", "men-open-ended", "everyone-71", "pregnant", "lactating"],
)
def test_live_table_band_labels(fields, label):
    """Who a guideline row is for, in words, as the guideline tables' band partial writes it."""
    from django.template.loader import render_to_string

    from articles.tables import band
    from calculator.models import IntakeGuideline

    row = IntakeGuideline(**{"life_stage": "none", **fields})
    assert render_to_string("articles/tables/guidelines.html#band", {"band": band(row)}) == label


# --- derived fields on save and re-rendering ---


def test_article_save_derives_html_toc_and_reading_time(make_article):
    article = make_article(body="## Why\n\n" + "word " * 300 + "\n\n### How\n\ntext", references=[{"key": "a"}])
    assert article.body_html.startswith('<h2 id="why">Why</h2>')
    assert article.toc == [{"id": "why", "text": "Why", "children": [{"id": "how", "text": "How"}]}]
    assert article.word_count == 303
    assert article.reading_minutes == 2


def test_article_rerenders_when_references_are_added_reordered_and_removed(make_article):
    from articles.models import Reference

    article = make_article(body="Claim[^b].", references=[{"key": "a"}])
    assert "[^b]" in article.body_html  # not yet a reference
    b = Reference.objects.create(article=article, key="b", order=2, authors="X", title="B", pmid="1")
    article.refresh_from_db()
    assert 'href="#ref-b">[<span class="visually-hidden">reference </span>2]' in article.body_html
    assert article.cited_keys == ["b"]
    b.order = 0
    b.save()
    article.refresh_from_db()
    assert '<span class="visually-hidden">reference </span>1]' in article.body_html
    b.delete()
    article.refresh_from_db()
    assert "[^b]" in article.body_html and article.cited_keys == []


def body_of(client, article):
    return client.get(article.get_absolute_url()).text.split('class="prose article-body"', 1)[1].split("</div>\n\n")[0]


def test_article_page_shows_the_calculator_rows_as_they_are_now(client, make_article, clean_calcium_rows):
    from calculator.models import IntakeGuideline

    row = make_guideline(
        clean_calcium_rows, age_min=51, age_max=None, target=Decimal("1200"), upper_limit=Decimal("2500")
    )
    article = make_article(body="## Limits\n\n[[table:calcium-guidelines]]\n")
    assert "2,500 mg" in body_of(client, article)
    row.upper_limit = Decimal("2000")
    row.save()
    html = body_of(client, article)
    assert "2,000 mg" in html and "2,500 mg" not in html
    IntakeGuideline.objects.filter(pk=row.pk).first().delete()
    assert "live-calcium-guidelines-caption" not in body_of(client, article)


def test_article_page_shows_a_renamed_food(client, make_article, clean_calcium_rows):
    amount = make_food_amount(clean_calcium_rows, "sardines-test", "325")
    article = make_article(body="[[table:calcium-foods]]")
    assert "Sardines Test" in body_of(client, article)
    amount.food.name = "Sardines, canned with bones"
    amount.food.save()
    assert "Sardines, canned with bones" in body_of(client, article)


def test_article_page_shows_a_changed_spacing_and_medicine(client, make_article, calcium):
    from calculator.models import Spacing

    gap = Spacing.objects.get(medication__slug="levothyroxine", other_nutrient=calcium)
    article = make_article(body="[[table:calcium-spacing]]")
    assert "At least 4 hours before calcium, or 4 hours after it" in body_of(client, article)
    gap.hours_after = Decimal("6")
    gap.save()
    gap.medication.name = "Levothyroxine (for an underactive thyroid)"
    gap.medication.save()
    html = body_of(client, article)
    assert "At least 4 hours before calcium, or 6 hours after it" in html
    assert "Levothyroxine (for an underactive thyroid)" in html


def test_article_delete_with_references_does_not_rerender(make_article):
    from articles.models import Article, Reference

    article = make_article(body="x[^a]", references=[{"key": "a"}, {"key": "b"}])
    article.delete()
    assert not Article.objects.filter(pk=article.pk).exists()
    assert not Reference.objects.filter(article_id=article.pk).exists()


def test_post_migrate_renders_articles_stored_without_html(make_article):
    from django.apps import apps

    from articles.models import Article
    from articles.signals import render_after_migrate

    article = make_article(body="## Heading\n\nText[^a].", references=[{"key": "a"}])
    Article.objects.filter(pk=article.pk).update(body_html="", toc=[], word_count=0, reading_minutes=0)
    render_after_migrate(sender=apps.get_app_config("articles"), apps=apps, using="default")
    article.refresh_from_db()
    assert '<h2 id="heading">' in article.body_html and 'id="cite-a"' in article.body_html
    assert article.toc and article.word_count == 2


# --- the launch article, as its data migration ships it ---


def test_seed_article_is_rendered_with_every_citation_and_live_table(client, db):
    from articles.models import Article
    from articles.tables import LIVE_TABLES

    article = Article.objects.get(slug="calcium-and-vitamin-k2-bone-health-combination")
    keys = list(article.references.values_list("key", flat=True))
    assert set(markdown.find_citations(article.body)) <= set(keys)
    assert "[^" not in article.body_html
    page = client.get(article.get_absolute_url()).text
    for slug in markdown.find_table_directives(article.body):
        assert slug in LIVE_TABLES
        assert f'id="live-{slug}-caption"' in page
    assert article.toc and article.reading_minutes >= 5
    assert article.is_live and article.summary and article.author_id
    assert set(article.nutrients.values_list("slug", flat=True)) >= {"calcium", "vitamin-k2"}


def test_seed_migration_creates_only_what_is_missing_and_reverses(db):
    import importlib

    from django.apps import apps

    from articles.models import Article

    migration = importlib.import_module("articles.migrations.0002_launch_article")
    slug = "calcium-and-vitamin-k2-bone-health-combination"
    Article.objects.filter(slug=slug).update(title="Edited by an editor")
    migration.create_missing(apps, None)
    assert Article.objects.get(slug=slug).title == "Edited by an editor"  # an editor's change survives

    migration.remove(apps, None)
    assert not Article.objects.filter(slug=slug).exists()
    migration.create_missing(apps, None)
    article = Article.objects.get(slug=slug)
    assert article.title != "Edited by an editor"
    assert article.references.count() == len(migration.load()["references"])


def test_a_reference_loaded_with_loaddata_shows_in_the_reference_list(make_article, client, tmp_path):
    """loaddata saves rows raw, with no form: the article's stored citations and reference list follow anyway."""
    import json

    from django.core import serializers
    from django.core.management import call_command

    from articles.models import Reference

    article = make_article(body="Cited.[^a]", references=[{"key": "a", "title": "The first title"}])
    [row] = json.loads(serializers.serialize("json", Reference.objects.filter(article=article)))
    row["fields"]["title"] = "A corrected title"
    fixture = tmp_path / "references.json"
    fixture.write_text(json.dumps([row]))
    call_command("loaddata", str(fixture), verbosity=0)

    page = client.get(article.get_absolute_url()).content.decode()
    assert "A corrected title" in page
    assert "The first title" not in page


def test_an_article_loaded_raw_is_rendered_from_the_references_in_the_database(make_article, client):
    """A row that arrives with stale HTML (an old dump, a revision restored) is rendered again on arrival."""
    from django.core import serializers

    from articles.models import Article

    article = make_article(body="Cited.[^a]", references=[{"key": "a", "title": "Kept reference"}])
    Article.objects.filter(pk=article.pk).update(body_html="<p>stale</p>", references_html="<p>stale list</p>")
    dump = serializers.serialize("json", Article.objects.filter(pk=article.pk))
    for loaded in serializers.deserialize("json", dump):
        loaded.save()

    page = client.get(article.get_absolute_url()).content.decode()
    assert "stale" not in page
    assert "Kept reference" in page and 'href="#ref-a"' in page


def test_raw_html_cannot_set_ids():
    from articles.markdown import render

    rendered = render(
        '<h2 id="main">Raw</h2>\n\n## Calcium\n\n<h3 ID=calcium>Copy</h3>\n\nText[^a] <sup id="toc">1</sup>'
        "<span/id='references'>x</span>\n",
        reference_keys=["a"],
    )
    ids = re.findall(r'\bid="([^"]+)"', rendered.html)
    assert sorted(ids) == ["calcium", "cite-a"]
    assert rendered.toc[0]["id"] == "calcium"
