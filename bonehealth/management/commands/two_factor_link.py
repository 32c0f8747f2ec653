"""``manage.py two_factor_link USERNAME``: a one-time two-factor enrolment link for a staff account, for the first
administrator (nobody can issue one in the admin yet) or from a deploy shell (bonehealth/admin_mfa.py)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from bonehealth.admin_mfa import ENROLMENT_LINK_VALID, issue_enrolment_link


class Command(BaseCommand):
    help = "Print a one-time two-factor enrolment link (the path under the site's address) for a staff account."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        try:
            user = get_user_model().objects.get(username=username, is_staff=True, is_active=True)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No active staff account is called {username!r}.") from None
        hours, (path, _) = int(ENROLMENT_LINK_VALID.total_seconds() // 3600), issue_enrolment_link(user)
        self.stdout.write(path)
        self.stderr.write(f"Open it at the site's address (for example https://example.org{path}).")
        self.stderr.write(f"It works once, for {username} only, for {hours} hours; it replaces any earlier link.")
