"""The admin speaks the site's language: its name on every page, sections and models named for what they are,
filters with distinct names, help texts that show the real address, and the article form that fits the job."""

import re

from django.urls import reverse


def test_every_admin_page_carries_the_site_name_not_djangos(superuser_client, make_article):
    article = make_article()
    for url in (
        "/admin/",
        "/admin/articles/",
        "/admin/articles/article/",
        f"/admin/articles/article/{article.pk}/change/",
        "/admin/two-factor/",
    ):
        html = superuser_client.get(url).text
        assert "Django administration" not in html and "Django site admin" not in html, url
        assert re.search(r'<div id="site-name"><a href="/admin/">Bone Health</a></div>', html), url
        assert "| Bone Health admin</title>" in html, url
    assert "Django administration" not in superuser_client.get("/admin/login/").text


def test_sections_and_models_have_names_people_understand(superuser_client):
    html = superuser_client.get("/admin/").text
    for name in ("Sign-in lockouts", "Authenticator apps", "Recovery codes", "Users and permissions"):
        assert f">{name}</a>" in html or f">{name}</caption>" in html or name in html, name
    for library_name in ("Axes", "OTP_STATIC", "OTP_TOTP", "Otp_Totp", "TOTP devices", "Static devices"):
        assert f">{library_name}<" not in html, library_name
    assert "Failed sign-ins (lockouts)" in html and "Recovery code sets" in html
    # The breadcrumbs on a section's own pages too.
    assert ">Sign-in lockouts</a>" in superuser_client.get("/admin/axes/accessattempt/").text


def test_the_article_list_filters_have_distinct_names(superuser_client):
    html = superuser_client.get("/admin/articles/article/").text
    titles = re.findall(r"<summary>\s*By (.+?)\s*</summary>", html) or re.findall(r"<h3>\s*By (.+?)\s*</h3>", html)
    assert titles, "no filter headings found"
    assert len(titles) == len(set(titles)), titles
    assert {"medical review status", "medical review due", "changed since its medical review"} <= set(titles)


def test_help_texts_show_the_real_address(superuser_client, make_article, make_product):
    html = superuser_client.get(f"/admin/articles/article/{make_article().pk}/change/").text
    assert "/blog/your-slug/" in html and "/blog//" not in html
    assert "/about/your-slug/" in superuser_client.get("/admin/articles/page/add/").text
    product = make_product("help-text-product", ("calcium", 500, "calcium-carbonate"))
    html = superuser_client.get(reverse("admin:calculator_product_change", args=[product.pk])).text
    assert "/go/your-slug/" in html and "/go//" not in html


def test_article_form_saves_from_the_top_and_folds_long_inlines_with_their_count(superuser_client, make_article):
    references = [{"key": f"ref-{n}", "title": f"Study {n}"} for n in range(12)]
    article = make_article(references=references, takeaways=[("One.", "strong")])
    html = superuser_client.get(f"/admin/articles/article/{article.pk}/change/").text
    form = html.split('id="article_form"', 1)[1]
    assert form.count('name="_save"') == 2  # a Save button above the fields and one below
    assert form.index('name="_save"') < form.index('name="title"')
    references_group = html.split('id="references-group"', 1)[1].split('id="changes-group"', 1)[0]
    assert "<details" in references_group and "References (12)" in references_group
    assert "<details open" not in references_group  # folded until the editor opens it
    takeaways = html.split('id="takeaways-group"', 1)[1].split('id="references-group"', 1)[0]
    assert "Key takeaways" in takeaways and "(1)" in takeaways and "<details" not in takeaways  # short: open
    new = superuser_client.get("/admin/articles/article/add/").text
    empty = new.split('id="references-group"', 1)[1].split("</fieldset>")[0]
    assert "References (0)" in empty and "<details" not in empty  # nothing to fold: open to be filled
    body = re.search(r"<textarea [^>]*name=\"body\"[^>]*>", html).group(0)
    assert 'rows="30"' in body and "article-body-input" in body
