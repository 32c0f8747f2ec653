"""The editors' admin: articles with their ordered references, people, topics.

Every admin here keeps a revision history (bonehealth/admin_history.py). The article form has a live preview: the
body is rendered while the editor types by ``preview_view``, with the renderer and sanitizer the site uses, and
shown beside the field by static/js/admin-preview.js.
"""

import logging

import reversion
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.cache import never_cache

from articles import markdown, review
from articles.models import (
    REVIEW_FIELDS,
    Article,
    ArticleChange,
    KeyTakeaway,
    MedicalReview,
    Page,
    Person,
    Reference,
    Topic,
)
from articles.signals import deferred_rendering, rerender
from articles.tables import place, placeholder
from bonehealth.admin_history import HistoryAdmin

logger = logging.getLogger(__name__)

# An article's medical reviews go and come back with it ("Recover deleted articles"): registered, not followed, so
# restoring an older version of an article never deletes the reviews given since (bonehealth/admin_history.py).
reversion.register(MedicalReview)

# The preview renders what an editor is typing; far longer than any article, still cheap to render.
PREVIEW_MAX_BYTES = 512 * 1024
PREVIEW_MAX_REFERENCES = 500


class ReviewOverdueFilter(admin.SimpleListFilter):
    title = "medical review due"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", "Overdue (over 12 months or never)"), ("current", "Reviewed in the last 12 months")]

    def queryset(self, request, queryset):
        overdue = Article.objects.review_overdue()
        if self.value() == "overdue":
            return queryset.filter(pk__in=overdue.values("pk"))
        if self.value() == "current":
            return queryset.exclude(pk__in=overdue.values("pk"))
        return queryset


class ChangedSinceReviewFilter(admin.SimpleListFilter):
    """Approved articles whose content is no longer what the reviewer approved (``Article.changed_since_review``)."""

    title = "changed since its medical review"
    parameter_name = "changed_since_review"

    def lookups(self, request, model_admin):
        return [("yes", "Yes: a reviewer should look again")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.changed_since_review()
        return queryset


class ReviewStatusFilter(admin.ChoicesFieldListFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "medical review status"  # the field's own name, "medical review", is too close to the others


class VisibilityFilter(admin.SimpleListFilter):
    title = "visible to readers"
    parameter_name = "visibility"

    def lookups(self, request, model_admin):
        return [("live", "Yes (published)"), ("scheduled", "Scheduled (publication date ahead)"), ("draft", "Draft")]

    def queryset(self, request, queryset):
        now = timezone.now()
        published = queryset.filter(status=Article.Status.PUBLISHED)
        if self.value() == "live":
            return published.filter(published_at__lte=now)
        if self.value() == "scheduled":
            return published.filter(published_at__gt=now)
        if self.value() == "draft":
            return queryset.filter(status=Article.Status.DRAFT)
        return queryset


class ReferenceFormSet(BaseInlineFormSet):
    """Every ``[^key]`` in the body must name one of the references kept by this save."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        # (Two references with one key are refused by the formset's own unique check, before this.)
        keys = {
            form.cleaned_data.get("key")
            for form in self.forms
            if getattr(form, "cleaned_data", None) and not self._should_delete_form(form)
        }
        missing = [key for key in markdown.find_citations(self.instance.body or "") if key not in keys]
        if missing:
            cited = ", ".join(f"[^{key}]" for key in missing)
            raise ValidationError(
                f"The body cites {cited}, but no reference below has that key. Add the reference, or correct the "
                "citation in the body."
            )


class CountedInline:
    """An inline whose heading says how many rows it holds; a long one (``fold``) is folded (Django's collapsible
    inline) when it holds any: the editor opens it when they need it, and an empty one is open to be filled."""

    fold = True

    def count_rows(self, count):
        self.verbose_name_plural = f"{self.verbose_name_plural} ({count})"
        self.classes = ["collapse"] if count and self.fold else []


class ReferenceInline(CountedInline, admin.StackedInline):
    model = Reference
    formset = ReferenceFormSet
    extra = 0
    fields = [("order", "key"), "authors", "title", ("journal", "year"), ("doi", "pmid"), "url", "note", "funding"]
    ordering = ["order", "pk"]


class KeyTakeawayInline(CountedInline, admin.TabularInline):
    model = KeyTakeaway
    extra = 0
    fold = False  # a few one-line rows, read with the body
    fields = ["order", "text", "evidence"]
    ordering = ["order", "pk"]
    verbose_name = "key takeaway"
    verbose_name_plural = "key takeaways (each with its evidence level; shown in a box near the top)"


class ArticleChangeInline(CountedInline, admin.TabularInline):
    """The public "What changed" list (part of what a medical reviewer approves)."""

    model = ArticleChange
    extra = 1
    fields = ["date", "kind", "note"]
    ordering = ["-date", "-pk"]


@admin.register(Article)
class ArticleAdmin(HistoryAdmin):
    list_display = [
        "title",
        "status",
        "published_at",
        "visibility",
        "review_status",
        "last_reviewed",
        "reviewer",
    ]
    list_filter = [
        "status",
        VisibilityFilter,
        ("review_status", ReviewStatusFilter),
        ChangedSinceReviewFilter,
        ReviewOverdueFilter,
        "featured",
        "topics",
    ]
    list_select_related = ["reviewer"]
    save_on_top = True
    search_fields = ["title", "summary", "body", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["topics", "nutrients"]
    inlines = [KeyTakeawayInline, ReferenceInline, ArticleChangeInline]
    actions = ["publish", "unpublish", "request_review"]
    readonly_fields = ["reading_time", "created", "updated", "medical_review"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        ("Publishing", {"fields": ["status", "published_at", "featured", "topics"]}),
        ("People and medical review", {"fields": ["author", "medical_review"]}),
        ("Recommendation panel", {"fields": ["nutrients"], "classes": ["collapse"]}),
        ("Hero image", {"fields": ["hero_image", "hero_image_alt"], "classes": ["collapse"]}),
        ("Derived on save", {"fields": ["reading_time", "created", "updated"], "classes": ["collapse"]}),
    ]

    class Media:
        css = {"all": ["css/admin-preview.css"]}
        js = ["js/admin-preview.js"]

    def reversion_register(self, model, **kwargs):
        # The sign-off is the reviewer's: versions never hold it, so a restore cannot bring an approval back
        # (articles/review.py keeps the current one when a version is saved back).
        if model is Article:
            kwargs["exclude"] = REVIEW_FIELDS
        super().reversion_register(model, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "body":
            # admin-preview.js finds the field and the endpoint by these attributes (no inline script under the CSP).
            field.widget.attrs["data-preview-url"] = reverse(
                f"{self.admin_site.name}:articles_article_preview", current_app=self.admin_site.name
            )
            field.widget.attrs["rows"] = 30  # the admin's default is 10 lines of a text of thousands
            field.widget.attrs["class"] = "vLargeTextField article-body-input"
        return field

    def get_inline_instances(self, request, obj=None):
        """Each inline's heading with its count ("references (36)"), folded when it has rows: the instances are made
        for each request, so this is set on them."""
        instances = super().get_inline_instances(request, obj)
        for inline in instances:
            if isinstance(inline, CountedInline):
                inline.count_rows(inline.model._default_manager.filter(article=obj).count() if obj is not None else 0)
        return instances

    def get_urls(self):
        # Before the default URLs: their "<object_id>/" pattern would take "preview/" for an article id.
        return [
            path("preview/", never_cache(self.preview_view), name="articles_article_preview"),
            path(
                "<path:object_id>/review/",
                self.admin_site.admin_view(self.review_view),
                name="articles_article_review",
            ),
            *super().get_urls(),
        ]

    def get_list_display(self, request):
        # Reviewers get a link to each article's review page.
        reviewer = request.user.has_perm("articles.sign_off_review")
        return [*self.list_display, "review_link"] if reviewer else self.list_display

    # Medical review: editors ask (the list action), a member of "Medical reviewer" approves or sends back.
    def has_request_review_permission(self, request):
        return request.user.has_perm("articles.request_review")

    @admin.action(description="Ask a medical reviewer to review the selected articles", permissions=["request_review"])
    def request_review(self, request, queryset):
        count = sum(review.request(article, user=request.user) for article in queryset)
        self.message_user(request, f"Medical review requested for {count} article(s).", messages.SUCCESS)

    def review_view(self, request, object_id):
        """The reviewer's page: what is asked, the history, and the decision (approve with a note, or send back)."""
        if not request.user.has_perm("articles.sign_off_review"):
            raise PermissionDenied
        if not object_id.isdigit():
            raise Http404("No article has that id.")
        article = get_object_or_404(Article.objects.select_related("reviewer"), pk=int(object_id))
        person = getattr(request.user, "person", None)
        if request.method == "POST":
            decision, note = request.POST.get("decision"), request.POST.get("note", "").strip()
            try:
                if decision == "approve":
                    review.approve(article, user=request.user, note=note, seen=request.POST.get("fingerprint", ""))
                    self.message_user(
                        request,
                        f"Approved: the page now shows you as its medical reviewer ({person.name}).",
                        messages.SUCCESS,
                    )
                elif decision == "send_back":
                    review.send_back(article, user=request.user, note=note)
                    self.message_user(request, "Sent back to the editors with your note.", messages.SUCCESS)
                else:
                    raise ValidationError("Choose to approve the article or to send it back.")
            except ValidationError as error:
                for message in error.messages:
                    self.message_user(request, message, messages.ERROR)
                return HttpResponseRedirect(request.path)
            return HttpResponseRedirect(reverse(f"{self.admin_site.name}:articles_article_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Medical review: {article.title}",
            "article": article,
            "fingerprint": article.content_fingerprint(),
            "person": person,
            "reviews": article.reviews.select_related("user", "reviewer")[:20],
            "changes": article.changes.all()[:20],
        }
        return TemplateResponse(request, "admin/articles/article/review.html", context)

    @admin.display(description="medical review")
    def medical_review(self, article):
        if not article.pk:
            return "Save the article, then ask for a medical review from the article list."
        parts = [article.get_review_status_display()]
        if article.is_medically_reviewed:
            parts.append(
                format_html(
                    "last approved by {} on {}; next review due by {}",
                    article.reviewer.name,
                    article.last_reviewed.isoformat(),
                    article.next_review_due.isoformat(),
                )
            )
        if article.changed_since_review:
            parts.append("changed since that review")
        link = reverse(f"{self.admin_site.name}:articles_article_review", args=[article.pk])
        return format_html(
            '{} (<a href="{}">review page</a>)', format_html("; ".join(["{}"] * len(parts)), *parts), link
        )

    @admin.display(description="review")
    def review_link(self, article):
        return format_html(
            '<a href="{}">Review</a>', reverse(f"{self.admin_site.name}:articles_article_review", args=[article.pk])
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is ArticleChange:
            instances = formset.save(commit=False)
            for obj in formset.deleted_objects:
                obj.delete()
            for obj in instances:
                if obj.pk is None:
                    obj.created_by = request.user
                obj.save()
            return
        super().save_formset(request, form, formset, change)

    def preview_view(self, request):
        """POST ``body`` (and the references' ``reference_key`` in order) -> the sanitized HTML fragment.

        For staff who may add or change articles (403 otherwise, never a login redirect: it is called by a script).
        CSRF-protected by the middleware like every POST. Too large: 413; no body: 400; always a short HTML answer.
        """
        if not self.admin_site.has_permission(request):  # staff, with the second factor where it applies
            return _preview_message("Sign in to the admin to preview articles.", status=403)
        if not (self.has_change_permission(request) or self.has_add_permission(request)):
            return _preview_message("You do not have permission to edit articles.", status=403)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > PREVIEW_MAX_BYTES:
            return _preview_message(
                f"The text is too long to preview (over {PREVIEW_MAX_BYTES // 1024} KB).", status=413
            )
        body = request.POST.get("body")
        if body is None:
            return _preview_message("Nothing to preview: the request had no article body.", status=400)
        keys = [key.strip() for key in request.POST.getlist("reference_key")[:PREVIEW_MAX_REFERENCES] if key.strip()]
        try:
            # As on save (placeholders through the sanitizer) and on the page (the tables placed after it).
            rendered = markdown.render(body, reference_keys=keys, tables=placeholder)
            html = place(rendered.html)
        except Exception:  # a renderer bug must not cost the editor their page: say so, log the detail
            logger.exception("article preview failed")
            return _preview_message(
                "The preview could not be rendered. Your text is unchanged; saving shows any problem in it.",
                status=422,
            )
        response = HttpResponse(
            render_to_string(
                "admin/articles/article/_preview.html", {"rendered": rendered, "html": html}, request=request
            )
        )
        response["X-Robots-Tag"] = "noindex"
        return response

    @admin.display(description="visible to readers")
    def visibility(self, article):
        if article.status != Article.Status.PUBLISHED:
            return "No (draft)"
        if article.published_at > timezone.now():
            return "Scheduled"
        return "Yes"

    @admin.display(description="reading time")
    def reading_time(self, article):
        if not article.pk:
            return "Shown after the first save."
        return format_html("{} words, about {} min", article.word_count, article.reading_minutes)

    def save_related(self, request, form, formsets, change):
        # Saving the references re-renders the article; do it once, after all of them.
        with deferred_rendering():
            super().save_related(request, form, formsets, change)
            # The article itself was saved (and rendered) before its references: render against the saved ones.
            rerender([form.instance.pk])

    @admin.action(description="Publish the selected articles")
    def publish(self, request, queryset):
        published, scheduled, skipped = 0, 0, []
        for article in queryset:
            if not article.summary.strip():
                skipped.append(article.title)
                continue
            if article.status != Article.Status.PUBLISHED:
                article.status = Article.Status.PUBLISHED
                article.save(update_fields=["status"])
            if article.published_at > timezone.now():
                scheduled += 1
            else:
                published += 1
        if published:
            self.message_user(request, f"{published} article(s) published.", messages.SUCCESS)
        if scheduled:
            self.message_user(
                request, f"{scheduled} article(s) scheduled: they appear on their publication date.", messages.INFO
            )
        if skipped:
            self.message_user(
                request,
                "Not published, a summary is missing: " + "; ".join(skipped) + ".",
                messages.ERROR,
            )

    @admin.action(description="Unpublish the selected articles (back to draft)")
    def unpublish(self, request, queryset):
        count = 0
        for article in queryset.filter(status=Article.Status.PUBLISHED):
            article.status = Article.Status.DRAFT
            article.save(update_fields=["status"])
            count += 1
        self.message_user(request, f"{count} article(s) unpublished.", messages.SUCCESS)


def _preview_message(text, *, status):
    response = HttpResponse(format_html('<p class="preview-error" role="alert">{}</p>', text), status=status)
    response["Cache-Control"] = "no-store"
    return response


@admin.register(Person)
class PersonAdmin(HistoryAdmin):
    """People. A person linked to an admin account signs articles off under their name and credentials: only they
    or an administrator (superuser) may change or delete that entry (editors see it read-only); every change is a
    revision in its History, with who made it."""

    list_display = ["name", "credentials", "user"]
    search_fields = ["name", "credentials", "bio"]
    prepopulated_fields = {"slug": ["name"]}

    def get_readonly_fields(self, request, obj=None):
        # Who signs off as whom is for administrators to set, not for the editors.
        return [] if request.user.is_superuser else ["user"]

    def get_prepopulated_fields(self, request, obj=None):
        return self.prepopulated_fields if self.has_change_permission(request, obj) else {}

    @staticmethod
    def _signs_off(obj):
        return obj is not None and obj.user_id is not None

    def has_view_permission(self, request, obj=None):
        own = self._signs_off(obj) and obj.user_id == request.user.pk
        return own or super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        if self._signs_off(obj):
            return request.user.is_superuser or obj.user_id == request.user.pk
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if self._signs_off(obj):
            return request.user.is_superuser
        return super().has_delete_permission(request, obj)


@admin.register(Topic)
class TopicAdmin(HistoryAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Page)
class PageAdmin(HistoryAdmin):
    list_display = ["title", "slug", "updated"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["title", "slug", "summary", "body"]
