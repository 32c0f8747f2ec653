"""A reader reads the launch article on a 375 px phone and a 1280 px desktop and follows its table of contents."""

import pytest

from .pages import ARTICLE_PATH
from .support import WIDTHS

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def heading_in_view(page, element_id: str) -> bool:
    """True when the element's top edge is inside the viewport (a sticky header may cover at most its top 20%)."""
    return page.evaluate(
        """(id) => {
            const box = document.getElementById(id).getBoundingClientRect();
            return box.top > -2 && box.top < window.innerHeight * 0.8;  // -2: sub-pixel scroll positions
        }""",
        element_id,
    )


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_reader_reads_the_article_and_follows_the_table_of_contents(site, width):
    page = site.open(ARTICLE_PATH, width=width)
    title = page.locator("h1")
    assert "Calcium" in title.inner_text() and title.is_visible()
    assert page.locator(".article-body p").count() >= 5, "the article body has too little text"
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{ARTICLE_PATH} at {width} px scrolls sideways by {overflow} px"

    links = page.locator("nav.toc a[href^='#']")
    assert links.count() >= 3, "the table of contents has fewer than three entries"
    # A section in the middle of the article: far enough down that following the link has to scroll.
    link = links.nth(links.count() // 2)
    target = link.get_attribute("href").removeprefix("#")
    assert not heading_in_view(page, target), f"#{target} is already on screen before following the link"
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{ARTICLE_PATH}#{target}")
    assert heading_in_view(page, target), f"#{target} is not on screen after following its table-of-contents link"
    assert page.locator(f"[id='{target}']").is_visible()
