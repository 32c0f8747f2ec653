"""Article pages: visibility, detail page content and head, index, topics, search, feed, sitemap, home, budgets."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.utils import timezone

from bonehealth import generation

SEED_SLUG = "calcium-and-vitamin-k2-bone-health-combination"

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


class HeadParser(HTMLParser):
    """Collects <meta>, <link rel> and JSON-LD blocks from a page."""

    def __init__(self):
        super().__init__()
        self.meta, self.links, self.json_ld, self.ids = {}, {}, [], []
        self._in_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta[attrs.get("property") or attrs["name"]] = attrs.get("content")
        elif tag == "link" and "rel" in attrs:
            self.links[attrs["rel"]] = attrs.get("href")
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_ld = True

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld.append(json.loads(data))

    def handle_endtag(self, tag):
        self._in_ld = False


def parse(html):
    parser = HeadParser()
    parser.feed(html)
    return parser


# --- visibility: published/draft x past/future x anonymous/staff ---

VISIBILITY = [
    ("published", -1, False, 200),
    ("published", +1, False, 404),
    ("draft", -1, False, 404),
    ("draft", +1, False, 404),
    ("published", -1, True, 200),
    ("published", +1, True, 200),
    ("draft", -1, True, 200),
    ("draft", +1, True, 200),
]


@pytest.mark.parametrize(
    ("status", "days", "as_staff", "expected"),
    VISIBILITY,
    ids=[f"{s}-{'past' if d < 0 else 'future'}-{'staff' if st else 'reader'}" for s, d, st, _ in VISIBILITY],
)
def test_detail_visibility_matrix(client, staff_client, make_article, status, days, as_staff, expected):
    article = make_article(status=status, published_at=timezone.now() + timedelta(days=days))
    response = (staff_client if as_staff else client).get(article.get_absolute_url())
    assert response.status_code == expected
    live = status == "published" and days < 0
    if expected == 200:
        assert ("Draft preview" in response.text) is not live
    assert type(article).objects.published().filter(pk=article.pk).exists() is live


@pytest.mark.parametrize(
    "who",
    ["staff-without-article-permission", "app-set-up-but-signed-in-with-password-only", "required-but-not-set-up"],
)
def test_drafts_and_their_panel_need_what_the_admin_needs(client, make_editor, make_article, settings, who):
    from django.contrib.auth.models import Permission
    from django_otp.plugins.otp_totp.models import TOTPDevice

    article = make_article(status="draft")
    editor = make_editor(username="dana")
    if who == "staff-without-article-permission":
        editor.groups.clear()
        editor.user_permissions.add(Permission.objects.get(codename="view_food"))
    elif who == "app-set-up-but-signed-in-with-password-only":
        TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    else:
        settings.STAFF_MFA_REQUIRED = True
    client.force_login(editor)
    assert client.get(article.get_absolute_url()).status_code == 404
    assert client.get(f"/recommendations/panel/?article={article.slug}").status_code == 404


def test_an_editor_in_the_group_sees_the_draft(client, make_editor, make_article):
    article = make_article(status="draft")
    client.force_login(make_editor(username="dana"))
    assert client.get(article.get_absolute_url()).status_code == 200


def test_detail_preview_is_private_uncached_and_noindex(staff_client, make_article):
    article = make_article(status="draft")
    response = staff_client.get(article.get_absolute_url())
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in response.text
    assert "readers cannot see it" in response.text


def test_detail_scheduled_preview_says_when(staff_client, make_article):
    article = make_article(published_at=timezone.now() + timedelta(days=3))
    assert "Scheduled for" in staff_client.get(article.get_absolute_url()).text


def test_detail_unknown_slug_is_404(client, db):
    assert client.get("/blog/no-such-article/").status_code == 404


# --- the article page ---


@pytest.fixture
def full_article(make_article, make_person, make_topic):
    from calculator.models import Nutrient

    topic = make_topic(name="Bone health", slug="bone-health-test")
    related = make_article(title="A related article", topics=[topic])
    make_article(title="An unrelated article")
    make_article(title="A related draft", topics=[topic], status="draft")
    article = make_article(
        title="Calcium & K2 <together>",
        summary="What the trials found & who should care.",
        body="Intro[^cockayne-2006].\n\n## Food sources\n\nDairy.\n\n### Greens\n\nKale[^iom].\n\n## Safety\n\nCare.",
        takeaways=[("Upper limit is 2,000 mg from 51.", "official"), ("Space levothyroxine by 4 hours.", "strong")],
        author=make_person(name="Ann Writer", credentials="RD"),
        reviewer=make_person(name="Dr Rev Iewer", credentials="MD, endocrinologist", bio="Reviews bone articles."),
        last_reviewed=timezone.localdate() - timedelta(days=10),
        topics=[topic],
        nutrients=list(Nutrient.objects.filter(slug__in=["calcium", "vitamin-k2"])),
        references=[
            {
                "key": "cockayne-2006",
                "authors": "Cockayne S, et al.",
                "title": "Vitamin K and fractures",
                "journal": "Arch Intern Med",
                "year": 2006,
                "doi": "10.1001/archinte.166.12.1256",
                "pmid": "16801507",
                "note": "Mostly Japanese MK-4 trials.",
            },
            {
                "key": "iom",
                "authors": "Institute of Medicine",
                "title": "DRIs for calcium",
                "pmid": "",
                "url": "https://doi.org/10.17226/13050",
            },
            {"key": "uncited", "authors": "Someone", "title": "Not cited", "pmid": "42"},
        ],
    )
    return article, related


def test_detail_page_has_everything_a_health_article_needs(client, full_article):
    article, related = full_article
    response = client.get(article.get_absolute_url())
    html = response.text
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert '<h1 id="article-title">Calcium &amp; K2 &lt;together&gt;</h1>' in html
    assert 'href="/blog/">Back to Blog</a>' in html
    assert "What the trials found &amp; who should care." in html
    assert "Ann Writer" in html and "Dr Rev Iewer" in html and "MD, endocrinologist" in html
    assert "Reviews bone articles." in html
    assert "min read" in html and "Last reviewed" in html and "Published" in html
    official = '<span class="evidence evidence-official">Evidence: Official reference value</span>'
    assert f"Upper limit is 2,000 mg from 51. {official}" in html
    assert 'Space levothyroxine by 4 hours. <span class="evidence evidence-strong">Evidence: Strong</span>' in html
    assert "Medical disclaimer" in html
    assert 'href="/calculator/"' in html
    assert 'data-panel-src="/recommendations/panel/?article=' in html  # the recommendation panel's slot
    assert "A related article" in html
    assert "An unrelated article" not in html and "A related draft" not in html
    assert not response.cookies


def test_detail_toc_links_point_at_heading_ids(client, full_article):
    article, _ = full_article
    html = client.get(article.get_absolute_url()).text
    page = parse(html)
    toc = html[html.index('<nav class="toc"') : html.index("</nav>", html.index('<nav class="toc"'))]
    targets = re.findall(r'href="#([^"]+)"', toc)
    assert targets == ["food-sources", "greens", "safety", "references"]
    for target in targets:
        assert target in page.ids
    assert len(page.ids) == len(set(page.ids)), "ids on the page must be unique"


def test_detail_references_are_numbered_linked_and_link_back(client, full_article):
    article, _ = full_article
    html = client.get(article.get_absolute_url()).text
    refs = html[html.index('<ol class="reference-list">') :]
    items = re.findall(r'<li id="(ref-[^"]+)">', refs)
    assert items == ["ref-cockayne-2006", "ref-iom", "ref-uncited"]
    assert 'href="https://doi.org/10.1001/archinte.166.12.1256"' in refs
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/16801507/"' in refs
    assert 'href="https://doi.org/10.17226/13050">Source</a>' in refs
    assert "Mostly Japanese MK-4 trials." in refs
    assert 'href="#cite-cockayne-2006"' in refs and 'href="#cite-iom"' in refs
    assert 'href="#cite-uncited"' not in refs  # no back-link to a citation that does not exist
    assert (
        'id="cite-cockayne-2006"><a href="#ref-cockayne-2006">[<span class="visually-hidden">reference </span>1]'
        in html
    )
    assert 'id="cite-iom"><a href="#ref-iom">[<span class="visually-hidden">reference </span>2]' in html


def test_seed_article_links_every_reference_by_doi_pubmed_id_or_official_page(client, db):
    html = client.get(f"/blog/{SEED_SLUG}/").text
    start = html.index('<ol class="reference-list">')
    refs = html[start : html.index("</ol>", start)]
    items = re.findall(r'<li id="ref-[^"]+">(.*?)</li>', refs, re.S)
    assert len(items) >= 30
    for item in items:
        links = re.findall(r'<a href="([^"]+)">(?:doi:|PubMed |Source)', item)
        assert links, item
        assert all(link.startswith("https://") for link in links), item
        assert not any("?term=" in link or "pubmed.ncbi.nlm.nih.gov/?" in link for link in links), item


def test_detail_head_has_canonical_open_graph_twitter_and_json_ld(client, full_article):
    article, _ = full_article
    response = client.get(article.get_absolute_url() + "?utm_source=x")
    page = parse(response.text)
    url = f"http://testserver{article.get_absolute_url()}"
    assert page.links["canonical"] == url
    assert page.meta["description"] == article.summary
    assert page.meta["og:type"] == "article"
    assert page.meta["og:title"] == article.title
    assert page.meta["og:url"] == url
    assert page.meta["og:description"] == article.summary
    assert page.meta["twitter:card"] == "summary"
    assert page.meta["twitter:title"] == article.title
    assert page.meta["article:published_time"].startswith(str(article.published_at.date()))
    [data] = page.json_ld
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "MedicalWebPage"
    assert data["headline"] == article.title
    assert data["url"] == url
    assert data["author"] == {"@type": "Person", "name": "Ann Writer", "description": "RD"}
    assert data["reviewedBy"]["@type"] == "Person" and data["reviewedBy"]["name"] == "Dr Rev Iewer"
    assert data["publisher"]["@type"] == "Organization" and data["publisher"]["name"] == "Bone Health"
    assert data["datePublished"] == article.published_at.isoformat()
    assert data["lastReviewed"] == article.last_reviewed.isoformat()
    assert "<together>" not in response.text.split("application/ld+json", 1)[1].split("</script>", 1)[0]


def test_detail_json_ld_cannot_break_out_of_its_script(client, make_article):
    article = make_article(title="</script><script>alert(1)</script>", summary="x")
    html = client.get(article.get_absolute_url()).text
    block = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert json.loads(block)["headline"] == "</script><script>alert(1)</script>"
    assert "<script>alert(1)" not in html


def test_detail_query_budget_and_last_modified(client, full_article, django_assert_max_num_queries):
    article, related = full_article
    generation.token()  # the publication clock reads its one query once per content generation and worker
    # The article with its people, its four kinds of rows, and its related articles.
    with django_assert_max_num_queries(6):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert response["Last-Modified"]
    assert related.title in response.text


def test_seed_article_reads_at_its_url_within_budget(client, db, django_assert_max_num_queries):
    from calculator import services

    generation.token()  # the publication clock reads its one query once per content generation and worker
    services.get_reference()  # the reference snapshot, read once per content generation
    # The article's six queries and one for each live table drawn from the calculator's rows.
    with django_assert_max_num_queries(14):
        response = client.get(f"/blog/{SEED_SLUG}/")
    assert response.status_code == 200
    # The corrected launch article (after the third fact check: 39 references, 15 dated changes, the UK's own
    # figures in the side-by-side table), its live tables labelling every cell for narrow screens: under 110 KB.
    assert len(response.content) < 110 * 1024
    html = response.text
    assert html.count("<h1") == 1
    assert html.count("<caption") >= 3  # its live tables, drawn from the calculator's rows
    assert "2,000 mg" in html
    assert "[^" not in html and "[[table:" not in html
    assert "Cockayne" in html


def _edit_reviewer(article, make_topic):
    article.reviewer.credentials = "MD, rheumatologist"
    article.reviewer.save()
    return "MD, rheumatologist"


def _rename_topic(article, make_topic):
    topic = article.topics.get()
    topic.name = "Bones and joints"
    topic.save()
    return "Bones and joints"


def _add_topic(article, make_topic):
    article.topics.add(make_topic(name="Supplements"))
    return "Supplements"


def _add_takeaway(article, make_topic):
    article.takeaways.create(order=9, text="Natto is the richest K2 food.", evidence="moderate")
    return "Natto is the richest K2 food."


def _add_change(article, make_topic):
    article.changes.create(kind="correction", note="Corrected the natto serving.")
    return "Corrected the natto serving."


def _edit_reference(article, make_topic):
    reference = article.references.get(key="iom")
    reference.title = "Dietary Reference Intakes for Calcium and Vitamin D"
    reference.save()
    return "Dietary Reference Intakes for Calcium and Vitamin D"


@pytest.mark.parametrize(
    "edit",
    [_edit_reviewer, _rename_topic, _add_topic, _add_takeaway, _add_change, _edit_reference],
    ids=["reviewer", "topic renamed", "topic added", "takeaway", "change", "reference"],
)
def test_detail_shows_an_edit_of_what_the_article_draws_on_without_saving_the_article(
    client, full_article, make_topic, edit
):
    article, _ = full_article
    shown = edit(article, make_topic)
    html = client.get(article.get_absolute_url()).text
    assert shown in html


def test_detail_forgets_a_deleted_topic(client, full_article):
    article, _ = full_article
    article.topics.get().delete()
    html = client.get(article.get_absolute_url()).text
    [data] = parse(html).json_ld
    assert "about" not in data
    assert 'aria-label="Topics"' not in html and 'property="article:tag"' not in html


# --- index, topics, pagination ---


def test_index_lists_published_newest_first_ten_a_page(client, make_article, only_our_articles):
    now = timezone.now()
    for day in range(23):
        make_article(title=f"Day {day:02d}", published_at=now - timedelta(days=day + 1))
    make_article(title="Still a draft", status="draft")
    make_article(title="Not yet", published_at=now + timedelta(hours=1))
    first = client.get("/blog/")
    titles = re.findall(r'class="article-card__title"><a href="[^"]+">([^<]+)</a>', first.text)
    assert titles == [f"Day {day:02d}" for day in range(10)]
    assert "Page 1 of 3" in first.text and 'rel="next" href="?page=2"' in first.text
    assert "min read" in first.text and "Summary of article" in first.text
    last = client.get("/blog/?page=3")
    assert re.findall(r'class="article-card__title"><a href="[^"]+">([^<]+)</a>', last.text) == [
        "Day 20",
        "Day 21",
        "Day 22",
    ]
    assert "Still a draft" not in first.text + last.text and "Not yet" not in first.text + last.text


@pytest.mark.parametrize("page", ["99", "abc", "0", "-1", "1.5"], ids=["past-end", "text", "zero", "negative", "float"])
def test_index_bad_page_is_404_not_500(client, db, page):
    assert client.get(f"/blog/?page={page}").status_code == 404


def test_index_links_the_topics_that_have_published_articles(client, make_article, make_topic):
    used, only_drafts = make_topic(name="Used topic"), make_topic(name="Drafts only")
    make_article(topics=[used])
    make_article(topics=[only_drafts], status="draft")
    html = client.get("/blog/").text
    assert f'href="/blog/topic/{used.slug}/"' in html
    assert f'href="/blog/topic/{only_drafts.slug}/"' not in html


def test_search_pagination_keeps_the_query(client, make_article, only_our_articles):
    for number in range(12):
        make_article(title=f"Magnesium note {number}", body="magnesium")
    response = client.get("/blog/search/", {"q": "magnesium"})
    assert "12 results for" in response.text
    assert 'href="?q=magnesium&amp;page=2"' in response.text
    assert len(search_titles(client.get("/blog/search/", {"q": "magnesium", "page": "2"}))) == 2


def test_topic_page_lists_only_its_published_articles(client, make_article, make_topic):
    topic = make_topic(name="Supplements here", description="Forms and doses.")
    make_article(title="In topic", topics=[topic])
    make_article(title="Draft in topic", topics=[topic], status="draft")
    make_article(title="Elsewhere")
    response = client.get(f"/blog/topic/{topic.slug}/")
    assert response.status_code == 200
    assert "<h1>Supplements here</h1>" in response.text and "Forms and doses." in response.text
    assert "In topic" in response.text
    assert "Draft in topic" not in response.text and "Elsewhere" not in response.text
    assert client.get("/blog/topic/no-such-topic/").status_code == 404


# --- search ---


@pytest.fixture
def searchable(make_article, only_our_articles):
    make_article(title="Warfarin and vitamin K", body="Keep your vitamin K intake steady while on warfarin.")
    make_article(title="Calcium in food", body="Dairy, sardines and kale supply calcium.", summary="Foods.")
    make_article(title="Secret warfarin draft", body="warfarin", status="draft")


def search_titles(response):
    return re.findall(r'class="article-card__title"><a href="[^"]+">([^<]+)</a>', response.text)


def test_search_finds_published_articles_by_body_and_title(client, searchable):
    response = client.get("/blog/search/", {"q": "warfarin"})
    assert response.status_code == 200
    assert search_titles(response) == ["Warfarin and vitamin K"]
    assert 'value="warfarin"' in response.text  # the query stays in the box
    assert "1 result for" in response.text
    assert search_titles(client.get("/blog/search/", {"q": "sardines kale"})) == ["Calcium in food"]


def test_search_is_case_insensitive_and_needs_every_word(client, searchable):
    assert search_titles(client.get("/blog/search/", {"q": "SARDINES"})) == ["Calcium in food"]
    assert search_titles(client.get("/blog/search/", {"q": "sardines warfarin"})) == []


def test_search_on_postgresql_is_stemmed_and_ranked(client, searchable, make_article):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL full-text search; SQLite uses the plain fallback")
    make_article(title="Bones", body="Calcium is mentioned once in this body.")
    assert search_titles(client.get("/blog/search/", {"q": "supplying"})) == ["Calcium in food"]  # stem of "supply"
    assert search_titles(client.get("/blog/search/", {"q": "calcium"})) == ["Calcium in food", "Bones"]
    assert search_titles(client.get("/blog/search/", {"q": "calcium -sardines"})) == ["Bones"]  # web-search syntax


def test_search_no_results_state(client, searchable):
    response = client.get("/blog/search/", {"q": "zebrafish"})
    assert response.status_code == 200
    assert "0 results for “zebrafish”" in response.text
    assert "No articles match your search" in response.text
    assert 'value="zebrafish"' in response.text


@pytest.mark.parametrize(
    "query",
    ["x" * 500, "<script>alert(1)</script>", "' OR 1=1 --", "%_%", "&&&", '"unclosed', "-", "\u0000"],
    ids=["too-long", "html", "sql", "wildcards", "operators", "quote", "dash", "nul"],
)
def test_search_bad_input_never_errors(client, searchable, query):
    response = client.get("/blog/search/", {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.text
    assert response.text.count("<h1") == 1


def test_search_without_query_shows_only_the_form(client, db):
    response = client.get("/blog/search/")
    assert response.status_code == 200
    assert 'role="search"' in response.text and "result" not in response.text.split("</form>", 1)[1].lower()


# --- feed, sitemap ---


def test_feed_is_atom_with_published_articles_only(client, make_article):
    make_article(title="Feed me", summary="Fed.")
    make_article(title="Draft not in feed", status="draft")
    response = client.get("/blog/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    entries = {entry.findtext(f"{ATOM}title"): entry for entry in root.iter(f"{ATOM}entry")}
    assert "Feed me" in entries and "Draft not in feed" not in entries
    assert SEED_SLUG in {e.find(f"{ATOM}link").get("href").split("/")[-2] for e in entries.values()}
    entry = entries["Feed me"]
    assert entry.findtext(f"{ATOM}summary") == "Fed."
    assert entry.findtext(f"{ATOM}updated") and entry.findtext(f"{ATOM}published")
    assert entry.find(f"{ATOM}author").findtext(f"{ATOM}name")


def test_sitemap_lists_articles_topics_and_static_pages_with_lastmod(client, make_article, make_topic):
    topic = make_topic()
    live = make_article(topics=[topic])
    draft = make_article(status="draft")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    urls = {url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod") for url in root.iter(f"{SITEMAP}url")}
    assert urls[f"http://testserver{live.get_absolute_url()}"] == live.updated.date().isoformat()
    assert f"http://testserver{draft.get_absolute_url()}" not in urls
    assert f"http://testserver/blog/{SEED_SLUG}/" in urls
    assert f"http://testserver/blog/topic/{topic.slug}/" in urls
    assert "http://testserver/" in urls and "http://testserver/blog/" in urls
    assert client.get("/robots.txt").text.count("Sitemap: http://testserver/sitemap.xml") == 1


# --- home and site-wide ---


def test_home_shows_featured_and_latest_articles(client, make_article, only_our_articles):
    make_article(title="The featured one", featured=True)
    make_article(title="A newer one", published_at=timezone.now() - timedelta(minutes=5))
    make_article(title="Draft featured", featured=True, status="draft")
    html = client.get("/").text
    featured = html[html.index('id="featured-title"') : html.index('id="latest-title"')]
    latest = html[html.index('id="latest-title"') :]
    assert "The featured one" in featured and "A newer one" not in featured
    assert "A newer one" in latest and "The featured one" not in latest
    assert "Draft featured" not in html
    assert 'href="/calculator/"' in html


@pytest.mark.parametrize(
    "path",
    ["/", "/blog/", "/blog/topic/bone-health/", "/blog/search/?q=calcium", "/blog/search/", f"/blog/{SEED_SLUG}/"],
    ids=["home", "index", "topic", "search", "search-empty", "article"],
)
def test_pages_have_one_h1_and_set_no_cookie(client, db, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.text.count("<h1") == 1
    assert not response.cookies
    assert "style=" not in response.text  # the CSP allows no inline styles


def test_cached_article_page_changes_on_the_next_request_after_a_save(
    client, make_article, django_assert_num_queries, settings, tmp_path
):
    """The site-wide page cache serves the second request; a save of the article or its references invalidates it."""
    # Private to this test: another test run on the machine must not bump the generation under us.
    settings.PAGE_CACHE_GENERATION_FILE = str(tmp_path / "pagecache-generation")
    article = make_article(title="Before the edit", body="Claim[^a].", references=[{"key": "a", "title": "Old title"}])
    client.get(article.get_absolute_url())
    with django_assert_num_queries(0):
        assert "Before the edit" in client.get(article.get_absolute_url()).text
    reference = article.references.get()
    reference.title = "New reference title"
    reference.save()
    assert "New reference title" in client.get(article.get_absolute_url()).text
    article.refresh_from_db()
    article.title = "After the edit"
    article.save()
    assert "After the edit" in client.get(article.get_absolute_url()).text
    assert "After the edit" in client.get("/blog/").text


def test_hero_image_needs_alt_text_and_feeds_open_graph(client, make_article, settings, tmp_path):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    gif = (  # a 1x1 GIF
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
        b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
    )
    article = make_article(hero_image=SimpleUploadedFile("bones.gif", gif, content_type="image/gif"))
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "hero_image_alt" in error.value.message_dict
    article.hero_image_alt = "An X-ray of a healthy hip"
    article.save()
    page = parse(client.get(article.get_absolute_url()).text)
    assert page.meta["og:image"].startswith("http://testserver/media/articles/bones")
    assert page.meta["og:image:alt"] == "An X-ray of a healthy hip"
    assert page.meta["twitter:card"] == "summary_large_image"
    assert page.json_ld[0]["image"] == page.meta["og:image"]


def test_conditional_get_after_a_guideline_edit_gets_the_new_table(client, make_article):
    """An If-Modified-Since-only client asks again after an editor changed a guideline the article's live table shows:
    it gets the page with the new figure, not a 304 for the article's own (older) save."""
    import time

    from articles.models import Article
    from calculator.models import Authority, IntakeGuideline

    article = make_article(
        title="Calcium guide", body="[[table:calcium-guidelines]]\n", status=Article.Status.PUBLISHED
    )
    first = client.get(article.get_absolute_url())
    assert first.status_code == 200
    seen = first["Last-Modified"]
    assert client.get(article.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=seen).status_code == 304

    time.sleep(1.1)  # HTTP dates count whole seconds
    row = IntakeGuideline.objects.get(
        authority=Authority.US, nutrient__slug="calcium", sex="female", age_min=51, life_stage="none"
    )
    row.upper_limit = 2345
    row.save()

    again = client.get(article.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=seen)
    assert again.status_code == 200
    assert "2,345 mg" in again.text
    assert client.get(article.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=again["Last-Modified"]).status_code == 304
