"""Sentences for the codes the pure calculation returns: every sentence lives in one template,
`templates/calculator/_messages.txt`, one partial per code. The results page and the JSON API both read the texts
filled in here, so they say the same thing."""

from __future__ import annotations

import dataclasses
import functools
import re
from typing import NamedTuple

from django.template import Context
from django.template.loader import get_template

from calculator.intake import Result

TEMPLATE = "calculator/_messages.txt"
_SPACE = re.compile(r"\s+")


class GapWords(NamedTuple):
    kind: str  # nutrient | medication | everything
    other: str  # the nutrient's slug or the medicine's name
    before: str
    after: str | None
    note: str = ""  # whose gap it is, from the spacing data


def say(code: str, /, **params) -> str:
    """The sentence for one code, rendered from its partial, on one line. Parameters must be hashable: the same
    sentence is rendered once per process (templates change only with a deploy, which starts new processes)."""
    return _said(code, tuple(sorted(params.items())))


@functools.lru_cache(maxsize=4096)
def _said(code: str, params: tuple) -> str:
    # Plain text: a partial rendered on its own is outside the file's {% autoescape off %}, so say it here too.
    partial = get_template(f"{TEMPLATE}#{code}").template
    return _SPACE.sub(" ", partial.render(Context(dict(params), autoescape=False))).strip()


def fill(result: Result) -> Result:
    """The result with every note, built-in warning, dose and timetable row in words."""
    plan = result.plan
    notes = tuple(dataclasses.replace(note, text=say(f"note-{note.code}", **note.params)) for note in plan.notes)
    doses = tuple(dataclasses.replace(dose, when=say("when", slot=dose.slot.code)) for dose in plan.calcium_doses)
    timetable = tuple(
        dataclasses.replace(
            entry,
            what=say(f"what-{entry.kind}", name=entry.name, amount=entry.amount, optional=entry.optional),
            detail=say(
                f"detail-{entry.kind}",
                slot=entry.slot,
                gaps=tuple(_gap_words(gap, result) for gap in entry.gaps),
                frequency=entry.frequency,
            ),
        )
        for entry in plan.timetable
    )
    warnings = tuple(
        warning
        if warning.message
        else dataclasses.replace(warning, message=say(f"warning-{warning.code}", **warning.params))
        for warning in result.warnings
    )
    return dataclasses.replace(
        result,
        plan=dataclasses.replace(plan, notes=notes, calcium_doses=doses, timetable=timetable),
        warnings=warnings,
    )


def _gap_words(gap, result: Result) -> GapWords:
    kind, slug = gap.other
    names = {item.slug: item.name for item in result.restrictions.medicines}
    return GapWords(
        kind=kind,
        other=names.get(slug, slug) if kind == "medication" else slug,
        before=_duration(gap.before),
        after=None if gap.after is None else _duration(gap.after),
        note=gap.note,
    )


def _duration(minutes: int) -> str:
    """The spacing data's gap as the cautions write it: minutes up to two hours ("60 minutes"), then hours."""
    if minutes < 120:
        return f"{minutes} minutes"
    hours = minutes / 60
    whole = int(hours) if hours.is_integer() else hours
    return f"{whole} hour" + ("" if whole == 1 else "s")


def reason_text(reason) -> str:
    """Why a product was chosen (a `recommend.Reason`), in words."""
    return say("reason", **{field.name: getattr(reason, field.name) for field in dataclasses.fields(reason)})
