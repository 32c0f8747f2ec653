"""The third fact check (issue 26) on the launch article's page, as a reader sees it: each corrected claim's paragraph
carries a citation, the breastfeeding takeaway says the UK differs, cheddar's figure is cheddar's, the references
carry the identifiers confirmed for them, and every correction is listed under "What changed" with its date."""

import importlib
import re
from html import unescape

import pytest

pytestmark = pytest.mark.django_db

URL = "/blog/calcium-and-vitamin-k2-bone-health-combination/"
BLOCK = re.compile(r"<(p|li)\b[^>]*>(.*?)</\1>", re.S)
CITATION = '<sup class="cite"'


@pytest.fixture
def page(client):
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def blocks_with(page, phrase):
    found = [body for _tag, body in BLOCK.findall(page) if phrase in unescape(re.sub(r"<[^>]+>", "", body))]
    assert found, phrase
    return found


@pytest.mark.parametrize(
    ("phrase", "reference"),
    [
        ("more kidney stones formed in the supplement group", "jackson-2006"),
        ("had more stones than those given a placebo", "jackson-2006"),
        ("its reference intake goes up by 550 mg a day", "coma-1991"),
        ("EFSA's figure does not rise either", "efsa-calcium-2015"),
        ("coeliac disease or inflammatory bowel disease", "ods-vitamin-k"),
        ("take it with a meal containing some fat", "ods-vitamin-k"),
        ("keep your vitamin K intake steady from day to day", "ods-vitamin-k"),
        ("exercise and enough vitamin D matter too", "nhs-osteoporosis"),
        ("Cheddar measured on its own held far less", "fu-2017"),
        ("which an MK-7 maker funded", "knapen-2015"),
        ("to warn readers that it included trials", "torgerson-2018"),
    ],
)
def test_each_corrected_claim_carries_its_citation(page, phrase, reference):
    for block in blocks_with(page, phrase):
        assert CITATION in block and f'href="#ref-{reference}"' in block, (phrase, block)


def test_the_claims_that_could_not_be_found_are_gone(page):
    text = unescape(re.sub(r"<[^>]+>", "", page))
    assert "Small trials suggest moderate calcium supplements may not make stones" not in text
    assert "published a notice cautioning readers" not in text and 'id="ref-jama-notice-2018"' not in page
    assert "roughly 120 mcg in a 1.5-ounce serving" not in text
    assert "vitamin D and protein matter too" not in text


def test_the_breastfeeding_takeaway_names_the_uk_difference(page):
    takeaway = blocks_with(page, "calcium needs do not rise in pregnancy or breastfeeding")[0]
    assert "the UK adds 550 mg a day while breastfeeding" in unescape(takeaway)
    text = unescape(re.sub(r"<[^>]+>", "", page))
    assert "Calcium needs do not rise in pregnancy or while breastfeeding." not in text


def test_the_cheddar_figure_is_cheddars(page):
    text = unescape(re.sub(r"<[^>]+>", "", page))
    assert "roughly 12 mcg in a 1.5-ounce serving" in text
    # The live food table draws the same figure from the calculator's row.
    assert re.search(r"Cheese, cheddar</th>.*?12 mcg", page, re.S)


def test_the_spacing_table_keeps_four_hours_either_side_of_tetracyclines(page):
    row = re.search(r"<tr><th scope=\"row\">Tetracycline[^<]*</th>(.*?)</tr>", page, re.S)
    assert row and "At least 4 hours before calcium, or 4 hours after it" in unescape(row.group(1))
    assert "HIV integrase inhibitors" in page


def test_the_new_references_carry_their_identifiers(page):
    assert "https://doi.org/10.1056/NEJMoa055218" in page
    assert "https://pubmed.ncbi.nlm.nih.gov/16481635/" in page
    assert "https://doi.org/10.2903/j.efsa.2015.4101" in page
    assert "Osteoporos Int 1991;1(2):65-71" in page
    assert "University of Surrey" in page and "Guildford" in page


def test_every_correction_is_listed_under_what_changed_with_its_date(page):
    migration = importlib.import_module("articles.migrations.0014_facts_third_check")
    text = unescape(re.sub(r"<[^>]+>", "", page))
    for _passages, _kind, note in migration.CHANGES:
        assert note in text, note
    assert "5 December 2026" in text or "December 5, 2026" in text or "2026-12-05" in page


def test_the_migration_leaves_an_editors_wording_alone_and_its_reverse_restores_the_shipped_text():
    from django.apps import apps

    from articles.models import Article, ArticleChange, KeyTakeaway, Reference

    migration = importlib.import_module("articles.migrations.0014_facts_third_check")
    article = Article.objects.get(slug="calcium-and-vitamin-k2-bone-health-combination")
    notes = [note for _passages, _kind, note in migration.CHANGES]
    migration.backwards(apps, None)
    article.refresh_from_db()
    for old, new in migration.PASSAGES:
        assert old in article.body and new not in article.body
    assert Reference.objects.filter(article=article, key="jama-notice-2018").exists()
    assert not Reference.objects.filter(article=article, key="jackson-2006").exists()
    assert KeyTakeaway.objects.filter(article=article, text=migration.TAKEAWAY[0]).exists()
    assert not ArticleChange.objects.filter(article=article, note__in=notes).exists()
    # An editor rewrote the kidney stones bullet in the meantime: that passage stays theirs, the rest is corrected.
    old_stones = migration.PASSAGES[6][0]
    Article.objects.filter(pk=article.pk).update(body=article.body.replace(old_stones, "An editor's own words."))
    migration.forwards(apps, None)
    article.refresh_from_db()
    assert "An editor's own words." in article.body and migration.PASSAGES[6][1] not in article.body
    assert migration.PASSAGES[7][1] in article.body
    assert ArticleChange.objects.filter(article=article, note__in=notes).count() == len(migration.CHANGES)
    # Only the passages an editor left alone are noted as changed: the breastfeeding note is there.
    assert ArticleChange.objects.filter(article=article, note=migration.CHANGES[1][2]).exists()
    migration.forwards(apps, None)  # twice: nothing is added a second time
    assert Reference.objects.filter(article=article, key="jackson-2006").count() == 1
    assert ArticleChange.objects.filter(article=article, note__in=notes).count() == len(migration.CHANGES)


def test_the_corrections_await_a_medical_reviewer_where_the_article_was_approved(client):
    """The fact-check migration changes what readers are told: an approval given before it no longer covers the
    article, so the page says the review is pending and the structured data names no reviewer."""
    from datetime import date

    from django.apps import apps

    from articles.models import Article, Person

    migration = importlib.import_module("articles.migrations.0014_facts_third_check")
    article = Article.objects.get(slug="calcium-and-vitamin-k2-bone-health-combination")
    migration.backwards(apps, None)
    reviewer = Person.objects.create(slug="dr-before", name="Dr Before", credentials="MD")
    article.refresh_from_db()
    Article.objects.filter(pk=article.pk).update(
        reviewer=reviewer,
        last_reviewed=date(2026, 11, 1),
        review_status=Article.ReviewStatus.APPROVED,
        reviewed_fingerprint=article.content_fingerprint(),
    )
    article.refresh_from_db()
    assert article.review_current

    migration.forwards(apps, None)
    article.refresh_from_db()
    assert article.changed_since_review
    article.render()
    article.save()
    page = client.get(URL).content.decode()
    assert "Changed since its medical review on" in page
    assert '"reviewedBy"' not in page and '"lastReviewed"' not in page


# -- claims cited to sources that say them (0016) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "reference", "address"),
    [
        # Medsafe, Prescriber Update 2014;35(3):37-38: up to 10% on long-term lithium develop high blood calcium.
        ("Long-term lithium treatment can raise blood calcium", "medsafe-2014", "medsafe.govt.nz"),
        # MSD Manual Professional, Hypercalcemia: primary hyperparathyroidism the most common cause.
        ("An overactive parathyroid gland often raises blood calcium", "msd-hypercalcemia", "msdmanuals.com"),
        # UK SmPC, calcium and vitamin D3, 4.4: caution in sarcoidosis, more vitamin D turned into its active form.
        ("turn more vitamin D into its active form", "smpc-calcium-d3", "medicines.org.uk/emc/product/3334"),
        # IOM 1997 p. 142: renal failure and thiazide users susceptible to calcium's toxic effects.
        ("People with kidney failure are especially vulnerable", "iom-1997", "10.17226/5776"),
        ("so large supplements can push blood calcium too high", "iom-1997", "10.17226/5776"),
    ],
)
def test_each_condition_claim_cites_a_source_that_says_it(page, phrase, reference, address):
    for block in blocks_with(page, phrase):
        assert f'href="#ref-{reference}"' in block and 'href="#ref-ods-calcium"' not in block, (phrase, block)
    item = re.search(rf'<li[^>]*id="ref-{reference}"[^>]*>(.*?)</li>', page, re.S)
    assert item and address in item.group(1), reference


def test_the_citation_fixes_are_listed_under_what_changed_and_reverse_cleanly():
    from django.apps import apps

    from articles.models import Article, ArticleChange, Reference

    migration = importlib.import_module("articles.migrations.0016_fact_citations")
    article = Article.objects.get(slug="calcium-and-vitamin-k2-bone-health-combination")
    assert ArticleChange.objects.filter(article=article, date="2026-12-05", note=migration.CHANGE[1]).exists()
    migration.backwards(apps, None)
    article.refresh_from_db()
    for old, new in migration.PASSAGES:
        assert old in article.body and new not in article.body
    assert not Reference.objects.filter(article=article, key="medsafe-2014").exists()
    assert not ArticleChange.objects.filter(article=article, note=migration.CHANGE[1]).exists()
    # An editor rewrote the lithium bullet meanwhile: it stays theirs, and no reference is added for it.
    Article.objects.filter(pk=article.pk).update(
        body=article.body.replace(migration.PASSAGES[0][0], "- **Lithium.** An editor's own words.")
    )
    migration.forwards(apps, None)
    migration.forwards(apps, None)
    article.refresh_from_db()
    assert "An editor's own words." in article.body
    assert not Reference.objects.filter(article=article, key="medsafe-2014").exists()
    assert Reference.objects.filter(article=article, key="smpc-calcium-d3").count() == 1
    assert ArticleChange.objects.filter(article=article, note=migration.CHANGE[1]).count() == 1
