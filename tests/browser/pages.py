"""Every page type of the site, as a person reaches it: what the accessibility, validity and screenshot tests walk."""

from dataclasses import dataclass

ARTICLE_SLUG = "calcium-and-vitamin-k2-bone-health-combination"
ARTICLE_PATH = f"/blog/{ARTICLE_SLUG}/"
RESULTS_PATH = (
    "/calculator/?age=55&sex=female&life_stage=none&goal=bone_health&food_milk=1&food_natto=0.25"
    "&calcium_mg=500&calcium_doses_per_day=1&vitamin_k2_mcg=0&medications=levothyroxine"
)
# Above the upper limit, on warfarin, with a condition: every kind of warning and the safety rules on one page.
CRITICAL_RESULTS_PATH = (
    "/calculator/?age=70&sex=male&food_milk=4&food_yogurt=2&calcium_mg=1500&calcium_doses_per_day=1"
    "&vitamin_k2_mcg=200&medications=warfarin&conditions=kidney-disease"
)


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
    PageType("blog-search-no-results", "/blog/search/?q=xylophone"),
    # The article with its recommendation panel filled in from the fragment URL.
    PageType("article", ARTICLE_PATH, ready=".rec-panel[data-panel-state=loaded] .rec-item"),
    PageType("calculator-form", "/calculator/"),
    PageType("calculator-results", RESULTS_PATH),
    PageType("calculator-results-critical", CRITICAL_RESULTS_PATH),
    PageType("calculator-edit-answers", RESULTS_PATH.replace("/calculator/?", "/calculator/edit/?")),
    PageType("calculator-errors", "/calculator/?age=200&sex=female&life_stage=pregnant&food_milk=-1"),
    PageType("disclosure", "/disclosure/"),
    PageType("editorial-policy", "/about/editorial-policy/"),
    PageType("not-found", "/no-such-page/", status=404),
    PageType("admin-login", "/admin/login/", ours=False),
]

# HTML fragments that scripts fill into pages; validated inside a minimal document.
FRAGMENT_TYPES = [PageType("recommendation-panel-fragment", f"/recommendations/panel/?article={ARTICLE_SLUG}")]
