"""Revision history for the editors' admin (django-reversion), shared by the articles and calculator admins.

Every save through the admin (forms, inlines, list actions, spreadsheet imports) is stored as a revision: who, when,
what changed (the admin's change message) and the full rows, the inline rows included ("follow"). An editor opens
"History" on any object and restores an earlier version in one click; the restored form is saved through the normal
admin path, so derived fields (an article's HTML) are rendered again, and its save moves the content generation
(``bonehealth.generation``) like any other save, again when it commits.

What reversion alone does not do, added here:

- an article's medical sign-off (reviewer, review date and status, what the approval covered) is never stored in a
  version nor brought back by a restore (``ArticleAdmin.reversion_register``, ``articles.review.keep_review_fields``);
- a deletion first stores the rows as they are at that moment, so "Recover deleted …" works for every row, also
  those that were never saved through the admin (the launch article, the reference data from migrations); each
  deleted object in its own revision, so recovering one of several deleted together brings back only that one;
- with them, every registered row the deletion takes along (``on_delete=CASCADE``): the inline rows (which the admin
  registers and follows) and rows that are registered without being followed, such as an article's medical reviews,
  so that restoring an older version never deletes them but recovering a deleted article brings them back.
"""

from django.contrib.admin.utils import unquote
from django.db.models import CASCADE
from django.http import Http404
from reversion import add_to_revision, is_registered, set_comment
from reversion.admin import VersionAdmin


class HistoryAdmin(VersionAdmin):
    history_latest_first = True

    def history_view(self, request, object_id, extra_context=None):
        # An id that names no row (a NUL byte, letters for a number) is a 404 before reversion looks it up as text:
        # PostgreSQL refuses NUL bytes in a query with an error, not an empty answer.
        if "\x00" in object_id or self.get_object(request, unquote(object_id)) is None:
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        if "\x00" in object_id or self.get_object(request, unquote(object_id)) is None:
            raise Http404
        return super().revision_view(request, object_id, version_id, extra_context)

    # Deletion: store the rows first, one revision per deleted object, because "Recover deleted" brings back a whole
    # revision: recovering one of several articles deleted together must not bring back the others.
    def _store_before_deletion(self, request, objects):
        for obj in objects:
            with self.create_revision(request):
                set_comment(
                    f"Deleted {self.opts.verbose_name}: {obj}. Restore from “Recover deleted "
                    f"{self.opts.verbose_name_plural}”."
                )
                add_to_revision(obj)
                for row in _cascaded_rows(obj):
                    add_to_revision(row)

    def delete_model(self, request, obj):
        self._store_before_deletion(request, [obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        self._store_before_deletion(request, queryset)
        super().delete_queryset(request, queryset)

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST" and request.POST.get("action") == "delete_selected":
            # VersionAdmin wraps the change list in one revision that is saved when the request ends, after the rows
            # are gone, so reversion would drop them. The deletion stores its own revision first (delete_queryset).
            context = {"has_change_permission": self.has_change_permission(request), **(extra_context or {})}
            return super(VersionAdmin, self).changelist_view(request, context)
        return super().changelist_view(request, extra_context)


def _cascaded_rows(obj):
    """The registered rows that deleting ``obj`` deletes with it (one level: the content has no deeper cascades)."""
    for relation in obj._meta.get_fields(include_hidden=True):  # hidden too: related_name="+" still cascades
        if relation.one_to_many and relation.auto_created and relation.on_delete is CASCADE:
            if is_registered(relation.related_model):
                yield from relation.related_model._default_manager.filter(**{relation.field.name: obj})
