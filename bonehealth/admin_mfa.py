"""A second factor for staff: TOTP authenticator apps and recovery codes, with django-otp.

- Anyone who has set up an authenticator app gives its 6-digit code (or one of their recovery codes) with their
  password at every sign-in. A wrong or missing code counts as a failed sign-in for the lockout (django-axes).
- Setting it up needs more than the password: an administrator (superuser) issues a one-time enrolment link for the
  account (*Two-factor sign-in* -> *Issue an enrolment link*, or ``manage.py two_factor_link USERNAME``), valid for
  ``ENROLMENT_LINK_VALID``. Opening it, signed in as that account, lets that browser session set it up at
  *Two-factor sign-in* (``admin:two_factor``): scan the QR code (an SVG image, no script, so it works under the site's
  CSP) or type the key, confirm with a code, then keep the recovery codes shown once. Without the link, an account
  with no authenticator cannot reach the set-up page, so whoever has only its password cannot register their own app.
  Only a hash of the link is stored (``bonehealth.models.EnrolmentLink``); it is spent when its account first opens
  the set-up page with it, a newer link for the account replaces it, and it expires after ENROLMENT_LINK_VALID. Staff
  can make new recovery codes on that page later (the old ones stop working).
- With ``DJANGO_STAFF_MFA`` on, staff who have not set it up are signed in only as far as that page: every other admin
  page sends them there until it is done. With it off, setting it up is optional (and ``check --deploy`` warns).
- Lost phone and recovery codes: a superuser deletes the person's devices in the admin (*Authenticator apps*,
  *Recovery codes*) and issues them a new enrolment link.

django.contrib.admin uses this site as its default (bonehealth/admin_apps.py), so every ``admin.site.register`` and
``admin.site.urls`` in the project goes through it.
"""

import base64
import hashlib
import secrets
from datetime import timedelta
from io import BytesIO

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from bonehealth.models import EnrolmentLink

APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
# How long an administrator's enrolment link works.
ENROLMENT_LINK_VALID = timedelta(hours=24)
_SESSION_LINK = "two_factor_enrolment_link"
_SESSION_GRANT = "two_factor_enrolment"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_enrolment_link(user, *, issued_by=None, site_name="admin") -> tuple[str, EnrolmentLink]:
    """A new one-time enrolment link (its path) for ``user``; earlier unused ones for the account stop working."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        EnrolmentLink.objects.filter(user=user, used__isnull=True).update(used=now)
        link = EnrolmentLink.objects.create(
            user=user, token_hash=_hash(token), issued_by=issued_by, expires=now + ENROLMENT_LINK_VALID
        )
    return reverse(f"{site_name}:two_factor_enrol", kwargs={"token": token}), link


def _spend_link(token: str, user) -> bool:
    """Spend ``token`` if it is an unused, unexpired link of ``user``'s (once only, whoever asks at the same time)."""
    now = timezone.now()
    return bool(
        EnrolmentLink.objects.filter(token_hash=_hash(token), user=user, used__isnull=True, expires__gt=now).update(
            used=now
        )
    )


def may_enrol(request) -> bool:
    """This session opened a valid enrolment link for the signed-in account (allowed until the link would have
    expired, in this session only). The first check spends the link and starts a new authenticator."""
    user, session = request.user, request.session
    grant = session.get(_SESSION_GRANT)
    if grant and grant.get("u") == user.pk and grant.get("until", 0) > timezone.now().timestamp():
        return True
    token = session.pop(_SESSION_LINK, None)
    if not token or not _spend_link(token, user):
        return False
    # A new secret for this enrolment: one shown to an earlier session is never confirmed.
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    session[_SESSION_GRANT] = {"u": user.pk, "until": (timezone.now() + ENROLMENT_LINK_VALID).timestamp()}
    return True


class EnrolmentLinkForm(forms.Form):
    user = forms.ModelChoiceField(
        label="Account",
        queryset=get_user_model().objects.none(),
        help_text="Staff accounts without an authenticator app.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        with_app = TOTPDevice.objects.filter(confirmed=True).values("user")
        self.fields["user"].queryset = (
            get_user_model().objects.filter(is_staff=True, is_active=True).exclude(pk__in=with_app).order_by("username")
        )


def _normalise(token: str) -> str:
    token = "".join(token.split()).replace("-", "")
    return token if token.isdigit() else token.lower()


def _is_verified(user) -> bool:
    return bool(getattr(user, "is_verified", lambda: False)())


def _has_device(request) -> bool:
    """Whether the signed-in person has a confirmed second factor (asked once per request)."""
    if not hasattr(request, "_staff_has_device"):
        request._staff_has_device = user_has_device(request.user)
    return request._staff_has_device


def second_factor_ok(request) -> bool:
    """Signed in with the second factor, or allowed without one (none set up and DJANGO_STAFF_MFA off)."""
    if _is_verified(request.user):
        return True
    return not _has_device(request) and not settings.STAFF_MFA_REQUIRED


def may_manage_second_factor(request) -> bool:
    """The set-up page is for active staff, signed in either with their second factor or without one set up yet."""
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    return _is_verified(user) or not _has_device(request)


class StaffAuthenticationForm(AdminAuthenticationForm):
    otp_token = forms.CharField(
        label="Authenticator code",
        required=False,
        max_length=40,
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes. "
        "Leave it empty if you have not set up two-factor sign-in yet.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "otp": "Enter the current code from your authenticator app (or one of your recovery codes) with your password.",
    }

    def clean(self):
        cleaned = super().clean()
        user = self.user_cache
        if user is None or not user_has_device(user):
            return cleaned
        token = _normalise(cleaned.get("otp_token") or "")
        device = match_token(user, token) if token else None
        if device is None:
            # Counted by django-axes like a wrong password: the code cannot be guessed at leisure either.
            user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=self.request)
            raise ValidationError(self.error_messages["otp"], code="otp")
        user.otp_device = device  # django_otp marks the session verified when the login completes
        return cleaned


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code from the app",
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _qr_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _grouped(key: str) -> str:
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """Replace the person's recovery codes with STAFF_RECOVERY_CODES fresh single-use ones; returns them."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.STAFF_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


# Names people understand for the models the libraries name after themselves, on the admin index and each section's
# page (the sections' names: bonehealth/admin_apps.py).
MODEL_NAMES = {
    ("axes", "AccessAttempt"): "Failed sign-ins (lockouts)",
    ("axes", "AccessFailureLog"): "Failed sign-in log",
    ("axes", "AccessLog"): "Sign-in log",
    ("otp_static", "StaticDevice"): "Recovery code sets",
    ("otp_totp", "TOTPDevice"): "Authenticator apps",
}


class StaffAdminSite(admin.AdminSite):
    login_form = StaffAuthenticationForm
    login_template = "admin/staff_login.html"
    site_header = settings.SITE_NAME
    site_title = f"{settings.SITE_NAME} admin"
    index_title = "Editors' desk"

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        for app in app_list:
            for model in app["models"]:
                model["name"] = MODEL_NAMES.get((app["app_label"], model["object_name"]), model["name"])
        return app_list

    def has_permission(self, request):
        return super().has_permission(request) and second_factor_ok(request)

    def needs_set_up(self, request) -> bool:
        user = request.user
        return (
            settings.STAFF_MFA_REQUIRED
            and user.is_authenticated
            and user.is_active
            and user.is_staff
            and not _is_verified(user)
            and not _has_device(request)
        )

    @method_decorator(never_cache)
    def login(self, request, extra_context=None):
        response = super().login(request, extra_context)
        if self.needs_set_up(request):
            return redirect(reverse("admin:two_factor", current_app=self.name))
        return response

    def get_urls(self):
        return [
            path("two-factor/", self.two_factor_view, name="two_factor"),
            path("two-factor/enrol/<str:token>/", self.enrolment_link_view, name="two_factor_enrol"),
            path("two-factor/links/", self.issue_link_view, name="two_factor_links"),
            # Signing out must work before the second factor is set up too (the admin's own view asks for
            # has_permission); LogoutView itself only accepts a POST with a CSRF token.
            path("logout/", never_cache(self.logout), name="logout"),
            *super().get_urls(),
        ]

    @method_decorator(never_cache)
    @method_decorator(csrf_protect)
    def two_factor_view(self, request):
        if not may_manage_second_factor(request):
            login = reverse("admin:login", current_app=self.name)
            return redirect(f"{login}?{REDIRECT_FIELD_NAME}={request.path}")
        user = request.user
        context = {
            **self.each_context(request),
            "title": "Two-factor sign-in",
            "required": settings.STAFF_MFA_REQUIRED,
            "recovery_codes": None,
        }
        confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if confirmed is not None:
            if request.method == "POST" and request.POST.get("action") == "new-recovery-codes":
                context["recovery_codes"] = new_recovery_codes(user)
            context["enabled"] = True
            context["codes_left"] = StaticToken.objects.filter(device__user=user).count()
            return TemplateResponse(request, "admin/two_factor.html", context)

        if not may_enrol(request):
            context["needs_link"] = True
            return TemplateResponse(request, "admin/two_factor.html", context, status=403)
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
            user=user, name=APP_DEVICE_NAME, confirmed=False
        )
        form = TokenForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            if device.verify_token(_normalise(form.cleaned_data["token"])):
                with transaction.atomic():
                    device.confirmed = True
                    device.save(update_fields=["confirmed"])
                    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
                    codes = new_recovery_codes(user)
                request.session.pop(_SESSION_GRANT, None)
                otp_login(request, device)  # this session is now signed in with the second factor
                context.update(enabled=True, recovery_codes=codes, just_enabled=True, codes_left=len(codes))
                context.update(self.each_context(request))  # the admin's menus, now that it may be used
                return TemplateResponse(request, "admin/two_factor.html", context)
            form.add_error("token", "That code did not match. Check the time on your phone and enter the newest code.")
        secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
        context.update(
            enabled=False,
            form=form,
            qr_code=_qr_data_uri(device.config_url),
            secret=_grouped(secret),
        )
        return TemplateResponse(request, "admin/two_factor.html", context)

    @method_decorator(never_cache)
    def enrolment_link_view(self, request, token):
        """An administrator's enrolment link: kept in this browser's session (a signed-in account checks it at once on
        the set-up page; otherwise after signing in, sessions keep their data across the sign-in)."""
        request.session[_SESSION_LINK] = token[:200]
        request.session.pop(_SESSION_GRANT, None)
        return redirect(reverse("admin:two_factor", current_app=self.name))

    @method_decorator(never_cache)
    @method_decorator(csrf_protect)
    def issue_link_view(self, request):
        """For administrators: a one-time enrolment link for a staff account without an authenticator app."""
        if not (self.has_permission(request) and request.user.is_superuser):
            login = reverse("admin:login", current_app=self.name)
            return redirect(f"{login}?{REDIRECT_FIELD_NAME}={request.path}")
        form = EnrolmentLinkForm(request.POST if request.method == "POST" else None)
        context = {
            **self.each_context(request),
            "title": "Issue a two-factor enrolment link",
            "form": form,
            "valid_hours": int(ENROLMENT_LINK_VALID.total_seconds() // 3600),
        }
        if form.is_valid():
            account = form.cleaned_data["user"]
            path, link = issue_enrolment_link(account, issued_by=request.user, site_name=self.name)
            context.update(account=account, link=request.build_absolute_uri(path), expires=link.expires)
        return TemplateResponse(request, "admin/two_factor_links.html", context)
