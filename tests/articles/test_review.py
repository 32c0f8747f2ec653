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


def approve(reviewer_client, article, note=""):
    """The reviewer opens the review page and approves what it showed (the form carries that version's fingerprint)."""
    url = reverse("admin:articles_article_review", args=[article.pk])
    fingerprint = reviewer_client.get(url).context["fingerprint"]
    return reviewer_client.post(url, {"decision": "approve", "note": note, "fingerprint": fingerprint})


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
    response = approve(reviewer_client, article, note="Doses match the tables.")
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
    approve(reviewer_client, article)
    change_url = reverse("admin:articles_article_change", args=[article.pk])

    # A save that changes nothing readers are told (here: featured on the home page) keeps the approval current.
    response = editor_client.post(change_url, change_form(article, featured="on"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.featured and not article.changed_since_review
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
    assert "Medically reviewed by" not in html and "Changed since its medical review on" in html

    feed = ET.fromstring(client.get("/blog/feed/").content)
    entry = next(e for e in feed.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}title") == "Approved then corrected")
    assert entry.findtext(f"{ATOM}updated").startswith(today.isoformat())

    # A new approval clears the flag.
    approve(reviewer_client, article)
    article.refresh_from_db()
    assert not article.changed_since_review
    assert "Medically reviewed by" in client.get(article.get_absolute_url()).text


# The sign-off covers exactly what was reviewed (issue 27) ---------------------------------------------------------


def assert_changed_since_review(client, article):
    """What a reader and a search engine see of an article changed after its approval."""
    html = client.get(article.get_absolute_url()).text
    reviewed_on = article.last_reviewed.strftime("%-d %B %Y")
    assert f'Changed since its medical review on <time datetime="{article.last_reviewed.isoformat()}">' in html
    assert reviewed_on in html and "review pending" in html
    assert "Medically reviewed by" not in html and "Last reviewed" not in html
    data = json_ld(html)
    assert "lastReviewed" not in data and "reviewedBy" not in data
    return html


def test_an_edit_after_approval_without_a_change_note_puts_the_article_back_to_review(
    client, editor_client, reviewer_client, make_article, only_our_articles
):
    from articles.models import Article

    article = make_article(title="Calcium doses")
    approve(reviewer_client, article)
    html = client.get(article.get_absolute_url()).text
    assert "Medically reviewed by" in html and json_ld(html)["reviewedBy"]["name"] == "Dr Ada Reviewer"

    body = article.body + "\n\nTake 5000 mg calcium a day."
    response = editor_client.post(
        reverse("admin:articles_article_change", args=[article.pk]), change_form(article, body=body)
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.changed_since_review and not article.changes.exists()
    assert "Take 5000 mg calcium a day." in assert_changed_since_review(client, article)

    # The reviewer's dashboard and the change list show it.
    assert attention(reviewer_client.get(reverse("admin:index")))["Articles changed since their medical review"] == 1
    listed = reviewer_client.get(reverse("admin:articles_article_changelist") + "?changed_since_review=yes")
    assert [row.title for row in listed.context["cl"].result_list] == ["Calcium doses"]

    # Sending it back does not clear it; only a new approval does.
    review_url = reverse("admin:articles_article_review", args=[article.pk])
    reviewer_client.post(review_url, {"decision": "send_back", "note": "5000 mg is above the upper limit."})
    article = Article.objects.get(pk=article.pk)
    assert article.changed_since_review
    assert_changed_since_review(client, article)
    approve(reviewer_client, article)
    article = Article.objects.get(pk=article.pk)
    assert not article.changed_since_review
    assert json_ld(client.get(article.get_absolute_url()).text)["lastReviewed"] == timezone.localdate().isoformat()


def test_restoring_the_approvals_revision_with_a_changed_body_stays_changed_since_review(
    client, editor_client, reviewer_client, make_article, only_our_articles
):
    from reversion.models import Version

    from articles.models import Article

    article = make_article(title="Restored")
    editor_client.post(reverse("admin:articles_article_change", args=[article.pk]), change_form(article))
    approve(reviewer_client, article)
    article = Article.objects.get(pk=article.pk)
    approval = Version.objects.get_for_object(article).get(revision__comment__startswith="Medical review: approved")
    for name in ("reviewer", "reviewer_id", "last_reviewed", "review_status", "reviewed_fingerprint"):
        assert name not in approval.field_dict  # a version never holds the sign-off

    # History -> the approval's revision -> change the body -> Save.
    url = reverse("admin:articles_article_revision", args=[article.pk, approval.pk])
    assert editor_client.get(url).status_code == 200
    body = article.body + "\n\nTake 5000 mg calcium a day."
    response = editor_client.post(url, change_form(article, body=body))
    assert response.status_code == 302
    article = Article.objects.get(pk=article.pk)
    assert article.body == body and article.changed_since_review
    assert article.reviewer.name == "Dr Ada Reviewer"  # the sign-off on record stays, but no longer covers the page
    assert_changed_since_review(client, article)

    # Restoring the approved revision as it was brings back exactly the approved text: covered again.
    response = editor_client.post(url, change_form(Version.objects.get(pk=approval.pk)._object_version.object))
    assert response.status_code == 302
    article = Article.objects.get(pk=article.pk)
    assert "5000 mg" not in article.body and not article.changed_since_review
    assert "Medically reviewed by" in client.get(article.get_absolute_url()).text


def test_restoring_a_revision_from_before_the_approval_keeps_the_current_sign_off_fields(
    editor_client, reviewer_client, make_article
):
    from reversion.models import Version

    from articles.models import Article

    article = make_article(title="Before approval")
    editor_client.post(reverse("admin:articles_article_change", args=[article.pk]), change_form(article))
    before = Version.objects.get_for_object(article).first()
    review_url = reverse("admin:articles_article_review", args=[article.pk])
    reviewer_client.post(review_url, {"decision": "send_back", "note": "Add the upper limit."})
    approve(reviewer_client, article)

    url = reverse("admin:articles_article_revision", args=[article.pk, before.pk])
    response = editor_client.post(url, change_form(article, body="Rewritten."))
    assert response.status_code == 302
    article = Article.objects.get(pk=article.pk)
    assert article.body == "Rewritten."
    assert article.review_status == Article.ReviewStatus.APPROVED and article.last_reviewed == timezone.localdate()
    assert article.changed_since_review


def test_changes_outside_the_admin_mark_the_article_changed_since_review(
    client, reviewer_client, make_article, only_our_articles
):
    """The shell, an import or a data migration: the stored fingerprint no longer matches, nothing has to mark it."""
    from articles.models import Article
    from articles.signals import rerender

    article = make_article(title="Shell", references=[{"key": "smith-2020", "title": "A trial", "pmid": "123"}])
    approve(reviewer_client, article)
    article = Article.objects.get(pk=article.pk)
    assert not article.changed_since_review

    reference = article.references.get()
    reference.note = "Found that 5000 mg a day is safe."
    reference.save()
    article = Article.objects.get(pk=article.pk)
    assert article.changed_since_review
    assert_changed_since_review(client, article)

    reference.note = ""
    reference.save()
    assert not Article.objects.get(pk=article.pk).changed_since_review  # exactly the approved content again

    Article.objects.filter(pk=article.pk).update(title="Shell, retitled")  # no save(), no signal
    assert Article.objects.get(pk=article.pk).changed_since_review
    assert list(Article.objects.changed_since_review()) == [Article.objects.get(pk=article.pk)]
    rerender([article.pk])  # the next render (any save of a row it draws on, or after `migrate`) tells readers
    assert_changed_since_review(client, Article.objects.get(pk=article.pk))


def test_review_fields_are_not_accepted_from_the_article_form(editor_client, reviewer_client, make_article):
    from articles.models import Article

    article = make_article()
    data = change_form(
        article,
        review_status="approved",
        reviewed_fingerprint="0" * 64,
        changed_since_review="",
    )
    response = editor_client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert response.status_code == 302
    article = Article.objects.get(pk=article.pk)
    assert article.review_status == Article.ReviewStatus.NOT_REQUESTED and article.reviewed_fingerprint == ""


def test_an_approval_of_a_version_the_reviewer_did_not_see_is_refused(
    editor_client, reviewer_client, make_article, only_our_articles
):
    from articles.models import Article

    article = make_article(title="Moving target")
    review_url = reverse("admin:articles_article_review", args=[article.pk])
    seen = reviewer_client.get(review_url).context["fingerprint"]
    body = article.body + "\n\nTake 5000 mg calcium a day."
    editor_client.post(reverse("admin:articles_article_change", args=[article.pk]), change_form(article, body=body))
    response = reviewer_client.post(review_url, {"decision": "approve", "fingerprint": seen}, follow=True)
    assert "The article was changed while you were reviewing it" in response.text
    article = Article.objects.get(pk=article.pk)
    assert not article.is_medically_reviewed and article.review_status == Article.ReviewStatus.NOT_REQUESTED
    response = reviewer_client.post(review_url, {"decision": "approve"}, follow=True)  # no version named at all
    assert "The article was changed while you were reviewing it" in response.text
    assert not Article.objects.get(pk=article.pk).is_medically_reviewed


@pytest.mark.parametrize("object_id", ["abc", "1.5", "-1", "999999", "1%20", "%E2%9C%93"])
def test_a_malformed_or_unknown_article_id_on_the_review_page_is_a_404(reviewer_client, object_id):
    url = f"/admin/articles/article/{object_id}/review/"
    assert reviewer_client.get(url).status_code == 404
    assert reviewer_client.post(url, {"decision": "approve"}).status_code == 404


def test_review_migration_keeps_an_approval_current_and_a_flagged_article_changed(reviewer_client, make_article):
    from articles.models import Article

    migration = importlib.import_module("articles.migrations.0013_review_covers_content")
    current, flagged = make_article(title="Current"), make_article(title="Flagged")
    for article in (current, flagged):
        approve(reviewer_client, article)
    Article.objects.filter(pk__in=[current.pk, flagged.pk]).update(reviewed_fingerprint="")
    # The migration's frozen fingerprint equals the model's, so an approval it keeps stays current.
    for article in Article.objects.filter(pk__in=[current.pk, flagged.pk]):
        assert migration.fingerprint(article) == article.content_fingerprint()
    Article.objects.filter(pk=current.pk).update(reviewed_fingerprint=migration.fingerprint(current))
    assert not Article.objects.get(pk=current.pk).changed_since_review
    assert Article.objects.get(pk=flagged.pk).changed_since_review


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
    # Cheese: the hard-cheese average was corrected again in the third check (issue 26), to cheddar's own figure.
    assert "roughly 12 mcg in a 1.5-ounce serving" in body
    assert "no reliable data for kefir" not in body and "also sampled kefirs" in body
    assert "was set up to compare 360 mcg" in body and "registry entry gives its status as unknown" in body
    assert "benefit, not harm" not in body
    assert "2.4 parts calcium per part magnesium" in body and "3.9" not in body
    # The journal notice could not be confirmed apart from the authors' letter (issue 26): the letter is cited.
    assert "[^jama-notice-2018]" not in body and "[^torgerson-2018]" in body
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
    assert article.changes.count() == 16  # 0016: three claims cited to sources that say them
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
