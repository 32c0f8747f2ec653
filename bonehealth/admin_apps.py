"""django.contrib.admin with the site's own default admin site (a second factor for staff: bonehealth/admin_mfa.py).

Its own module, importing no models, because Django imports app configs before the models are ready."""

from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    default_site = "bonehealth.admin_mfa.StaffAdminSite"
