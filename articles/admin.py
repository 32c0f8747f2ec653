"""The editors' admin: articles with their ordered references, people, topics."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.html import format_html

from articles import markdown
from articles.models import Article, Person, Reference, Topic
from articles.signals import deferred_rendering, rerender


class ReviewOverdueFilter(admin.SimpleListFilter):
    title = "medical review"
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


class ReferenceInline(admin.StackedInline):
    model = Reference
    formset = ReferenceFormSet
    extra = 0
    fields = [("order", "key"), "authors", "title", ("journal", "year"), ("doi", "pmid"), "url", "note"]
    ordering = ["order", "pk"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "published_at", "visibility", "updated", "last_reviewed", "reviewer", "featured"]
    list_filter = ["status", ReviewOverdueFilter, "featured", "topics"]
    list_select_related = ["reviewer"]
    search_fields = ["title", "summary", "body", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["topics", "nutrients"]
    inlines = [ReferenceInline]
    actions = ["publish", "unpublish"]
    readonly_fields = ["reading_time", "created", "updated"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body", "key_takeaways"]}),
        ("Publishing", {"fields": ["status", "published_at", "featured", "topics"]}),
        ("People and review", {"fields": ["author", "reviewer", "last_reviewed"]}),
        ("Recommendation panel", {"fields": ["nutrients"]}),
        ("Hero image", {"fields": ["hero_image", "hero_image_alt"]}),
        ("Derived on save", {"fields": ["reading_time", "created", "updated"]}),
    ]

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


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "credentials"]
    search_fields = ["name", "credentials", "bio"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
