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
SRH_LOGIN_FAILURE_LIMIT guesses per account per cool-off, and staff behind one council or NHS
gateway share an address, so locking by address would lock out whole offices. The cost, that
anyone can lock a known username out for SRH_LOCKOUT_MINUTES, is bounded by the cool-off.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

LOCKED_OUT_STATUS = 429


def client_ip(request: HttpRequest) -> str | None:
    """The address axes records: the same one the audit trail records."""
    return request.META.get("REMOTE_ADDR")


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
    """The page for a locked-out log-in: the same whether or not the account exists."""
    from django.conf import settings

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    html = render_to_string("accounts/locked_out.html", {"minutes": minutes}, request=request)
    locked = HttpResponse(html, status=LOCKED_OUT_STATUS)
    locked["Cache-Control"] = "no-store"
    return locked
