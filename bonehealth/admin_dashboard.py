"""What needs an editor's attention, for the admin index (templates/admin/index.html).

Each item is a count and a link to the change list filtered to exactly those rows, shown only to people who may view
that model. One COUNT query per item, whatever the size of the tables, except "changed since review", which
compares each approved article's content with what was approved (three queries for all of them).
"""

from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from calculator.models import IntakeGuideline, Product


@dataclass(frozen=True)
class AttentionItem:
    label: str
    count: int
    url: str


def _item(user, model, label, queryset, query, site_name):
    opts = model._meta
    if not user.has_perm(f"{opts.app_label}.view_{opts.model_name}") and not user.has_perm(
        f"{opts.app_label}.change_{opts.model_name}"
    ):
        return None
    url = reverse(f"{site_name}:{opts.app_label}_{opts.model_name}_changelist") + "?" + query
    return AttentionItem(label=label, count=queryset.count(), url=url)


def attention_items(user, *, site_name="admin"):
    now = timezone.now()
    items = [
        _item(
            user,
            Article,
            "Articles waiting for medical review (an editor asked)",
            Article.objects.waiting_for_review(),
            "review_status__exact=requested",
            site_name,
        ),
        _item(
            user,
            Article,
            "Articles changed since their medical review (what readers see is no longer what was approved)",
            Article.objects.changed_since_review(),
            "changed_since_review=yes",
            site_name,
        ),
        _item(
            user,
            Article,
            "Articles due for medical review (last reviewed over 12 months ago, or never)",
            Article.objects.review_overdue(),
            "review=overdue",
            site_name,
        ),
        _item(
            user,
            Article,
            "Scheduled articles (published, with a publication date ahead)",
            Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=now),
            "visibility=scheduled",
            site_name,
        ),
        _item(
            user,
            Product,
            "Inactive products (not shown to readers)",
            Product.objects.filter(is_active=False),
            "is_active__exact=0",
            site_name,
        ),
        _item(
            user,
            Product,
            "Products without a price",
            Product.objects.filter(price__isnull=True),
            "price__isempty=1",
            site_name,
        ),
        _item(
            user,
            IntakeGuideline,
            "Intake guidelines without a source",
            IntakeGuideline.objects.filter(Q(source_title="") & Q(source_url="")),
            "source=missing",
            site_name,
        ),
    ]
    return [item for item in items if item is not None]
