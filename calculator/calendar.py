"""The daily plan as an iCalendar file (RFC 5545, built with the ``icalendar`` library): one repeating event per
timetable row, so a phone reminds the person. Daily rows repeat daily; a weekly or monthly medicine repeats on the
weekday or day of the month of the first event. Times are floating (no time zone): 07:00 is 07:00 wherever the
person is. What each event says comes from ``templates/calculator/_calendar.txt``."""

from __future__ import annotations

import datetime
import hashlib

import icalendar
from django.template.loader import render_to_string

TEMPLATE = "calculator/_calendar.txt"
FREQUENCIES = {"daily": "DAILY", "weekly": "WEEKLY", "monthly": "MONTHLY"}
REMINDER_MINUTES = 15


def _words(part: str, **context) -> str:
    return " ".join(render_to_string(f"{TEMPLATE}#{part}", context).split())


def build(timetable, *, start: datetime.date, address: str, now: datetime.datetime) -> bytes:
    """The calendar of these timetable rows, the first events on ``start``; ``address`` is the results page the
    events link back to (and, hashed, part of each event's UID, so importing the same answers again updates them)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Bone Health//Calcium and vitamin K2 plan//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _words("calendar-name"))
    answers = hashlib.sha256(address.encode()).hexdigest()[:16]
    for index, entry in enumerate(timetable):
        hours, minutes = map(int, entry.time.split(":"))
        begins = datetime.datetime.combine(start, datetime.time(hours, minutes))
        event = icalendar.Event()
        event.add("uid", f"{answers}-{index}@bone-health")
        event.add("dtstamp", now)
        event.add("dtstart", begins)
        event.add("duration", datetime.timedelta(minutes=5))
        event.add("rrule", {"freq": FREQUENCIES[entry.frequency]})
        event.add("summary", _words("summary", entry=entry))
        event.add("description", _words("description", entry=entry, address=address))
        event.add("url", address)
        event.add("transp", "TRANSPARENT")
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", _words("summary", entry=entry))
        alarm.add("trigger", datetime.timedelta(0))
        event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical()
