"""The Atom feed of published articles at /blog/feed/."""

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Max
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from articles.models import Article

FEED_SIZE = 20


class LatestArticlesFeed(Feed):
    feed_type = Atom1Feed
    title = f"{settings.SITE_NAME}: latest articles"
    subtitle = "Evidence-checked articles on calcium, vitamin K2, vitamin D, magnesium and bone health."

    def link(self):
        return reverse("articles:index")

    def feed_url(self):
        return reverse("articles:feed")

    def items(self):
        return (
            Article.objects.published()
            .select_related("author")
            .annotate(last_change=Max("changes__date"))
            .only("title", "slug", "summary", "published_at", "author__name")[:FEED_SIZE]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        """The last dated correction or update readers can see under the article; minor edits do not count."""
        if item.last_change is None:
            return item.published_at
        changed = datetime.datetime.combine(item.last_change, datetime.time(), tzinfo=datetime.UTC)
        return max(changed, item.published_at)

    def item_author_name(self, item):
        return item.author.name
