"""The calculator page: the form, its errors, the results, the query budget, no cookie."""

import re
from html import unescape as html_unescape

import pytest

from calculator import services

pytestmark = pytest.mark.django_db

URL = "/calculator/"
ANSWERS = "age=55&sex=female&goal=bone_health&food_milk=1&food_natto=0.25&calcium_mg=500&medications=levothyroxine"


def test_calculator_form_renders_with_labels_fieldsets_and_servings(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.text
    assert html.count("<h1") == 1
    assert 'method="get"' in html
    assert html.count("<legend>") >= 6
    assert '<label for="id_food_milk">Milk, low-fat (1%)</label>' in html
    assert "one serving is 1 cup (240 ml)" in html
    assert "calcium carbonate is 40% calcium" in html
    assert 'type="checkbox" name="medications" value="warfarin"' in html
    assert "<script" not in html.split("</footer>")[0].split("<main")[1]
    assert not response.cookies


def test_calculator_every_input_has_a_label(client):
    html = client.get(URL).text
    ids = re.findall(r'<input[^>]*\bid="([^"]+)"', html)
    assert ids
    for input_id in ids:
        assert f'for="{input_id}"' in html, input_id


def test_calculator_results_show_headline_chart_plan_warnings_sources(client):
    response = client.get(f"{URL}?{ANSWERS}")
    assert response.status_code == 200
    html = response.text
    assert html.count("<h1") == 1
    assert "You get about 1,055 mg of your 1,200 mg calcium target." in html  # 305 milk + 250 other foods + 500
    assert '<svg viewBox="0 0 400' in html and 'role="img"' in html
    assert ">Your intake, target and upper limit (US National Academies tables)</caption>" in html
    assert "Levothyroxine" in html and "at least 4 hours before or 4 hours after calcium" in html
    assert "Vitamin K2 (MK-7) 180 mcg" in html
    assert "K1 (mostly from green vegetables) and K2" in html
    assert 'href="https://doi.org/10.17226/13050"' in html
    assert "This is not medical advice." in html
    assert "Edit my answers" in html and 'id="intake-form"' not in html  # a link to the form, not a second copy
    assert 'style="' not in html
    assert not response.cookies


def test_edit_my_answers_opens_the_form_filled_in_with_the_answers(client):
    results = client.get(f"{URL}?{ANSWERS}").text
    [edit_link] = re.findall(r'<a class="calc-action" href="([^"]+)">Edit my answers</a>', results)
    assert edit_link.startswith("/calculator/edit/?") and edit_link.endswith("#intake-form")
    html = client.get(html_unescape(edit_link)).text
    assert 'id="intake-form"' in html and 'action="/calculator/"' in html
    assert 'name="age" value="55"' in html
    assert re.search(r'name="food_natto"[^>]*value="0.25"', html)
    assert re.search(r'value="levothyroxine"[^>]*checked', html)


def test_two_people_editing_their_answers_each_see_their_own(client):
    """The edit page is cached by the form's answers, like the results: never one person's answers for another."""
    first = client.get("/calculator/edit/?age=30&sex=female&goal=bone_health").text
    second = client.get("/calculator/edit/?age=71&sex=male&goal=bone_health").text
    assert 'name="age" value="30"' in first
    assert 'name="age" value="71"' in second and 'name="age" value="30"' not in second


def test_calculator_errors_have_a_summary_linking_to_each_field_and_keep_values(client):
    response = client.get(f"{URL}?age=40&sex=male&life_stage=pregnant&food_milk=lots&calcium_mg=9000")
    html = response.text
    assert response.status_code == 200
    assert "There is a problem with your answers" in html
    assert '<a href="#id_life_stage_0">' in html
    assert '<a href="#id_food_milk">' in html
    assert '<a href="#id_calcium_mg">' in html
    assert 'id="id_calcium_mg_error"' in html
    assert 'name="calcium_mg" value="9000"' in html and 'value="lots"' in html
    assert "applies only to females" in html
    assert "<title>Error:" in html
    assert "You get about" not in html


def test_calculator_pregnant_at_60_is_a_clear_error(client):
    html = client.get(f"{URL}?age=60&sex=female&life_stage=pregnant").text
    assert "ages 14 to 50 only" in html


def test_calculator_results_page_stays_within_3_queries_with_reference_cached(client, django_assert_max_num_queries):
    services.get_reference()  # warm the cache
    with django_assert_max_num_queries(3):
        response = client.get(f"{URL}?{ANSWERS}")
    assert response.status_code == 200


def test_calculator_under_18_gets_no_supplement_doses(client):
    html = client.get(f"{URL}?age=12&sex=female&goal=bone_health").text
    assert "paediatrician" in html
    assert "Calcium supplement," not in html


def test_calculator_results_partial_renders_alone(rf):
    from django.template.loader import render_to_string

    from calculator import charts, intake, panel

    reference = services.get_reference()
    result = services.calculate(profile=intake.Profile(age=70, sex="male", other_foods_mg=0), reference=reference)
    html = render_to_string(
        "calculator/calculator.html#results",
        {
            "result": result,
            "chart": charts.intake_chart(result),
            "panel": panel.for_result(result=result),
            "chosen_name": "US National Academies",
        },
        request=rf.get(URL),
    )
    assert "You get about 0 mg of your 1,000 mg calcium target." in html
    assert "<h1" not in html


def test_results_escape_what_editors_typed(client):
    from calculator.models import Food, Medication

    typed = 'Milk & "cream" <b>it\'s</b>'
    for row in (Food.objects.get(slug="milk"), Medication.objects.get(slug="levothyroxine")):
        row.name = typed
        row.save()
    html = client.get(f"{URL}?{ANSWERS}").text
    escaped = "Milk &amp; &quot;cream&quot; &lt;b&gt;it&#x27;s&lt;/b&gt;"  # Django's escape
    assert f"<dt>Foods a day</dt><dd>{escaped}: 1 serving; " in html
    assert f"<dt>Medicines</dt><dd>{escaped}</dd>" in html
    assert f"<li>{escaped}: 1 serving," in html  # what we counted from your food
    assert "<b>it" not in html


def test_the_answers_list_the_foods_with_a_separator_between_them_only(client):
    html = client.get(f"{URL}?{ANSWERS}").text
    foods = re.search(r"<dt>Foods a day</dt><dd>(.*?)</dd>", html).group(1)
    assert foods.count("; ") == 1 and not foods.endswith("; ")
    assert foods.endswith("0.25 servings")


def test_under_uk_tables_a_figure_the_uk_does_not_set_says_whose_it_is(client):
    html = client.get(f"{URL}?age=62&sex=female&food_milk=1&guideline=uk").text
    assert "(UK Department of Health / SACN tables)</caption>" in html
    assert "US: the UK sets none" in html  # the vitamin K adequate intake and the calcium upper limit
    assert "The official US tables" not in html
    assert "(US)</text>" in html, "the chart's mark says whose figure it is"


def test_under_eu_tables_a_stricter_us_limit_says_so_and_an_equal_one_says_nothing(client):
    html = client.get(f"{URL}?age=62&sex=female&food_milk=1&guideline=eu").text
    intake = re.search(r'<table class="stack calc-intake">.*?</table>', html, re.S).group(0)
    assert "US: stricter than the EU’s 2,500" in intake  # calcium: the US limit of 2,000 mg applies
    vitamin_d = re.search(r"<tr><th scope=\"row\">Vitamin D</th>.*?</tr>", intake, re.S).group(0)
    assert "stricter" not in vitamin_d and "sets none" not in vitamin_d  # 4,000 IU in both tables
    assert "The European Food Safety Authority (EFSA) tables give no fixed amount" not in html
