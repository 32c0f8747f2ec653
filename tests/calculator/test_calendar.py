"""Add to my calendar: /calculator/calendar.ics gives the results' timetable as an iCalendar file, read back here with
the icalendar library: one repeating event per timetable row (daily, weekly or monthly as the row says), saying what
to take and how; bad answers get a plain 400, never a 500; nothing is stored."""

import datetime
import re
from urllib.parse import parse_qsl, urlencode

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculator import calendar
from calculator.plan import TimetableEntry

URL = "/calculator/calendar.ics"
ANSWERS = [
    ("age", "62"),
    ("sex", "female"),
    ("goal", "bone_health"),
    ("food_milk", "1"),
    ("food_yogurt", "1"),
    ("medications", "levothyroxine"),
    ("medications", "bisphosphonates"),
]


def events(body: bytes) -> list:
    return list(icalendar.Calendar.from_ical(body).walk("VEVENT"))


@pytest.mark.django_db
def test_the_calendar_has_one_repeating_event_per_timetable_row(client):
    query = urlencode(ANSWERS)
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    api = client.post(
        "/api/intake/",
        {
            "age": 62,
            "sex": "female",
            "goal": "bone_health",
            "foods": {"milk": 1, "yogurt": 1},
            "medications": ["levothyroxine", "bisphosphonates"],
        },
        content_type="application/json",
    ).json()
    timetable = api["plan"]["timetable"]
    found = events(response.content)
    assert len(found) == len(timetable) > 0
    for event, row in zip(found, timetable, strict=True):
        start = event.decoded("dtstart")
        assert start.strftime("%H:%M") == row["time"] and start.tzinfo is None  # the person's own clock
        assert event["rrule"]["FREQ"] == [row.get("frequency", "daily").upper()]
        assert str(event["summary"]).startswith(row["what"])
        assert row["detail"] in " ".join(str(event["description"]).split())
        address, canonical = str(event["url"]).split("?", 1)
        assert address.endswith("/calculator/") and sorted(parse_qsl(canonical)) == sorted(ANSWERS)
        assert event.walk("VALARM"), "a phone reminds the person"
    html = client.get(f"/calculator/?{query}").text
    assert f'href="{URL}?{canonical.replace("&", "&amp;")}"' in html, "the results page links to the same answers' file"


@pytest.mark.django_db
def test_another_question_gets_its_own_calendar(client):
    first = client.get(f"{URL}?{urlencode(ANSWERS)}")
    other = client.get(f"{URL}?{urlencode([*ANSWERS[:5], ('medications', 'levothyroxine')])}")
    assert len(events(first.content)) != len(events(other.content)) or first.content != other.content
    assert first["Cache-Control"] == client.get(f"/calculator/?{urlencode(ANSWERS)}")["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["", "age=200&sex=female", "age=abc", "sex=robot&age=50", "age=50&sex=female&food_milk=1e400", "age=%ff"],
)
def test_bad_answers_get_a_plain_400(client, query):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "We cannot make a calendar from these answers" in response.text
    assert "Traceback" not in response.text


WORDS = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.integers(0, 23),
            st.integers(0, 59),
            st.sampled_from(["daily", "weekly", "monthly"]),
            st.booleans(),
            WORDS,
            WORDS,
        ),
        max_size=6,
    ),
    start=st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2040, 12, 31)),
)
def test_any_timetable_reads_back_event_for_event(rows, start):
    timetable = [
        TimetableEntry(
            time=f"{hour:02}:{minute:02}",
            kind="medication",
            slug="x",
            name=what,
            slot="waking",
            what=what,
            detail=detail,
            frequency=frequency,
            optional=optional,
        )
        for hour, minute, frequency, optional, what, detail in rows
    ]
    now = datetime.datetime(2026, 12, 5, 8, 0, tzinfo=datetime.UTC)
    body = calendar.build(timetable, start=start, address="https://example.org/calculator/?age=62", now=now)
    found = events(body)
    assert len(found) == len(timetable)
    assert len({str(event["uid"]) for event in found}) == len(found)
    for event, row in zip(found, timetable, strict=True):
        assert event.decoded("dtstart") == datetime.datetime.combine(
            start, datetime.time(*map(int, row.time.split(":")))
        )
        assert event["rrule"]["FREQ"] == [row.frequency.upper()]
        assert str(event["summary"]) == " ".join(row.what.split())
        description = str(event["description"])
        assert " ".join(row.detail.split()) in description
        assert ("Optional:" in description) == row.optional


@pytest.mark.django_db
def test_a_weekly_bisphosphonate_through_the_form_repeats_weekly_in_the_calendar(client):
    answers = [*ANSWERS, ("frequency_bisphosphonates", "weekly")]
    html = client.get(f"/calculator/?{urlencode(answers)}").text
    day = re.search(r'<ol class="calc-day".*?</ol>', html, re.S).group(0)
    assert "once a week, on the same morning" in day
    found = {str(event["summary"]): event for event in events(client.get(f"{URL}?{urlencode(answers)}").content)}
    weekly = [event for summary, event in found.items() if event["rrule"]["FREQ"] == ["WEEKLY"]]
    assert len(weekly) == 1 and "Bisphosphonate" in str(weekly[0]["summary"])
    assert "once a week" in " ".join(str(weekly[0]["description"]).split())
    assert all(event["rrule"]["FREQ"] == ["DAILY"] for event in found.values() if event not in weekly)
