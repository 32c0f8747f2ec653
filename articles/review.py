"""The medical review workflow: an editor asks, a named medical reviewer approves (or sends back).

Approval stores a reversion revision of the article as approved and the fingerprint of its reader-facing content
(``Article.content_fingerprint``: title, summary, body, key takeaways, references, "What changed"), and only then
sets the public reviewer and review date. Whatever later changes that content, by any path (the admin form, a
revision restore, an import, the shell, a data migration), the stored fingerprint no longer matches, so the article
is "changed since review" (``Article.changed_since_review``) until a reviewer approves it again: nothing has to
remember to mark it.

The fields this module sets (``REVIEW_FIELDS``) are set nowhere else: no form has them and a revision restore keeps
the current ones (``keep_review_fields``).
"""

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from reversion.models import Version

from articles.models import REVIEW_FIELDS, Article, MedicalReview

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


def approve(article: Article, *, user, note: str = "", seen: str | None = None) -> MedicalReview:
    """Sign the article off as the named person linked to ``user``; records the approved revision and the fingerprint
    of the content approved. ``seen``: the fingerprint of the version the reviewer read (the review page's), refused
    when the article changed since."""
    if not user.has_perm("articles.sign_off_review"):
        raise ValidationError("Only a medical reviewer can approve an article.")
    person = getattr(user, "person", None)
    if person is None:
        raise ValidationError(
            "Your admin account is not linked to a named person, so the approval could not say who reviewed the "
            "article. Ask an administrator to link your account under People."
        )
    if not person.credentials.strip():
        raise ValidationError("Your entry under People has no credentials; readers need to see them. Add them first.")
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        fingerprint = article.content_fingerprint()
        if seen is not None and seen != fingerprint:
            raise ValidationError(
                "The article was changed while you were reviewing it. Read it again as it is now, then decide."
            )
        with reversion.create_revision():
            article.reviewer = person
            article.last_reviewed = timezone.localdate()
            article.review_status = Status.APPROVED
            article.reviewed_fingerprint = fingerprint
            article.save(update_fields=REVIEW_FIELDS)
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
    if not user.has_perm("articles.sign_off_review"):
        raise ValidationError("Only a medical reviewer can send an article back.")
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


def keep_review_fields(sender, instance, raw=False, **kwargs):
    """``pre_save`` of Article: a raw save (a revision restore, a fixture) keeps the sign-off the row has now.

    django-reversion restores a version by saving the stored row raw; the versions hold no review fields (they are
    excluded when registering), and this puts the current ones back, so a restore can never bring an old approval
    back over new text (the fingerprint then says whether the restored text is the approved one)."""
    if not raw or instance.pk is None:
        return
    names = [Article._meta.get_field(name).attname for name in REVIEW_FIELDS]
    current = Article.objects.filter(pk=instance.pk).values(*names)
    for values in current:
        for name, value in values.items():
            setattr(instance, name, value)
