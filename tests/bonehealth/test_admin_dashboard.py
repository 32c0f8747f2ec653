"""The admin index lists what needs an editor's attention, each a count linking to exactly those rows."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone


def attention(response):
    return {item.label.split(" (")[0]: item for item in response.context["attention"]}


@pytest.fixture
def situation(make_article, only_our_articles):
    """Two overdue articles (one never reviewed), one current, one scheduled; one inactive and one unpriced product;
    one guideline without a source."""
    from calculator.models import IntakeGuideline, Product

    today = timezone.localdate()
    make_article(title="Never reviewed", last_reviewed=None)
    make_article(title="Reviewed long ago", last_reviewed=today - timedelta(days=400))
    make_article(title="Reviewed lately", last_reviewed=today - timedelta(days=30))
    make_article(
        title="Coming soon", last_reviewed=today, published_at=timezone.now() + timedelta(days=5), status="published"
    )
    products = list(Product.objects.order_by("pk")[:2])
    Product.objects.exclude(pk__in=[product.pk for product in products]).update(is_active=True)
    Product.objects.filter(pk=products[0].pk).update(is_active=False)
    Product.objects.filter(pk=products[1].pk).update(price=None)
    Product.objects.exclude(pk=products[1].pk).filter(price__isnull=True).update(price=10)
    guideline = IntakeGuideline.objects.order_by("pk").first()
    IntakeGuideline.objects.filter(pk=guideline.pk).update(source_title="", source_url="")
    return {"inactive": products[0], "unpriced": products[1], "guideline": guideline}


def test_index_counts_what_needs_attention(editor_client, situation):
    response = editor_client.get(reverse("admin:index"))
    assert response.status_code == 200
    items = attention(response)
    assert items["Articles due for medical review"].count == 2
    assert items["Scheduled articles"].count == 1
    assert items["Inactive products"].count == 1
    assert items["Products without a price"].count == 1
    assert items["Intake guidelines without a source"].count == 1
    html = response.content.decode()
    assert "Needs attention" in html
    for item in items.values():
        assert f'href="{item.url.replace("&", "&amp;")}"' in html


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Articles due for medical review", {"Never reviewed", "Reviewed long ago"}),
        ("Scheduled articles", {"Coming soon"}),
        ("Inactive products", "inactive"),
        ("Products without a price", "unpriced"),
        ("Intake guidelines without a source", "guideline"),
    ],
)
def test_each_link_opens_exactly_those_rows(editor_client, situation, label, expected):
    item = attention(editor_client.get(reverse("admin:index")))[label]
    changelist = editor_client.get(item.url)
    assert changelist.status_code == 200
    shown = {str(obj) for obj in changelist.context["cl"].result_list}
    assert shown == (expected if isinstance(expected, set) else {str(situation[expected])})


def test_index_queries_are_bounded(editor_client, situation, make_article, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        editor_client.get(reverse("admin:index"))
    for number in range(10):
        make_article(title=f"More {number}", last_reviewed=None)
    with django_assert_max_num_queries(20):
        response = editor_client.get(reverse("admin:index"))
    assert attention(response)["Articles due for medical review"].count == 12


def test_items_only_for_models_the_user_may_see(client, django_user_model, situation):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(username="catalogue", password=None, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_product"))
    client.force_login(user)
    items = attention(client.get(reverse("admin:index")))
    assert set(items) == {"Inactive products", "Products without a price"}
