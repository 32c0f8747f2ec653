"""Two-factor enrolment links in the admin, read-only: which account, issued by whom, until when, used when
(issued at *Two-factor sign-in* -> *Issue an enrolment link*, bonehealth/admin_mfa.py)."""

from django.contrib import admin

from bonehealth.models import EnrolmentLink


@admin.register(EnrolmentLink)
class EnrolmentLinkAdmin(admin.ModelAdmin):
    list_display = ["user", "issued_by", "created", "expires", "used"]
    list_select_related = ["user", "issued_by"]
    search_fields = ["user__username", "issued_by__username"]
    fields = list_display

    def has_add_permission(self, request):
        return False  # issued on the two-factor page, where the link is shown once

    def has_change_permission(self, request, obj=None):
        return False
