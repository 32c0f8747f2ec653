"""Signed-in sessions end after a period without activity and after an absolute limit.

settings.STAFF_SESSION_IDLE (DJANGO_STAFF_SESSION_IDLE_MINUTES) and STAFF_SESSION_MAX_AGE
(DJANGO_STAFF_SESSION_MAX_HOURS). Only signed-in people (staff) have a session; readers never reach the checks.
The last-seen time is written at most once a minute, so an editor's clicks do not each write the session.
"""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

SIGNED_IN_AT = "bonehealth_signed_in_at"
SEEN_AT = "bonehealth_seen_at"
SEEN_RESOLUTION = 60


def now() -> int:
    """Seconds since the epoch (one place, so tests can move the clock)."""
    return int(time.time())


@receiver(user_logged_in, dispatch_uid="bonehealth.staff_sessions.stamp")
def _stamp(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        current = now()
        request.session[SIGNED_IN_AT] = current
        request.session[SEEN_AT] = current


class StaffSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)  # a reader: no session, so no user to load (it stays lazy)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            current = now()
            session = request.session
            if SIGNED_IN_AT not in session:  # a session from before these limits: its clocks start now
                session[SIGNED_IN_AT] = session[SEEN_AT] = current
            signed_in = session[SIGNED_IN_AT]
            seen = session.get(SEEN_AT, signed_in)
            idle = settings.STAFF_SESSION_IDLE.total_seconds()
            absolute = settings.STAFF_SESSION_MAX_AGE.total_seconds()
            if current - seen > idle or current - signed_in > absolute:
                logout(request)  # flushes the session; the admin then asks to sign in again
            elif current - seen >= SEEN_RESOLUTION:
                session[SEEN_AT] = current
        return self.get_response(request)
