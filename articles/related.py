"""An article's "Related articles": the published ones that share a topic with it, newest first, drawn per request
(the page cache absorbs the cost), so a new, edited, scheduled or deleted article shows at once, with nothing
stored to keep in step."""

from articles.models import Article

RELATED_COUNT = 3
CARD_FIELDS = ("title", "slug", "summary", "status", "published_at", "reading_minutes")


def related_articles(article: Article) -> list[Article]:
    """Up to ``RELATED_COUNT`` published articles sharing a topic with ``article``, newest first."""
    return list(
        Article.objects.published()
        .filter(topics__in=[topic.pk for topic in article.topics.all()])
        .exclude(pk=article.pk)
        .only(*CARD_FIELDS)
        .distinct()
        .order_by("-published_at", "-pk")[:RELATED_COUNT]
    )
