"""Lockout after repeated failed log-ins (django-axes), on every path that checks a secret.

- The password form: AxesStandaloneBackend (first in AUTHENTICATION_BACKENDS) refuses a
  locked-out username before the password is checked; each failure is counted by axes' own
  `user_login_failed` receiver.
- The two-factor code form and the current password on the change-password page: a wrong code
  or password is counted here through the same axes handler, so it locks the account out the
  same way and for the same cool-off.
- The REST API takes no password: systems send a token made on the business unit's token page
  (by a signed-in, two-factor-verified user), and HTTP Basic is not accepted.

Lockout is by username, from any address. An attacker with many addresses still gets only
SRH_LOGIN_FAILURE_LIMIT guesses per account per cool-off. Failures while an account is locked
are not counted (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False): otherwise four
requests an hour would keep an account locked for good. The lock ends SRH_LOCKOUT_MINUTES after
the failure that set it, whatever is tried in between.

Besides, one address may fail SRH_LOGIN_ADDRESS_FAILURE_LIMIT (20) times across all usernames
within the cool-off; then that address is refused for every username until those failures are
older than the cool-off (LockoutHandler below), so one address cannot lock many accounts: at
most 20 / 5 = 4 per cool-off. Staff behind one council or NHS gateway share an address, which
is why the address limit is four times the per-account one rather than equal to it: a busy
morning behind a gateway (60 people signing in within 15 minutes, one in ten mistyping once) is
about 6 failures, well under 20, and a throttled gateway waits out one cool-off (15 minutes), the
same cost as an account lockout. A deployment with a larger shared gateway raises the variable.
Behind a reverse proxy, SRH_TRUSTED_PROXY_COUNT must be set so the address is the client's and
not the proxy's (client_ip below), or every user would share the proxy's address.
The page for an address refused is the account lockout page, byte for byte.
"""

from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from safeguarding.audit import context

LOCKED_OUT_STATUS = 429


def client_ip(request: HttpRequest) -> str | None:
    """The address axes records: the same one the audit trail records (trusting only
    SRH_TRUSTED_PROXY_COUNT proxies' X-Forwarded-For)."""
    return context.client_ip(request)


def address_failures(request: Any) -> int:
    """Failures from the request's address, across all usernames, within the cool-off (axes
    keeps one row per username, address and user agent, dated by its latest failure)."""
    address = getattr(request, "axes_ip_address", None)
    if not address:
        return 0
    rows = AccessAttempt.objects.filter(
        ip_address=address, attempt_time__gte=get_cool_off_threshold(request)
    )
    return int(rows.aggregate(n=Sum("failures_since_start"))["n"] or 0)


def address_is_throttled(request: Any) -> bool:
    return address_failures(request) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler (lockout by username), and the address throttle on top: an
    address past its limit is locked for every username, refused before any password is
    checked, and its further failures are not counted (so they cannot extend it either)."""

    def is_locked(self, request: Any, credentials: dict[str, Any] | None = None) -> bool:
        return super().is_locked(request, credentials) or address_is_throttled(request)

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
    ) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False):
            return
        if address_is_throttled(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )


def _credentials(username: str) -> dict[str, str]:
    return {"username": username}


def is_locked_out(request: HttpRequest, username: str) -> bool:
    return not AxesProxyHandler.is_allowed(request, _credentials(username))


def record_failure(request: HttpRequest, username: str) -> bool:
    """Count a wrong code or password for `username`; True when that locks the account out.
    Nothing typed is passed on: axes keeps the request's other POST fields, and every secret
    field is named in AXES_SENSITIVE_PARAMETERS."""
    AxesProxyHandler.user_login_failed(
        sender=__name__, credentials=_credentials(username), request=request
    )
    return bool(getattr(request, "axes_locked_out", False))


def clear_failures(username: str) -> None:
    """After a complete log-in (password and second factor): failures start again from 0."""
    AxesProxyHandler.reset_attempts(username=username)


def locked_out_response(
    request: HttpRequest, response: Any = None, credentials: Any = None
) -> HttpResponse:
    """The page for a locked-out log-in: the same whether or not the account exists, and for
    an address refused (address_is_throttled)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    html = render_to_string("accounts/locked_out.html", {"minutes": minutes}, request=request)
    locked = HttpResponse(html, status=LOCKED_OUT_STATUS)
    locked["Cache-Control"] = "no-store"
    return locked
