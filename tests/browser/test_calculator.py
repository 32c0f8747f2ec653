"""A calculator user fills in the intake form with the keyboard only, then reads the results; the same without
JavaScript; a mistake leads to an error summary whose links take the keyboard to the field."""

import pytest

from .support import screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MAX_TABS = 120  # the form has about 50 controls


def tab_to(page, selector: str) -> None:
    """Press Tab (only Tab) until the focused element matches the selector."""
    for _ in range(MAX_TABS):
        if page.evaluate("(selector) => document.activeElement?.matches(selector) ?? false", selector):
            return
        page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement?.outerHTML.slice(0, 120)")
    raise AssertionError(f"{MAX_TABS} presses of Tab never reached {selector}; focus is on {focused}")


def fill_in_with_keyboard(page) -> None:
    """A 55-year-old woman, bone-health goal, a glass of milk a day, 500 mg calcium, on levothyroxine."""
    tab_to(page, "#id_age")
    page.keyboard.type("55")
    tab_to(page, "input[name=sex]")  # Tab enters the radio group on its first radio: Female
    page.keyboard.press("Space")
    tab_to(page, "input[name=goal]")  # on the checked radio (General health); the arrow moves to Bone health
    page.keyboard.press("ArrowDown")
    tab_to(page, "#id_food_milk")
    page.keyboard.type("1")
    tab_to(page, "#id_calcium_mg")
    page.keyboard.type("500")
    tab_to(page, "input[name=medications][value=levothyroxine]")
    page.keyboard.press("Space")
    tab_to(page, "form#intake-form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def expected_result(page) -> dict:
    """The same answers through the JSON API: the numbers the results page must show."""
    answers = {
        "age": 55,
        "sex": "female",
        "goal": "bone_health",
        "foods": {"milk": 1},
        "supplements": {"calcium_mg": 500},
        "medications": ["levothyroxine"],
    }
    response = page.request.post("/api/intake/", data=answers)
    assert response.ok, response.text()
    return response.json()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_user_fills_in_the_calculator_with_the_keyboard_and_reads_the_results(site, javascript):
    page = site.context(width=1280, javascript=javascript).new_page()
    page.goto("/calculator/")
    assert page.locator("h1").inner_text() == "Calcium and vitamin K2 calculator"
    fill_in_with_keyboard(page)

    query = page.url.split("?", 1)[1]
    for answer in ["age=55", "sex=female", "goal=bone_health", "food_milk=1", "calcium_mg=500", "levothyroxine"]:
        assert answer in query, f"the results URL does not carry {answer}: {page.url}"
    assert page.locator("h1").inner_text() == "Your calcium and vitamin K2 results"
    expected = expected_result(page)["calcium"]
    headline = page.locator("#headline").inner_text()
    assert f"about {expected['total_mg']:,.0f} mg of your {expected['target_mg']:,.0f} mg" in headline, headline
    warnings = page.locator(".calc-warnings").inner_text()
    assert "levothyroxine" in warnings.lower(), warnings
    assert page.locator("#plan").is_visible() and page.locator("#sources").is_visible()
    screenshot(page, f"calculator-journey-{'js' if javascript else 'nojs'}")
    page.get_by_role("link", name="Edit my answers").click()
    page.wait_for_url("**/calculator/edit/?**")
    assert page.locator("input#id_age").input_value() == "55", "Edit my answers keeps the answers"


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_user_who_leaves_out_the_age_is_led_to_the_field(site, javascript):
    page = site.context(width=375, javascript=javascript).new_page()
    page.goto("/calculator/")
    tab_to(page, "input[name=sex]")
    page.keyboard.press("Space")
    tab_to(page, "form#intake-form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    summary = page.locator(".error-summary")
    assert summary.is_visible(), "no error summary after submitting without an age"
    if javascript:
        assert page.evaluate("document.activeElement.matches('.error-summary')"), "focus is not on the summary"
    assert page.title().startswith("Error"), page.title()
    link = summary.locator("a[href='#id_age']")
    assert link.count() == 1, summary.inner_html()
    tab_to(page, ".error-summary a[href='#id_age']")
    page.keyboard.press("Enter")
    page.wait_for_url("**#id_age")
    assert page.locator("#id_age").is_visible()
    assert page.locator("#id_age_error").is_visible()
    screenshot(page, f"calculator-errors-journey-{'js' if javascript else 'nojs'}")
