"""HTTP glue for the calculator: read input, validate with the one form, call `intake.compute`, render."""

from __future__ import annotations

import codecs
import hashlib
import hmac
import json
import secrets

from django.core.cache import cache
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_safe

from bonehealth.admin_security import client_ip
from calculator import calendar, charts, intake, keys, openapi, panel, services
from calculator.forms import IntakeForm, bound_form_from_json
from calculator.models import Product
from calculator.templatetags.results import canonical_address

MAX_BODY_BYTES = 64 * 1024


def index(request: HttpRequest) -> HttpResponse:
    """The form (GET, so a result has a shareable URL and nothing is stored); submitted, it shows the results."""
    reference = services.get_reference()
    form = IntakeForm(request.GET or None, reference=reference)
    context = {"form": form, "result": None}
    status = 200
    if form.is_bound and form.is_valid():
        try:
            result = services.calculate(profile=form.to_profile(), reference=reference)
        except intake.MissingGuideline:
            form.add_error(None, "The reference data has no guideline for these answers yet. Please try again later.")
            status = 503
        else:
            chosen = next((row for row in result.guidelines_compared if row.chosen), None)
            context.update(
                result=result,
                chart=charts.intake_chart(result),
                panel=panel.for_result(result=result),
                chosen_row=chosen,
                chosen_name=chosen.name if chosen else reference.authority_name(result.profile.guideline),
            )
    return render(request, "calculator/calculator.html", context, status=status)


@require_safe
def edit_answers(request: HttpRequest) -> HttpResponse:
    """The results' "Edit my answers": the form alone, filled in with the answers of the results' query (submitted, it
    goes back to the results). The results page links here instead of carrying a second copy of the form."""
    form = IntakeForm(request.GET or None, reference=services.get_reference())
    return render(request, "calculator/calculator.html", {"form": form, "result": None, "editing": True})


@require_safe
def calendar_file(request: HttpRequest) -> HttpResponse:
    """The results' timetable as an iCalendar file, from the same query as the results page; nothing is stored. Bad
    answers get a 400 in plain words (templates/calculator/_calendar_error.txt), never a 500."""
    reference = services.get_reference()
    form = IntakeForm(request.GET, reference=reference)
    if not form.is_valid():
        return _plain_text("invalid", 400, errors=form.error_summary())
    try:
        result = services.calculate(profile=form.to_profile(), reference=reference)
    except intake.MissingGuideline:
        return _plain_text("missing-guideline", 503)
    if not result.plan.timetable:
        return _plain_text("empty", 404)
    now = timezone.now()
    body = calendar.build(
        result.plan.timetable,
        start=timezone.localdate(now),
        address=canonical_address(request),
        now=now,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="bone-health-plan.ics"'
    return response


def _plain_text(part: str, status: int, **context) -> HttpResponse:
    text = render_to_string(f"calculator/_calendar_error.txt#{part}", context).strip() + "\n"
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


def _is_utf8(charset: str) -> bool:
    try:
        return codecs.lookup(charset).name == "utf-8"
    except (LookupError, ValueError):
        return False


def _errors(status: int, errors: dict[str, list[str]], **headers) -> JsonResponse:
    return JsonResponse({"errors": errors}, status=status, headers=headers or None)


# The API is stateless JSON: it reads no cookie and changes nothing, so a cross-site request gains an attacker
# nothing a direct request would not. CSRF protection (a cookie + token) would only block legitimate programs.
@csrf_exempt
def api_intake(request: HttpRequest) -> JsonResponse:
    if request.method != "POST":
        return _errors(405, {"method": ["Use POST with a JSON body."]}, Allow="POST")
    if request.content_type != "application/json":
        return _errors(415, {"content_type": ["Send the body as application/json."]})
    if not _is_utf8(request.content_params.get("charset", "utf-8")):
        return _errors(415, {"content_type": ["Send the body as UTF-8 (charset=utf-8, or no charset)."]})
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return _errors(400, {"body": ["Invalid Content-Length header."]})
    if declared > MAX_BODY_BYTES:
        return _errors(413, {"body": [f"The body is larger than {MAX_BODY_BYTES // 1024} KB."]})
    raw = request.read(MAX_BODY_BYTES + 1)
    if len(raw) > MAX_BODY_BYTES:
        return _errors(413, {"body": [f"The body is larger than {MAX_BODY_BYTES // 1024} KB."]})
    try:
        payload = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return _errors(400, {"body": ["The body is not valid JSON."]})

    version = keys.answer_version()  # before the reference data: an answer is never kept under a newer version
    reference = services.get_reference()
    form, errors = bound_form_from_json(payload, reference=reference)
    if errors:
        return _errors(400, errors)
    answered = keys.remembered(form, version)  # the same validated question, answered under this content
    if answered is not None:
        return HttpResponse(answered, content_type="application/json")
    try:
        result = services.calculate(profile=form.to_profile(), reference=reference)
    except intake.MissingGuideline:
        return _errors(503, {"reference": ["No guideline covers these answers yet; please try again later."]})
    body = intake.as_dict(result)
    body["recommendations"] = panel.as_api(panel.for_result(result=result))
    response = JsonResponse(body)
    keys.remember(form, version, response.content)
    return response


@require_GET
def api_options(request: HttpRequest) -> JsonResponse:
    return JsonResponse(services.options(services.get_reference()))


@require_GET
def api_openapi(request: HttpRequest) -> JsonResponse:
    return JsonResponse(openapi.document(server=request.build_absolute_uri("/")))


# --------------------------------------------------------------------------------------------------------------
# Recommendation panel: outbound product links and the affiliate disclosure page.
# The panel itself is calculator/panel.py; its article fragment is articles.views.recommendation_panel.
# --------------------------------------------------------------------------------------------------------------


def _first_click_today(request: HttpRequest, slug: str) -> bool:
    """True for the first click on this product from this address today (UTC), so nobody can inflate the counter.

    The address is never stored: the shared cache keeps only an HMAC of address and product, keyed with a random
    secret made for the day, and both expire with the day, after which the hashes cannot be matched to anything.
    If the cache is unavailable the click is counted (no click is lost, none is remembered)."""
    now = timezone.now()
    today = now.date().isoformat()
    seconds_left = 86_400 - (now.hour * 3600 + now.minute * 60 + now.second) + 60
    cache.add(f"go-day-key:{today}", secrets.token_hex(32), seconds_left)
    day_key = cache.get(f"go-day-key:{today}")
    if day_key is None:
        return True
    digest = hmac.new(day_key.encode(), f"{client_ip(request)}|{slug}".encode(), hashlib.sha256).hexdigest()
    return bool(cache.add(f"go-click:{today}:{digest}", 1, seconds_left))


@require_safe
def go(request: HttpRequest, slug: str) -> HttpResponse:
    """Count the click (one atomic UPDATE with F(): no read-modify-write, no cookie, nothing about the person; at most
    once per address, product and day) and redirect to the product's page. HEAD requests (link checkers, previews)
    are answered but not counted."""
    url = Product.objects.filter(slug=slug, is_active=True).values_list("url", flat=True).first()
    if url is None:
        raise Http404("No active product has this address.")
    if request.method == "GET" and _first_click_today(request, slug):
        Product.objects.filter(slug=slug).update(click_count=F("click_count") + 1)
    response = HttpResponseRedirect(url)
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
def disclosure(request: HttpRequest) -> HttpResponse:
    return render(request, "calculator/disclosure.html")
