"""The site's own rows outside the articles and the calculator."""

from django.conf import settings
from django.db import models


class EnrolmentLink(models.Model):
    """A one-time link an administrator issued for setting up two-factor sign-in (bonehealth/admin_mfa.py).

    Only a hash of the link's secret is kept; it works once, for its account only, until ``expires``."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField()
    used = models.DateTimeField(null=True, blank=True, help_text="When it was opened by its account (then spent).")

    class Meta:
        ordering = ["-created"]
        verbose_name = "two-factor enrolment link"

    def __str__(self):
        return f"Enrolment link for {self.user} (until {self.expires:%Y-%m-%d %H:%M})"
