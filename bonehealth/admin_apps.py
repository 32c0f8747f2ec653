"""django.contrib.admin with the site's own default admin site (a second factor for staff: bonehealth/admin_mfa.py).

Its own module, importing no models, because Django imports app configs before the models are ready."""

from django.apps import apps
from django.contrib.admin.apps import AdminConfig

# Section names people understand, for the apps that name themselves after the library (AXES, OTP_TOTP, ...): on the
# admin index, each section's page and the breadcrumbs.
APP_NAMES = {
    "auth": "Users and permissions",
    "bonehealth": "Two-factor enrolment",
    "axes": "Sign-in lockouts",
    "otp_static": "Recovery codes",
    "otp_totp": "Authenticator apps",
}


class StaffAdminConfig(AdminConfig):
    default_site = "bonehealth.admin_mfa.StaffAdminSite"

    def ready(self):
        super().ready()
        for config in apps.get_app_configs():
            config.verbose_name = APP_NAMES.get(config.label, config.verbose_name)
