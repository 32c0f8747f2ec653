"""The medical review workflow: an editor asks, a named medical reviewer approves (or sends back), a later
correction or update marks the approved article "changed since review".

Approval stores a reversion revision of the article as approved, so the record says exactly which version was
signed off, and only then sets the public reviewer and review date (the page shows a review date only with them).
"""

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, MedicalReview

Status = Article.ReviewStatus


def request(article: Article, *, user) -> bool:
    """Ask for a review; False when one is already waiting."""
    if article.review_status == Status.REQUESTED:
        return False
    with transaction.atomic():
        article.review_status = Status.REQUESTED
        article.save(update_fields=["review_status"])
        MedicalReview.objects.create(article=article, decision=MedicalReview.Decision.REQUESTED, user=user)
    return True


def approve(article: Article, *, user, note: str = "") -> MedicalReview:
    """Sign the article off as the named person linked to ``user``; records the approved revision."""
    person = getattr(user, "person", None)
    if person is None:
        raise ValidationError(
            "Your admin account is not linked to a named person, so the approval could not say who reviewed the "
            "article. Ask an administrator to link your account under People."
        )
    if not person.credentials.strip():
        raise ValidationError("Your entry under People has no credentials; readers need to see them. Add them first.")
    with transaction.atomic():
        with reversion.create_revision():
            article.reviewer = person
            article.last_reviewed = timezone.localdate()
            article.review_status = Status.APPROVED
            article.changed_since_review = False
            article.save(update_fields=["reviewer", "last_reviewed", "review_status", "changed_since_review"])
            reversion.set_user(user)
            reversion.set_comment(f"Medical review: approved by {person.name}.")
        version = Version.objects.get_for_object(article).select_related("revision").first()
        return MedicalReview.objects.create(
            article=article,
            decision=MedicalReview.Decision.APPROVED,
            user=user,
            reviewer=person,
            revision=version.revision if version else None,
            note=note,
        )


def send_back(article: Article, *, user, note: str) -> MedicalReview:
    """Return the article to the editors with what to fix; an earlier approval stays on record (and on the page,
    with its date) until a new one replaces it."""
    if not note:
        raise ValidationError("Say what needs to change before the article can be approved.")
    with transaction.atomic():
        article.review_status = Status.SENT_BACK
        article.save(update_fields=["review_status"])
        return MedicalReview.objects.create(
            article=article,
            decision=MedicalReview.Decision.SENT_BACK,
            user=user,
            reviewer=getattr(user, "person", None),
            note=note,
        )


def mark_changed(article: Article) -> None:
    """A correction or update was published: an approved article needs its reviewer to look again."""
    if article.is_medically_reviewed and not article.changed_since_review:
        article.changed_since_review = True
        article.save(update_fields=["changed_since_review"])
