"""Site-wide URLs: the icons every browser asks for at the site root, and the icon links in every page's head."""

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

SEED_SLUG = "calcium-and-vitamin-k2-bone-health-combination"
ICON_LINK = re.compile(r'<link rel="(?:icon|apple-touch-icon)" href="([^"]+)"')


@pytest.mark.parametrize(
    ("path", "content_type", "image_format", "sizes"),
    [
        ("/favicon.ico", "image/vnd.microsoft.icon", "ICO", {(16, 16), (32, 32), (48, 48)}),
        ("/apple-touch-icon.png", "image/png", "PNG", {(180, 180)}),
        ("/apple-touch-icon-precomposed.png", "image/png", "PNG", {(180, 180)}),
    ],
    ids=["favicon", "apple-touch-icon", "apple-touch-icon-precomposed"],
)
def test_root_icon_is_a_real_image_with_its_type_and_long_caching(client, db, path, content_type, image_format, sizes):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Cache-Control"] == "public, max-age=2592000"
    image = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert image.format == image_format
    assert image.info.get("sizes", {image.size}) == sizes


def test_no_page_of_the_site_or_the_admin_links_an_icon_that_is_missing(settings, db, make_editor):
    # Serve /static/ from the source folders, as runserver does: the tests run without collectstatic.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    visitor, editor = Client(), Client()
    editor.force_login(make_editor())
    pages = [
        (visitor, "/"),
        (visitor, "/blog/"),
        (visitor, f"/blog/{SEED_SLUG}/"),
        (visitor, "/calculator/"),
        (visitor, "/about/editorial-policy/"),
        (visitor, reverse("admin:login")),
        (editor, reverse("admin:index")),
        (editor, reverse("admin:articles_article_changelist")),
    ]
    for page_client, path in pages:
        response = page_client.get(path)
        assert response.status_code == 200, path
        links = ICON_LINK.findall(response.text)
        assert {"/favicon.ico", "/apple-touch-icon.png"} <= set(links), path
        assert any(link.endswith(".svg") for link in links), path
        for link in links:
            assert visitor.get(link).status_code == 200, (path, link)
