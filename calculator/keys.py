"""Cache keys derived from the intake form, so that equal questions share one cached answer.

- ``canonical_answers``: a validated question as one string (its ``cleaned_data``, sorted, numbers plain), the key
  of the page cache's calculator pages (``bonehealth.pagecache.intake_form_query``) and of the API's answers.
- ``page_query``: the results' own address for the links on the page (the canonical address printed and in the QR
  code, the calendar file, *Edit my answers*): only the form's fields, in the form's order, with plain numbers
  normalized (``1.50``, ``+1.5`` and ``1.5`` alike), so nobody's tracking parameters reach anybody else.
- ``remembered`` / ``remember``: the JSON API's answers, keyed by ``canonical_answers`` and kept under the content
  generation token, so a save anywhere makes them unreachable. Never keyed on raw bytes.
"""

from __future__ import annotations

import hashlib
import json
import re
from decimal import Decimal
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.cache import caches

from bonehealth import generation
from calculator import services
from calculator.forms import IntakeForm

ANSWER_SECONDS = 120
_NUMBER = re.compile(r"\s*([+-]?)(\d*)(?:\.(\d*))?\s*")
_NUMERIC_FIELDS = (forms.IntegerField, forms.DecimalField, forms.FloatField)
_fields: dict[str, tuple] = {}


def _form_fields(reference) -> tuple[tuple[str, bool], ...]:
    """(name, is a number) for every field of the form built on this reference, in the form's order."""
    held = _fields.get("fields")
    if held is None or held[0] is not reference:
        names = tuple(
            (name, isinstance(field, _NUMERIC_FIELDS)) for name, field in IntakeForm(reference=reference).fields.items()
        )
        held = _fields["fields"] = (reference, names)
    return held[1]


def normalized_number(text: str) -> str:
    """A plain decimal number without its sign '+', leading and trailing zeros; anything else unchanged."""
    match = _NUMBER.fullmatch(text)
    if match is None or not (match[2] or match[3]):
        return text
    sign, whole, fraction = match[1], match[2].lstrip("0") or "0", (match[3] or "").rstrip("0")
    number = whole + ("." + fraction if fraction else "")
    return "-" + number if sign == "-" and number != "0" else number


def page_query(query) -> str:
    """The calculator page's key part for a QueryDict. A query with none of the form's fields still binds the form
    (its page shows the errors), so it gets a key of its own, never the empty form's."""
    pairs = [
        (name, normalized_number(value) if numeric else value)
        for name, numeric in _form_fields(services.get_reference())
        for value in query.getlist(name)
    ]
    return urlencode(pairs) if pairs else "bound"


def _plain(value):
    if isinstance(value, Decimal):
        return str(value.normalize())
    return str(value)


def _answers():
    if not getattr(settings, "PAGE_CACHE", True):
        return None
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "pages")]


def answer_version() -> str | None:
    """Read before the reference data, so an answer is never stored under a newer version than its data."""
    return generation.token() if _answers() is not None else None


def canonical_answers(form: IntakeForm) -> str:
    """A validated question as one string: two requests share it only when the form reads them the same."""
    return json.dumps(form.cleaned_data, sort_keys=True, separators=(",", ":"), default=_plain)


def answer_key(form: IntakeForm) -> str:
    return "answer:intake:" + hashlib.blake2b(canonical_answers(form).encode(), digest_size=16).hexdigest()


def remembered(form: IntakeForm, version: str | None) -> bytes | None:
    """The JSON body answered before to this validated question under this version, if any."""
    if version is None:
        return None
    body = _answers().get(answer_key(form), version=version)
    return body if isinstance(body, bytes) else None


def remember(form: IntakeForm, version: str | None, body: bytes) -> None:
    if version is not None:
        _answers().set(answer_key(form), body, ANSWER_SECONDS, version=version)
