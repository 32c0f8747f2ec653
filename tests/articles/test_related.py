"""An article page's "Related articles": the published articles sharing a topic, newest first, at most three, as they
are now: after every save, every topic change and at a scheduled article's time."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article


def related_titles(client, article):
    html = client.get(article.get_absolute_url()).text
    if 'id="related"' not in html:
        return []
    section = html.split('id="related"', 1)[1].split("</section>", 1)[0]
    return [part.split("</a>", 1)[0].rsplit(">", 1)[1] for part in section.split('class="article-card__title"')[1:]]


@pytest.fixture
def topic(make_topic):
    return make_topic(name="Bone health", slug="bone")


def test_newest_three_sharing_a_topic_are_shown(client, make_article, topic, make_topic):
    now = timezone.now()
    for days in (5, 4, 3, 2):
        make_article(title=f"Shared {days}", topics=[topic], published_at=now - timedelta(days=days))
    make_article(title="Other topic", topics=[make_topic()])
    make_article(title="A draft", topics=[topic], status=Article.Status.DRAFT)
    article = make_article(title="Main", topics=[topic], published_at=now - timedelta(days=10))
    assert related_titles(client, article) == ["Shared 2", "Shared 3", "Shared 4"]


def test_a_scheduled_article_joins_the_list_at_its_time_with_no_save(client, make_article, topic, monkeypatch):
    start = timezone.now()
    clock = {"now": start}
    monkeypatch.setattr(timezone, "now", lambda: clock["now"])
    article = make_article(title="Main", topics=[topic])
    for days in (3, 2, 1):
        make_article(title=f"Live {days}", topics=[topic], published_at=start - timedelta(days=days, hours=1))
    make_article(title="Scheduled", topics=[topic], published_at=start + timedelta(hours=1))
    assert related_titles(client, article) == ["Live 1", "Live 2", "Live 3"]

    clock["now"] = start + timedelta(hours=1, seconds=1)
    assert related_titles(client, article) == ["Scheduled", "Live 1", "Live 2"]


def test_edits_elsewhere_show_on_the_page(client, make_article, topic):
    article = make_article(title="Main", topics=[topic])
    other = make_article(title="Old title", topics=[topic])
    assert related_titles(client, article) == ["Old title"]

    other.title = "New <title>"
    other.save()
    assert related_titles(client, article) == ["New &lt;title&gt;"]

    other.status = Article.Status.DRAFT
    other.save()
    assert related_titles(client, article) == []

    other.status = Article.Status.PUBLISHED
    other.save()
    other.topics.clear()
    assert related_titles(client, article) == []

    other.topics.add(topic)
    assert related_titles(client, article) == ["New &lt;title&gt;"]
    topic.delete()
    assert related_titles(client, article) == []


def test_a_deleted_article_leaves_every_list(client, make_article, topic):
    article = make_article(title="Main", topics=[topic])
    other = make_article(title="Goes away", topics=[topic])
    assert related_titles(client, article) == ["Goes away"]
    other.delete()
    assert related_titles(client, article) == []
