"""Article trust: honest review status, the medical review workflow, evidence levels, the public
"What changed" list, the editorial policy page and the corrected launch article."""

import importlib
import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

SEED_SLUG = "calcium-and-vitamin-k2-bone-health-combination"
ATOM = "{http://www.w3.org/2005/Atom}"


def json_ld(html):
    return json.loads(html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0])


def attention(response):
    return {item.label.split(" (")[0]: item.count for item in response.context["attention"]}


def change_form(article, **fields):
    """The article admin form as the page would post it, with one new "What changed" row if ``note`` is given."""
    note = fields.pop("note", "")
    published = timezone.localtime(article.published_at)
    data = {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "body": article.body,
        "status": article.status,
        "published_at_0": published.strftime("%Y-%m-%d"),
        "published_at_1": published.strftime("%H:%M:%S"),
        "author": str(article.author_id),
        "hero_image_alt": "",
        **{
            f"{prefix}-{name}": "0"
            for prefix in ("takeaways", "references", "changes")
            for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS")
        },
        **fields,
    }
    if note:
        data.update(
            {
                "changes-TOTAL_FORMS": "1",
                "changes-0-date": timezone.localdate().isoformat(),
                "changes-0-kind": "correction",
                "changes-0-note": note,
            }
        )
    return data


# Honest review status -------------------------------------------------------------------------------------------


def test_unreviewed_article_says_review_is_pending_and_shows_no_review_date(client, make_article):
    article = make_article(title="Never reviewed")
    html = client.get(article.get_absolute_url()).text
    assert "Medical review pending" in html
    assert "Last reviewed" not in html and "Medically reviewed by" not in html
    data = json_ld(html)
    assert "lastReviewed" not in data and "reviewedBy" not in data


def test_database_refuses_a_review_date_without_a_reviewer(make_article):
    from articles.models import Article

    article = make_article()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(last_reviewed=timezone.localdate())


def test_reviewer_and_review_date_are_not_editable_in_the_article_form(editor_client, make_article, make_person):
    article = make_article()
    invented = make_person(name="Dr Invented", credentials="MD")
    data = change_form(article, reviewer=str(invented.pk), last_reviewed=timezone.localdate().isoformat())
    response = editor_client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.reviewer is None and article.last_reviewed is None


# The workflow ----------------------------------------------------------------------------------------------------


def test_editor_requests_review_and_reviewer_approves_with_a_note(
    client, editor_client, reviewer_client, reviewer, make_article, only_our_articles
):
    from articles.models import Article, MedicalReview

    article = make_article(title="Asked for review")
    changelist = reverse("admin:articles_article_changelist")
    response = editor_client.post(
        changelist, {"action": "request_review", "_selected_action": [str(article.pk)]}, follow=True
    )
    assert "Medical review requested for 1 article(s)." in response.text
    article.refresh_from_db()
    assert article.review_status == Article.ReviewStatus.REQUESTED
    assert attention(reviewer_client.get(reverse("admin:index")))["Articles waiting for medical review"] == 1
    waiting = reviewer_client.get(changelist + "?review_status__exact=requested")
    assert [row.title for row in waiting.context["cl"].result_list] == ["Asked for review"]

    review_url = reverse("admin:articles_article_review", args=[article.pk])
    page = reviewer_client.get(review_url)
    assert "You sign off as" in page.text and "Dr Ada Reviewer" in page.text
    response = reviewer_client.post(review_url, {"decision": "approve", "note": "Doses match the tables."})
    assert response.status_code == 302

    article.refresh_from_db()
    assert article.review_status == Article.ReviewStatus.APPROVED
    assert article.reviewer.user == reviewer and article.last_reviewed == timezone.localdate()
    approval = MedicalReview.objects.get(article=article, decision="approved")
    assert approval.user == reviewer and approval.note == "Doses match the tables."
    assert approval.revision is not None  # which version was signed off
    stored = approval.revision.version_set.get(object_id=str(article.pk), content_type__model="article")
    assert stored.field_dict["title"] == "Asked for review"
    assert attention(reviewer_client.get(reverse("admin:index")))["Articles waiting for medical review"] == 0

    html = client.get(article.get_absolute_url()).text
    assert "Medically reviewed by" in html and "Dr Ada Reviewer" in html and "MD, endocrinologist" in html
    assert "Medical review pending" not in html
    due = (timezone.localdate() + timedelta(days=365)).isoformat()
    assert f'datetime="{due}"' in html  # next review due, 12 months on
    data = json_ld(html)
    assert data["reviewedBy"]["name"] == "Dr Ada Reviewer"
    assert data["lastReviewed"] == timezone.localdate().isoformat()


def test_reviewer_without_a_named_person_cannot_approve(make_reviewer, make_article):
    from django.test import Client

    user = make_reviewer(username="anonymous-reviewer", person=False)
    client = Client()
    client.force_login(user)
    article = make_article()
    url = reverse("admin:articles_article_review", args=[article.pk])
    assert "not linked to a named person" in client.get(url).text
    response = client.post(url, {"decision": "approve"}, follow=True)
    assert "not linked to a named person" in response.text
    article.refresh_from_db()
    assert article.reviewer is None and article.last_reviewed is None


def test_sending_back_needs_a_note_and_shows_in_the_history(reviewer_client, make_article):
    from articles.models import Article

    article = make_article()
    url = reverse("admin:articles_article_review", args=[article.pk])
    response = reviewer_client.post(url, {"decision": "send_back", "note": ""}, follow=True)
    assert "Say what needs to change" in response.text
    article.refresh_from_db()
    assert article.review_status == Article.ReviewStatus.NOT_REQUESTED
    reviewer_client.post(url, {"decision": "send_back", "note": "Cite the dose of the 2013 trial."})
    article.refresh_from_db()
    assert article.review_status == Article.ReviewStatus.SENT_BACK and article.reviewer is None
    assert "Cite the dose of the 2013 trial." in reviewer_client.get(url).text


def test_a_correction_after_approval_marks_changed_since_review_and_is_listed_for_readers(
    client, editor_client, reviewer_client, make_article, only_our_articles
):
    from articles.models import Article

    article = make_article(title="Approved then corrected", published_at=timezone.now() - timedelta(days=30))
    reviewer_client.post(reverse("admin:articles_article_review", args=[article.pk]), {"decision": "approve"})
    change_url = reverse("admin:articles_article_change", args=[article.pk])

    # A minor edit leaves no note and keeps the approval current.
    response = editor_client.post(change_url, change_form(article, summary="A clearer summary."))
    assert response.status_code == 302
    article.refresh_from_db()
    assert not article.changed_since_review and not article.changes.exists()
    assert "No corrections or updates since this article was published." in client.get(article.get_absolute_url()).text

    note = "Corrected the upper limit for people over 50 to 2,000 mg."
    response = editor_client.post(change_url, change_form(article, note=note))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.changed_since_review
    assert list(Article.objects.changed_since_review()) == [article]
    assert attention(editor_client.get(reverse("admin:index")))["Articles changed since their medical review"] == 1

    html = client.get(article.get_absolute_url()).text
    changes = html.split('id="changes-title"', 1)[1].split("</section>", 1)[0]
    today = timezone.localdate()
    assert note in changes and f'datetime="{today.isoformat()}"' in changes and "Correction." in changes
    assert "Medically reviewed by" in html  # the earlier approval stays, dated, until a new one

    feed = ET.fromstring(client.get("/blog/feed/").content)
    entry = next(e for e in feed.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}title") == "Approved then corrected")
    assert entry.findtext(f"{ATOM}updated").startswith(today.isoformat())

    # A new approval clears the flag.
    reviewer_client.post(reverse("admin:articles_article_review", args=[article.pk]), {"decision": "approve"})
    article.refresh_from_db()
    assert not article.changed_since_review


def test_feed_updated_is_the_publication_date_without_listed_changes(client, make_article, only_our_articles):
    article = make_article(title="Only minor edits", published_at=timezone.now() - timedelta(days=40))
    feed = ET.fromstring(client.get("/blog/feed/").content)
    entry = next(e for e in feed.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}title") == "Only minor edits")
    assert entry.findtext(f"{ATOM}updated").startswith(article.published_at.date().isoformat())


# Evidence levels and the policy page --------------------------------------------------------------------------


def test_takeaways_show_their_evidence_level_and_a_legend_linking_to_the_policy(client, make_article):
    article = make_article(takeaways=[("K2 trials have not shown less artery calcium.", "moderate")])
    html = client.get(article.get_absolute_url()).text
    box = html.split('id="takeaways-title"', 1)[1].split("</section>", 1)[0]
    assert "K2 trials have not shown less artery calcium." in box and "Evidence: Moderate" in box
    assert "Official reference value, Strong, Moderate, Limited, Insufficient" in box
    assert 'href="/about/editorial-policy/#evidence-levels"' in box


def test_editor_grades_a_takeaway_in_the_admin_from_the_fixed_scale(editor_client, make_article):
    article = make_article()
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = change_form(
        article,
        **{"takeaways-TOTAL_FORMS": "1", "takeaways-0-order": "1", "takeaways-0-text": "A takeaway."},
    )
    response = editor_client.post(url, {**data, "takeaways-0-evidence": "certain"})
    assert response.status_code == 200 and "Select a valid choice" in response.text
    response = editor_client.post(url, {**data, "takeaways-0-evidence": "limited"})
    assert response.status_code == 302
    assert article.takeaways.get().get_evidence_display() == "Limited"


def test_editorial_policy_page_explains_review_levels_corrections_and_money(client, db):
    response = client.get("/about/editorial-policy/")
    assert response.status_code == 200
    html = response.text
    for anchor in ("medical-review", "evidence-levels", "corrections", "how-the-site-earns-money"):
        assert f'id="{anchor}"' in html
    for level in ("Official reference value", "Strong", "Moderate", "Limited", "Insufficient"):
        assert f"<strong>{level}</strong>" in html
    assert 'href="/disclosure/"' in html
    assert html.count("<h1") == 1
    assert 'href="/about/editorial-policy/"' in client.get("/").text  # linked from every page's footer


def test_editor_edits_the_policy_page_and_readers_see_it(client, editor_client):
    from articles.models import Page

    page = Page.objects.get(slug="editorial-policy")
    response = editor_client.post(
        reverse("admin:articles_page_change", args=[page.pk]),
        {"title": page.title, "slug": page.slug, "summary": page.summary, "body": page.body + "\n\nNew line."},
    )
    assert response.status_code == 302
    assert "New line." in client.get("/about/editorial-policy/").text


# The corrected launch article --------------------------------------------------------------------------------------


def test_launch_article_carries_the_fact_check_corrections(client, db):
    from articles.models import Article

    article = Article.objects.get(slug=SEED_SLUG)
    html = client.get(article.get_absolute_url()).text
    body = article.body
    assert "roughly 120 mcg in a 1.5-ounce serving" in body
    assert "no reliable data for kefir" not in body and "also sampled kefirs" in body
    assert "was set up to compare 360 mcg" in body and "registry entry gives its status as unknown" in body
    assert "benefit, not harm" not in body
    assert "2.4 parts calcium per part magnesium" in body and "3.9" not in body
    assert "[^jama-notice-2018]" in body and "[^torgerson-2018]" in body
    for heading in ("Calcium supplements and the heart", "Do supplements prevent fractures?", "Lithium and digoxin"):
        assert f"## {heading}" in body or f"### {heading}" in body
    assert "Signs of too much calcium" in body and "milk-alkali syndrome" in body
    # Honest status: shipped with a review date but no reviewer, now pending.
    assert article.reviewer is None and article.last_reviewed is None
    assert "Medical review pending" in html and "Last reviewed" not in html
    # Every takeaway graded, every reference findable and cited, industry funding shown.
    assert article.takeaways.count() == 8 and not article.takeaways.filter(evidence="").exists()
    references = list(article.references.all())
    assert all(reference.doi or reference.pmid or reference.url for reference in references)
    assert {reference.key for reference in references} <= set(article.cited_keys)
    for key in ("shiraki-2000", "persy-2009", "theuwissen-2013", "usda-brief-13", "fu-2017", "bolland-2010"):
        assert key in article.cited_keys
    assert "Funding: Funded by NattoPharma, which makes MK-7 supplements." in html
    # The dated public notes of what changed.
    assert article.changes.count() == 7
    assert "What changed" in html and "Corrected the vitamin K2 figures for cheese" in html


def test_every_reference_of_every_published_article_has_an_identifier_or_an_official_link(db):
    from articles.models import Article, Reference

    references = Reference.objects.filter(article__in=Article.objects.published())
    assert references.count() >= 30
    for reference in references:
        reference.full_clean()  # a DOI and a PubMed id in their valid forms
        assert reference.doi or reference.pmid or reference.url.startswith("https://"), reference.key
        assert "pubmed.ncbi.nlm.nih.gov/?" not in reference.url and "term=" not in reference.url, reference.key


def test_launch_article_says_kefir_was_measured_but_gives_no_unconfirmed_figure(client, db):
    from articles.models import Article
    from calculator.models import FoodNutrient

    html = client.get(Article.objects.get(slug=SEED_SLUG).get_absolute_url()).text
    assert "also sampled kefirs, so kefir has been measured" in html
    assert "could not confirm a figure per serving from the paper and give none here" in html
    # The calculator agrees: no kefir K2 figure until one is confirmed from the study.
    assert not FoodNutrient.objects.filter(food__slug="kefir", nutrient__slug="vitamin-k2").exists()


def test_reference_identifiers_migration_keeps_an_editors_entry_and_reverses(client, db):
    from articles.models import Article

    migration = importlib.import_module("articles.migrations.0007_reference_ids_and_kefir")
    article = Article.objects.get(slug=SEED_SLUG)
    persy = article.references.get(key="persy-2009")
    persy.url = "https://www.example.org/persy-full-text"
    persy.save()

    migration.backwards(django_apps, None)
    assert article.references.get(key="shiraki-2000").url.startswith("https://pubmed.ncbi.nlm.nih.gov/?term=")
    assert article.references.get(key="schurgers-2007").doi == ""
    assert article.references.get(key="persy-2009").url == "https://www.example.org/persy-full-text"
    assert "tested kefir as well" in Article.objects.get(pk=article.pk).body
    assert not article.changes.filter(note__startswith="Said what the US dairy study found for kefir").exists()

    migration.forwards(django_apps, None)
    assert article.references.get(key="shiraki-2000").url == "https://academic.oup.com/jbmr"
    assert article.references.get(key="schurgers-2007").doi == "10.1182/blood-2006-08-040709"
    assert article.references.get(key="persy-2009").url == "https://www.example.org/persy-full-text"
    assert "also sampled kefirs" in Article.objects.get(pk=article.pk).body
    assert article.changes.filter(note__startswith="Said what the US dairy study found for kefir").count() == 1


def test_launch_article_gives_the_fracture_review_with_its_authors_adjustment(client, db):
    from articles.models import Article

    article = Article.objects.get(slug=SEED_SLUG)
    keys = [reference.key for reference in article.references.order_by("order")]
    assert keys.index("mott-2019-adjustment") == keys.index("mott-2019") + 1
    html = client.get(article.get_absolute_url()).text
    assert "0.74 for any clinical fracture (95% CI 0.56 to 0.97)" in html
    assert "openresearch.surrey.ac.uk" in html
    assert "the fracture estimate is 0.74 rather than 0.72" in html  # listed under "What changed"


def test_mott_adjustment_migration_reverses_and_applies_once(db):
    from articles.models import Article

    migration = importlib.import_module("articles.migrations.0008_mott_adjustment")
    article = Article.objects.get(slug=SEED_SLUG)
    keys_before = list(article.references.order_by("order").values_list("key", flat=True))

    migration.backwards(django_apps, None)
    assert not article.references.filter(key="mott-2019-adjustment").exists()
    assert "mott-2019-adjustment" not in Article.objects.get(pk=article.pk).body
    assert not article.changes.filter(note__contains="0.74 rather than 0.72").exists()

    migration.forwards(django_apps, None)
    migration.forwards(django_apps, None)
    assert list(article.references.order_by("order").values_list("key", flat=True)) == keys_before
    assert article.changes.filter(note__contains="0.74 rather than 0.72").count() == 1


def test_launch_article_gives_the_gaps_the_timetable_keeps(client, db):
    from articles.models import Article
    from calculator.models import Spacing

    html = client.get(Article.objects.get(slug=SEED_SLUG).get_absolute_url()).text
    assert 'id="live-calcium-spacing-caption"' in html
    assert "Antibiotic 2 hours before or 6 hours after" not in html  # the typed table's shorter gap is gone
    quinolones = Spacing.objects.get(medication__slug="fluoroquinolones", other_nutrient__slug="calcium")
    row = re.search(r"<th scope=\"row\">Fluoroquinolone[^<]*</th><td[^>]*>([^<]*)</td>", html)
    assert row, "no fluoroquinolone row"
    assert f"{quinolones.hours_before.normalize()} hours before calcium" in row.group(1)
    assert f"{quinolones.hours_after.normalize()} hours after" in row.group(1)
