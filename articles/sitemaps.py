"""Sitemaps: every published article (lastmod = its last save), the topic pages and the site's fixed pages."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import NoReverseMatch, reverse

from articles.models import Article, Topic


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Article.objects.published().only("slug", "updated").order_by("-published_at")

    def lastmod(self, item):
        return item.updated


class TopicSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        live = Article.objects.published()
        return Topic.objects.filter(articles__in=live).annotate(last_updated=Max("articles__updated")).order_by("name")

    def lastmod(self, item):
        return item.last_updated


class StaticPageSitemap(Sitemap):
    """Home, the blog index and the calculator, when its URL is installed."""

    changefreq = "weekly"
    priority = 1.0
    names = ("home", "articles:index", "calculator:index")

    def items(self):
        items = []
        for name in self.names:
            try:
                reverse(name)
            except NoReverseMatch:
                continue
            items.append(name)
        return items

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        if item in ("home", "articles:index"):
            return Article.objects.published().aggregate(latest=Max("updated"))["latest"]
        return None


SITEMAPS = {"static": StaticPageSitemap, "articles": ArticleSitemap, "topics": TopicSitemap}
