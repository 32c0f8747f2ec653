"""The article page's compiled query (articles/lookup.py) answers exactly what ``Article.objects.published()`` answers,
for every mix of drafts, scheduled and live articles and for every moment, and the page follows it."""

import random
from datetime import timedelta

from django.utils import timezone

from articles.lookup import published_article
from articles.models import Article
from articles.views import PAGE_DEFERRED


def test_matches_the_queryset_over_random_articles_and_moments(make_article):
    rng = random.Random(20261202)
    start = timezone.now()
    articles = []
    for number in range(25):
        articles.append(
            make_article(
                title=f"Random {number}",
                status=rng.choice([Article.Status.PUBLISHED, Article.Status.PUBLISHED, Article.Status.DRAFT]),
                published_at=start + timedelta(minutes=rng.randint(-600, 600), microseconds=rng.randint(0, 999_999)),
            )
        )
    slugs = [article.slug for article in articles] + ["no-such-article", "random-1%", "' OR 1=1 --"]
    for _ in range(40):
        moment = start + timedelta(minutes=rng.randint(-700, 700), microseconds=rng.randint(0, 999_999))
        for slug in rng.sample(slugs, 8):
            expected = Article.objects.defer(*PAGE_DEFERRED).published(now=moment).filter(slug=slug).first()
            found = published_article(slug, deferred=PAGE_DEFERRED, now=moment)
            if expected is None:
                assert found is None, (slug, moment)
                continue
            assert found.pk == expected.pk
            for field in ("title", "published_at", "updated", "related", "structured_data", "after_body_html"):
                assert getattr(found, field) == getattr(expected, field), field
            assert found.get_deferred_fields() == expected.get_deferred_fields()
            assert found.body == expected.body  # a deferred column still loads when asked for


def test_the_page_appears_at_its_time_and_goes_with_unpublishing(client, make_article, monkeypatch):
    start = timezone.now()
    clock = {"now": start}
    monkeypatch.setattr(timezone, "now", lambda: clock["now"])
    article = make_article(title="Scheduled piece", published_at=start + timedelta(minutes=5))
    assert client.get(article.get_absolute_url()).status_code == 404

    clock["now"] = start + timedelta(minutes=5)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "Scheduled piece" in response.text

    article.status = Article.Status.DRAFT
    article.save()
    assert client.get(article.get_absolute_url()).status_code == 404


def test_a_new_process_s_first_article_page_costs_one_query(
    client, make_article, monkeypatch, django_assert_num_queries
):
    from articles import lookup
    from bonehealth import generation

    article = make_article(title="First in this process", status=Article.Status.PUBLISHED, published_at=timezone.now())
    generation.token()  # the publication clock reads its one query once per content generation and worker
    monkeypatch.setattr(lookup, "_compiled", {})  # as a freshly started worker has it
    with django_assert_num_queries(1):
        assert client.get(article.get_absolute_url()).status_code == 200
