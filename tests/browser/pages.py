"""Every page type of the site, as a person reaches it: what the accessibility, validity and screenshot tests walk."""

from dataclasses import dataclass

ARTICLE_SLUG = "calcium-and-vitamin-k2-bone-health-combination"
ARTICLE_PATH = f"/blog/{ARTICLE_SLUG}/"


@dataclass(frozen=True)
class PageType:
    name: str
    path: str
    status: int = 200
    # A CSS selector to wait for before checking: content that scripts fill in after load.
    ready: str | None = None
    # Our own templates (exactly one <h1>); the Django admin's login page has its own layout.
    ours: bool = True


PAGE_TYPES = [
    PageType("home", "/"),
    PageType("blog-index", "/blog/"),
    PageType("blog-topic", "/blog/topic/bone-health/"),
    PageType("blog-search", "/blog/search/?q=calcium"),
    PageType("article", ARTICLE_PATH),
    PageType("not-found", "/no-such-page/", status=404),
    PageType("admin-login", "/admin/login/", ours=False),
]

# HTML fragments that scripts fill into pages; validated inside a minimal document.
FRAGMENT_TYPES: list[PageType] = []
