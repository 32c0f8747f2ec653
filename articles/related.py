"""Each article's "Related articles" cards, rendered when any article or topic link changes, never per request.

An article's related articles are the published ones that share a topic with it, newest first, at most
``RELATED_COUNT`` whose publication time has come. Which ones those are depends on time (a scheduled article joins
the list at its publication time), so each article stores its *candidates*: every scheduled one that shares a topic,
then the first ``RELATED_COUNT`` already live, each as ``{"at": publication timestamp, "html": its card}``. The page
keeps the first ``RELATED_COUNT`` candidates whose time has come (``live_cards``). Nothing else can change the list
without a save, and every save of an article or of its topic links stores the candidates of every article anew.

The cost is one pass over the published articles per save (all of them: a saved article may leave or join any
other's list), fine for the hundreds of articles this site will have.
"""

from collections import defaultdict

from django.template.loader import get_template
from django.utils import timezone

RELATED_COUNT = 3
CARD_TEMPLATE = "articles/_article_card.html"
CARD_FIELDS = ("title", "slug", "summary", "status", "published_at", "reading_minutes")


def live_cards(candidates, now=None) -> list[str]:
    """The cards of the related articles a reader sees now."""
    moment = (now or timezone.now()).timestamp()
    return [candidate["html"] for candidate in candidates if candidate["at"] <= moment][:RELATED_COUNT]


def candidates_for(article_id, topics, published, cards, now) -> list[dict]:
    """``published`` newest first; ``topics`` maps an article id to its topic ids; ``cards`` an id to its card."""
    mine = topics.get(article_id, set())
    chosen, live = [], 0
    for other in published:
        if other.pk == article_id or not (mine & topics.get(other.pk, set())):
            continue
        chosen.append({"at": other.published_at.timestamp(), "html": cards[other.pk]})
        if other.published_at <= now:
            live += 1
            if live == RELATED_COUNT:
                break
    return chosen


def refresh(using="default"):
    """Store every article's related candidates where they changed (``update()``: no signals, no re-render)."""
    from articles.models import Article

    articles = Article.objects.using(using)
    topics = defaultdict(set)
    for article_id, topic_id in Article.topics.through.objects.using(using).values_list("article_id", "topic_id"):
        topics[article_id].add(topic_id)
    published = articles.filter(status=Article.Status.PUBLISHED).only(*CARD_FIELDS).order_by("-published_at", "-pk")
    published = list(published)
    card = get_template(CARD_TEMPLATE)
    cards = {other.pk: card.render({"article": other, "heading": 3}) for other in published}
    now = timezone.now()
    for article_id, stored in articles.values_list("pk", "related"):
        candidates = candidates_for(article_id, topics, published, cards, now)
        if candidates != stored:
            articles.filter(pk=article_id).update(related=candidates)
