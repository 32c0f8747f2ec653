"""Articles as managed content: people, topics, articles and their ordered references.

The body is Markdown; its sanitized HTML, table of contents, word count, reading time, cited references and the
reference list's HTML are derived from what the article's own form edits when it is saved (``Article.render``).
Everything drawn from other rows (live tables from the calculator's data, the people in the byline, topics, related
articles, the structured data) is drawn per request (``articles.views``); the page cache absorbs the cost.
"""

import hashlib
import json
import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from articles import markdown
from articles.tables import LIVE_TABLES, placeholder

# Paths under /blog/ that are pages of their own, so no article may take them as its slug.
RESERVED_SLUGS = frozenset({"feed", "search", "topic"})
# Derived from the body and its own references on save.
DERIVED_FIELDS = ["body_html", "toc", "word_count", "reading_minutes", "cited_keys", "references_html"]
REVIEW_INTERVAL = timedelta(days=365)
# Set only by the medical review action (articles/review.py): never by a form, never restored from a revision.
REVIEW_FIELDS = ["reviewer", "last_reviewed", "review_status", "reviewed_fingerprint"]


class Person(models.Model):
    """An author or medical reviewer, shown with their credentials and a short bio."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    credentials = models.CharField(
        max_length=200,
        blank=True,
        help_text='Degrees and role, as readers should see them, e.g. "MD, endocrinologist".',
    )
    bio = models.TextField(blank=True, help_text="Two or three plain sentences, shown under the article.")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name="admin account",
        help_text="A medical reviewer signs articles off under this name: link their admin account here.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


class Topic(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=80)
    description = models.TextField(blank=True, help_text="One or two sentences shown at the top of the topic page.")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:topic", kwargs={"slug": self.slug})


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """Visible to readers: published, with a publication time that has come (by ``now``, default the present)."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=now or timezone.now())

    def review_overdue(self):
        cutoff = timezone.localdate() - REVIEW_INTERVAL
        return self.filter(models.Q(last_reviewed__isnull=True) | models.Q(last_reviewed__lt=cutoff))

    def waiting_for_review(self):
        return self.filter(review_status=Article.ReviewStatus.REQUESTED)

    def changed_since_review(self):
        """Approved articles whose reader-facing content is no longer what the reviewer approved (computed from the
        rows, whatever path changed them: three queries for all approved articles)."""
        approved = self.filter(reviewer__isnull=False, last_reviewed__isnull=False).prefetch_related(
            "references", "takeaways", "changes"
        )
        return self.filter(pk__in=[article.pk for article in approved if article.changed_since_review])


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    class ReviewStatus(models.TextChoices):
        NOT_REQUESTED = "not_requested", "Not requested"
        REQUESTED = "requested", "Waiting for medical review"
        SENT_BACK = "sent_back", "Sent back to the editor"
        APPROVED = "approved", "Approved by a medical reviewer"

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The last part of the address: /blog/your-slug/. Changing it breaks links people have shared.",
        error_messages={"unique": "Another article already uses this slug; choose a different one."},
    )
    summary = models.TextField(
        max_length=400,
        blank=True,
        help_text="One paragraph: the teaser on the blog and the description search engines and social sites show. "
        "Required to publish. About 160 characters works best.",
    )
    body = models.TextField(
        help_text="Markdown. ## and ### headings make the table of contents. Cite a reference with [^key]. "
        "A line 'Table: caption' right above a table gives it a caption. A line of its own such as "
        "[[table:calcium-guidelines]] places a table drawn live from the calculator's data: "
        + ", ".join(LIVE_TABLES)
        + "."
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="articles")
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="articles_written")
    reviewer = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles_reviewed",
        verbose_name="medical reviewer",
        editable=False,
        help_text="Set only by a medical reviewer's approval.",
    )
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "publication date",
        default=timezone.now,
        help_text="A future date schedules the article: readers see it only from then on.",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    last_reviewed = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the medical reviewer approved it (set by the approval). Overdue after 12 months.",
    )
    review_status = models.CharField(
        "medical review",
        max_length=13,
        choices=ReviewStatus.choices,
        default=ReviewStatus.NOT_REQUESTED,
        editable=False,
    )
    reviewed_fingerprint = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="What the last approval covered: the fingerprint of the reader-facing content it approved.",
    )
    nutrients = models.ManyToManyField(
        "calculator.Nutrient",
        blank=True,
        related_name="articles",
        help_text="What the article is about; drives the product recommendation panel.",
    )
    featured = models.BooleanField(default=False, help_text="Show it among the featured articles on the home page.")
    hero_image = models.ImageField(upload_to="articles/", blank=True)
    hero_image_alt = models.CharField(
        "hero image alt text", max_length=200, blank=True, help_text="Required with an image: what it shows."
    )

    # Derived from the body on save (live tables stay placeholders: ``articles.tables.place`` fills them per request).
    body_html = models.TextField(editable=False, blank=True)
    toc = models.JSONField(editable=False, default=list, blank=True)
    word_count = models.PositiveIntegerField(editable=False, default=0)
    reading_minutes = models.PositiveSmallIntegerField(editable=False, default=0)
    cited_keys = models.JSONField(editable=False, default=list, blank=True)
    # The numbered reference list (templates/articles/_references.html): the longest part of an article page.
    references_html = models.TextField(editable=False, blank=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "published_at"], name="article_status_published")]
        permissions = [
            ("request_review", "Can ask a medical reviewer to review an article"),
            ("sign_off_review", "Can approve an article as its medical reviewer, or send it back"),
        ]
        constraints = [
            # Never a review date without the named reviewer who gave it.
            models.CheckConstraint(
                condition=models.Q(last_reviewed__isnull=True) | models.Q(reviewer__isnull=False),
                name="review_date_needs_reviewer",
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.render()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, *DERIVED_FIELDS, "updated"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    @property
    def is_live(self):
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()

    @property
    def is_scheduled(self):
        return self.status == self.Status.PUBLISHED and self.published_at > timezone.now()

    @property
    def review_overdue(self):
        return self.last_reviewed is None or self.last_reviewed < timezone.localdate() - REVIEW_INTERVAL

    @property
    def is_medically_reviewed(self):
        """A named reviewer approved it: only then may a page show a review date."""
        return self.reviewer_id is not None and self.last_reviewed is not None

    @property
    def next_review_due(self):
        return self.last_reviewed + REVIEW_INTERVAL if self.last_reviewed else None

    def clean(self):
        errors = {}
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = f"“{self.slug}” is the address of another blog page; choose a different slug."
        if self.status == self.Status.PUBLISHED and not self.summary.strip():
            errors["summary"] = (
                "A published article needs a summary: it is the teaser on the blog and the description search "
                "engines show."
            )
        if self.hero_image and not self.hero_image_alt.strip():
            errors["hero_image_alt"] = "Describe the hero image for people who cannot see it."
        unknown_tables = [slug for slug in markdown.find_table_directives(self.body or "") if slug not in LIVE_TABLES]
        if unknown_tables:
            errors["body"] = (
                "Unknown live table: "
                + ", ".join(f"[[table:{slug}]]" for slug in unknown_tables)
                + ". Available: "
                + ", ".join(LIVE_TABLES)
                + "."
            )
        if errors:
            raise ValidationError(errors)

    def content_fingerprint(self) -> str:
        """A SHA-256 of what readers are told: title, summary, body, key takeaways, references and the "What
        changed" notes, from the rows as saved. An approval stores it; any difference marks the article changed."""
        if self.pk is None:
            return ""
        return content_fingerprint(
            self,
            takeaways=self.takeaways.all(),
            references=self.references.all(),
            changes=self.changes.all(),
        )

    @cached_property
    def changed_since_review(self) -> bool:
        """Approved, but what readers see is no longer exactly what the reviewer approved (asked once per render or
        load: ``render`` and ``refresh_from_db`` forget the answer)."""
        return self.is_medically_reviewed and self.reviewed_fingerprint != self.content_fingerprint()

    def refresh_from_db(self, *args, **kwargs):
        self.__dict__.pop("changed_since_review", None)
        super().refresh_from_db(*args, **kwargs)

    @property
    def review_current(self) -> bool:
        """A named reviewer approved exactly what the page says: only then does it say "Medically reviewed by"."""
        return self.is_medically_reviewed and not self.changed_since_review

    def render(self):
        """Derive the HTML, TOC, word count, reading time, cited keys and reference list from the body and the
        article's references as saved (an unsaved article has none yet: the admin renders it again after saving its
        inlines)."""
        self.__dict__.pop("changed_since_review", None)  # the content may have changed since it was asked
        references = list(self.references.all()) if self.pk is not None else []
        rendered = markdown.render(self.body, reference_keys=[row.key for row in references], tables=placeholder)
        self.body_html = rendered.html
        self.toc = rendered.toc
        self.word_count = rendered.word_count
        self.reading_minutes = rendered.reading_minutes
        self.cited_keys = rendered.cited_keys
        self.references_html = (
            render_to_string("articles/_references.html", {"references": references, "cited_keys": rendered.cited_keys})
            if references
            else ""
        )
        return rendered

    def rerender(self):
        """Re-derive after a row it draws on changed; saves (and signals) only when something derived moved."""
        before = [getattr(self, name) for name in DERIVED_FIELDS]
        self.render()
        if [getattr(self, name) for name in DERIVED_FIELDS] != before:
            self.save(update_fields=DERIVED_FIELDS)
            return True
        return False


def content_fingerprint(article, *, takeaways, references, changes) -> str:
    """The fingerprint of an article's reader-facing content (migration 0015 keeps a frozen copy of this function)."""
    content = {
        "title": article.title,
        "summary": article.summary,
        "body": article.body,
        "takeaways": [[row.text, row.evidence] for row in takeaways],
        "references": [
            [row.key, row.authors, row.title, row.journal, row.year, row.doi, row.pmid, row.url, row.note, row.funding]
            for row in references
        ],
        "changes": [[str(row.date), row.kind, row.note] for row in changes],
    }
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()


PMID_VALIDATOR = RegexValidator(r"^\d{1,9}$", "A PubMed ID is digits only, e.g. 16801507.")
DOI_PREFIX_RE = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
DOI_VALIDATOR = RegexValidator(
    r"^\s*(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?10\.\d{4,9}/\S+\s*$",
    "A DOI starts with 10. and a registrant number, e.g. 10.1001/archinte.166.12.1256.",
    flags=re.IGNORECASE,
)


class Reference(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="references")
    order = models.PositiveSmallIntegerField(default=0, help_text="References are numbered in this order.")
    key = models.SlugField(
        max_length=60, help_text="Cite it in the body as [^key], e.g. [^cockayne-2006]. Unique within the article."
    )
    authors = models.CharField(max_length=300, help_text='e.g. "Cockayne S, Adamson J, Lanham-New S, et al."')
    title = models.CharField(max_length=400)
    journal = models.CharField(max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    doi = models.CharField("DOI", max_length=200, blank=True, validators=[DOI_VALIDATOR])
    pmid = models.CharField("PubMed ID", max_length=12, blank=True, validators=[PMID_VALIDATOR])
    url = models.URLField("URL", max_length=500, blank=True)
    note = models.CharField(max_length=300, blank=True, help_text="One line on what it found.")
    funding = models.CharField(
        max_length=200,
        blank=True,
        help_text='Who paid for the study, when it matters, e.g. "Funded by NattoPharma, which sells MK-7." '
        "Shown to readers.",
    )

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["article", "key"], name="one_reference_key_per_article")]

    def __str__(self):
        return f"[{self.key}] {self.title}"

    def clean(self):
        self.doi = DOI_PREFIX_RE.sub("", self.doi.strip())
        self.pmid = self.pmid.strip()
        if not (self.doi or self.pmid or self.url):
            raise ValidationError("Give a DOI, a PubMed ID or a URL, so readers can find the source.")

    @property
    def doi_url(self):
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def pubmed_url(self):
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else ""

    @property
    def anchor(self):
        return markdown.reference_anchor(self.key)

    @property
    def backlink_anchor(self):
        return markdown.citation_anchor(self.key)


class EvidenceLevel(models.TextChoices):
    """The fixed scale every key takeaway is graded on; the editorial policy page explains each level."""

    OFFICIAL = "official", "Official reference value"
    STRONG = "strong", "Strong"
    MODERATE = "moderate", "Moderate"
    LIMITED = "limited", "Limited"
    INSUFFICIENT = "insufficient", "Insufficient"


class KeyTakeaway(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="takeaways")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300, help_text="One sentence, shown in the box near the top.")
    evidence = models.CharField(
        "evidence level",
        max_length=12,
        choices=EvidenceLevel.choices,
        help_text="How sure the evidence behind this sentence is (see the editorial policy page).",
    )

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.text


class ArticleChange(models.Model):
    """A substantive correction or update, listed publicly under the article ("What changed")."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="changes")
    date = models.DateField(default=timezone.localdate)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CORRECTION)
    note = models.CharField(
        max_length=400,
        help_text="For readers: what changed and why, in a sentence or two. Minor edits (typos, wording) need none.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = "change for readers"
        verbose_name_plural = "what changed (shown to readers)"

    def __str__(self):
        return f"{self.date}: {self.note}"


class MedicalReview(models.Model):
    """One decision of a medical reviewer: who, when, on which stored revision, and their note."""

    class Decision(models.TextChoices):
        REQUESTED = "requested", "Review requested"
        APPROVED = "approved", "Approved"
        SENT_BACK = "sent_back", "Sent back"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="reviews")
    decision = models.CharField(max_length=9, choices=Decision.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    reviewer = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    revision = models.ForeignKey(
        "reversion.Revision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"{self.get_decision_display()} ({self.created:%Y-%m-%d})"


class Page(models.Model):
    """A managed page outside the blog, such as the editorial policy: Markdown rendered to HTML on save, its live
    tables filled in per request."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(unique=True, help_text="Its address: /about/your-slug/.")
    summary = models.CharField(max_length=300, blank=True, help_text="The description search engines show.")
    body = models.TextField(help_text="Markdown. ## and ### headings make the table of contents.")
    body_html = models.TextField(editable=False, blank=True)
    toc = models.JSONField(editable=False, default=list, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.render()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:page", kwargs={"slug": self.slug})

    def render(self):
        rendered = markdown.render(self.body, reference_keys=[], tables=placeholder)
        self.body_html, self.toc = rendered.html, rendered.toc
