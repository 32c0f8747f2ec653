"""Who is signing in to the admin, and when to stop them: the client address django-axes counts failed logins
against, and the three lockout counters (settings.AXES_*)."""

import ipaddress
from functools import lru_cache

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.db.models import Sum


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]):
    return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies if proxy.strip())


def _is_trusted_proxy(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()))))


def client_ip(request):
    """The address of the machine that connected to us or, behind a trusted proxy, of the machine that connected
    to the proxy.

    Only when ``DJANGO_BEHIND_PROXY`` is on and the connection itself comes from one of ``DJANGO_TRUSTED_PROXIES``
    is ``X-Forwarded-For`` read, from the right (the entry each proxy appended), skipping our own proxies: the first
    address that is not one of them is the client. Anything further left came from the client and could be forged,
    so it is never used; a client that reaches gunicorn directly is counted by its own address whatever it sends.
    """
    remote = request.META.get("REMOTE_ADDR")
    if not getattr(settings, "BEHIND_PROXY", False) or not remote or not _is_trusted_proxy(remote):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for entry in reversed([entry.strip() for entry in forwarded.split(",") if entry.strip()]):
        if not _is_trusted_proxy(entry):
            try:
                return str(ipaddress.ip_address(entry))
            except ValueError:
                return remote  # garbage where the proxy's entry should be: count the proxy, never trust the text
    return remote


def _limit_for(parameter) -> int:
    if parameter == "ip_address":
        return settings.AXES_ADDRESS_FAILURE_LIMIT
    if parameter == "username":
        return settings.AXES_USERNAME_FAILURE_LIMIT
    return settings.AXES_FAILURE_LIMIT


class LoginAttemptHandler(AxesDatabaseHandler):
    """django-axes' database handler with one limit per counter (AXES_LOCKOUT_PARAMETERS, in order): the pair
    (username, address), the address alone, the username alone. django-axes compares a single failure count against
    a single limit, so each counter's failures are scaled onto AXES_FAILURE_LIMIT: a counter at its own limit
    reaches AXES_FAILURE_LIMIT exactly, and the highest of the three decides."""

    def get_failures(self, request, credentials=None) -> int:
        common = get_failure_limit(request, credentials)
        worst = 0
        for parameter, attempts in zip(
            settings.AXES_LOCKOUT_PARAMETERS, self.get_user_attempts(request, credentials), strict=True
        ):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            worst = max(worst, failures * common // max(_limit_for(parameter), 1))
        return worst

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful sign-in (AXES_RESET_ON_SUCCESS) clears that username's failures from that address only, never
        the address's or the username's own counters: otherwise one valid account would let a sprayer start again,
        and the attacked person signing in would hand the attacker a fresh allowance."""
        count = 0
        for parameter, attempts in zip(
            settings.AXES_LOCKOUT_PARAMETERS, self.filter_user_attempts(request, credentials), strict=True
        ):
            if not isinstance(parameter, str):
                count += attempts.delete()[0]
        return count
