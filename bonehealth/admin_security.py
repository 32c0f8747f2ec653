"""Who is signing in to the admin: the client address django-axes counts failed logins against."""

from django.conf import settings


def client_ip(request):
    """The address of the machine that connected to us, or to our proxy when ``DJANGO_BEHIND_PROXY`` is on.

    Behind the proxy (deploy/nginx.conf appends ``$remote_addr`` to ``X-Forwarded-For``) the right-most entry is the
    one the proxy wrote; anything left of it came from the client and could be forged, so it is never used.
    Without a proxy the header is ignored altogether.
    """
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        entries = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
        if entries:
            return entries[-1]
    return request.META.get("REMOTE_ADDR")
