"""The Atom feed of published articles at /blog/feed/."""

from django.conf import settings
from django.contrib.syndication.views import Feed
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
            .only("title", "slug", "summary", "published_at", "updated", "author__name")[:FEED_SIZE]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated

    def item_author_name(self, item):
        return item.author.name
