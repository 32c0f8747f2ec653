"""A medical reviewer's name and credentials are theirs: only they or an administrator may change them, and each
change is in the entry's History (issue 27)."""

from django.test import Client
from django.urls import reverse
from reversion.models import Version


def person_form(person, **fields):
    return {"slug": person.slug, "name": person.name, "credentials": person.credentials, "bio": person.bio, **fields}


def test_an_editor_cannot_change_a_reviewers_credentials(editor_client, reviewer, client, make_article):
    person = reviewer.person
    article = make_article(reviewer=person, last_reviewed=None)
    url = reverse("admin:articles_person_change", args=[person.pk])
    page = editor_client.get(url)
    assert page.status_code == 200 and 'name="credentials"' not in page.text  # read-only for editors
    response = editor_client.post(url, person_form(person, credentials="Chief of Cardiology"))
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.credentials == "MD, endocrinologist"
    delete_url = reverse("admin:articles_person_delete", args=[person.pk])
    assert editor_client.post(delete_url, {"post": "yes"}).status_code == 403
    person.refresh_from_db()
    assert "Chief of Cardiology" not in client.get(article.get_absolute_url()).text


def test_an_editor_cannot_restore_an_old_version_of_a_reviewers_entry(editor_client, reviewer, superuser_client):
    person = reviewer.person
    url = reverse("admin:articles_person_change", args=[person.pk])
    superuser_client.post(url, person_form(person, credentials="Chief of Cardiology", user=str(reviewer.pk)))
    superuser_client.post(url, person_form(person, credentials="MD, endocrinologist", user=str(reviewer.pk)))
    old = Version.objects.get_for_object(person).order_by("pk").first()
    revision_url = reverse("admin:articles_person_revision", args=[person.pk, old.pk])
    response = editor_client.post(revision_url, person_form(person, credentials="Chief of Cardiology"))
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.credentials == "MD, endocrinologist"


def test_the_reviewer_edits_their_own_credentials_and_history_records_it(reviewer, make_person):
    person = reviewer.person
    own = Client()
    own.force_login(reviewer)
    url = reverse("admin:articles_person_change", args=[person.pk])
    response = own.post(url, person_form(person, credentials="MD, PhD, endocrinologist"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.credentials == "MD, PhD, endocrinologist" and person.user == reviewer  # the link is not theirs
    history = own.get(reverse("admin:articles_person_history", args=[person.pk])).text
    assert reviewer.get_username() in history and "Changed Credentials" in history
    # Someone else's entry stays theirs.
    other = make_person(name="Ann Writer", credentials="RD")
    response = own.post(reverse("admin:articles_person_change", args=[other.pk]), person_form(other, credentials="MD"))
    assert response.status_code == 403


def test_an_administrator_may_change_a_reviewers_entry(superuser_client, reviewer):
    person = reviewer.person
    url = reverse("admin:articles_person_change", args=[person.pk])
    response = superuser_client.post(url, person_form(person, credentials="MD, FRCP", user=str(reviewer.pk)))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.credentials == "MD, FRCP"


def test_editors_still_manage_authors(editor_client, make_person):
    author = make_person(name="Ann Writer", credentials="RD")
    url = reverse("admin:articles_person_change", args=[author.pk])
    assert editor_client.post(url, person_form(author, credentials="RD, MSc")).status_code == 302
    author.refresh_from_db()
    assert author.credentials == "RD, MSc"
