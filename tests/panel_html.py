"""Reading the recommendation panel's HTML as a reader sees it."""

import re


def product_slugs(html: str) -> list[str]:
    """The products the panel shows, in order."""
    return re.findall(r'class="rec-item" data-product="([^"]+)"', html)
