"""Login lockout (django-axes) whatever the client address source, and password spraying.

The client address: REMOTE_ADDR, unless FLYWHEEL_TRUSTED_PROXIES (a number, default 0) says
how many proxies in front of Flywheel append to X-Forwarded-For; then the address the
outermost trusted proxy saw (counted from the right, so a client cannot forge it). Behind a
Unix socket REMOTE_ADDR is empty: those requests share one placeholder address rather than
none, so their failures are still counted per username.

Spraying: one try per username from one address is limited by FLYWHEEL_SPRAY_LIMIT distinct
usernames failing from that address within the cool-off (default 20); then the address is
locked out like an account.
"""

import ipaddress
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone

# A placeholder to count by when no address is known (never bound to).
UNKNOWN_ADDRESS = "0.0.0.0"


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_address(request) -> str:
    """The client's address as far as the configured proxies can be trusted."""
    trusted = int(getattr(settings, "FLYWHEEL_TRUSTED_PROXIES", 0))
    if trusted > 0:
        hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= trusted:
            address = _valid(hops[-trusted])
            if address:
                return address
    return _valid(request.META.get("REMOTE_ADDR", "") or "") or UNKNOWN_ADDRESS


class SprayLimitingHandler(AxesDatabaseHandler):
    """axes' database handler, plus a lock on an address that fails for too many usernames."""

    def get_failures(self, request, credentials=None) -> int:
        """The account's failures; at least the limit while the address is spraying (axes
        locks out wherever it compares failures with the limit)."""
        failures = super().get_failures(request, credentials)
        if self.is_spraying(request):
            return max(failures, get_failure_limit(request, credentials))
        return failures

    def is_spraying(self, request) -> bool:
        address = getattr(request, "axes_ip_address", None) or client_address(request)
        cool_off = get_cool_off(request) or timedelta(hours=1)
        usernames = (
            AccessAttempt.objects.filter(
                ip_address=address, attempt_time__gte=timezone.now() - cool_off
            )
            .values("username")
            .distinct()
            .count()
        )
        return usernames >= settings.FLYWHEEL_SPRAY_LIMIT
