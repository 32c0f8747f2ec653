"""Start-up and deploy checks for what must not run in production.

- An unsafe secret key with DEBUG off stops the site: the WSGI application refuses to load (bonehealth/wsgi.py), and
  every manage.py command that runs system checks (runserver, migrate, check) fails with the same message.
- ``check --deploy`` warns while the second factor for staff (``DJANGO_STAFF_MFA``) is off.
"""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

MIN_SECRET_KEY_LENGTH = 50
HOW_TO_SET = (
    "Set DJANGO_SECRET_KEY (environment or .env) to a random value of 50 or more characters, for example the output "
    "of: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'. `make run` writes one into .env. "
    "(Only with DJANGO_DEBUG=True does the site run with an unsafe key.)"
)


def unsafe_secret_key_reason(key: str) -> str | None:
    """Why this key must not sign anything in production, or None when it is acceptable."""
    if not key:
        return "DJANGO_SECRET_KEY is empty."
    if key.startswith("django-insecure"):
        return "DJANGO_SECRET_KEY is a placeholder (it starts with 'django-insecure'): anyone can forge signed data."
    if len(key) < MIN_SECRET_KEY_LENGTH:
        return f"DJANGO_SECRET_KEY has {len(key)} characters; at least {MIN_SECRET_KEY_LENGTH} are needed."
    if len(set(key)) < 5:
        return "DJANGO_SECRET_KEY uses fewer than 5 different characters."
    return None


def refuse_unsafe_secret_key() -> None:
    """Raise ImproperlyConfigured (the site does not start) for an unsafe key while DEBUG is off."""
    reason = None if settings.DEBUG else unsafe_secret_key_reason(settings.SECRET_KEY)
    if reason:
        raise ImproperlyConfigured(f"Refusing to start: {reason} {HOW_TO_SET}")


@register(Tags.security)
def secret_key_check(app_configs, **kwargs):
    reason = None if settings.DEBUG else unsafe_secret_key_reason(settings.SECRET_KEY)
    if not reason:
        return []
    return [Error(f"Refusing to run with DJANGO_DEBUG off: {reason}", hint=HOW_TO_SET, id="bonehealth.E001")]


@register(Tags.security, deploy=True)
def staff_mfa_check(app_configs, **kwargs):
    if getattr(settings, "STAFF_MFA_REQUIRED", False):
        return []
    return [
        Warning(
            "Staff can sign in to the admin with a password alone (DJANGO_STAFF_MFA is off).",
            hint="Set DJANGO_STAFF_MFA=True: staff then set up an authenticator app (TOTP) at their next sign-in.",
            id="bonehealth.W001",
        )
    ]
