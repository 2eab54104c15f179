"""Rate limits: for requests that carry no valid credential (SRH_API_ANON_RATE, per client
address), and for a signed-in user's or a token's (SRH_API_USER_RATE, per user), shared by
every server process through the database cache.

Two things differ from DRF's AnonRateThrottle (the second for the user's limit too):

- It runs before the permission check (see ScopedViewSet.initial), and a request whose
  credential was refused counts as anonymous: otherwise the 401s of a flood would never reach
  the throttle.
- Its count is written after the response. The view's transaction (ATOMIC_REQUESTS) is rolled
  back for every refused request, and with it anything written to the database cache inside
  it; `AfterResponseMiddleware` writes it once that transaction has ended.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from safeguarding.audit.context import client_ip
from safeguarding.audit.denials import flag_throttled

_AFTER = "_srh_after_response"


def after_response(request: HttpRequest, write: Callable[[], None]) -> None:
    request.__dict__.setdefault(_AFTER, []).append(write)


class AfterResponseMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        for write in getattr(request, _AFTER, ()):
            write()
        return response


class _CountedAfterResponse(SimpleRateThrottle):
    """The count of a rate limit, written once the request's transaction has ended."""

    def _allow(self, request: Request, ident: str) -> bool:
        self.key = self.cache_format % {"scope": self.scope, "ident": ident}
        self.now = self.timer()
        history = [t for t in self.cache.get(self.key, []) if t > self.now - self.duration]
        self.history = history
        if len(history) >= self.num_requests:
            flag_throttled(request._request)
            return False
        history.insert(0, self.now)
        duration = self.duration
        after_response(request._request, lambda: self.cache.set(self.key, history, duration))
        return True


class AnonymousRateThrottle(_CountedAfterResponse, AnonRateThrottle):
    def get_rate(self) -> str:
        # Read from settings each time (DRF keeps its own copy from start-up).
        return str(settings.API_ANON_RATE)

    def get_ident(self, request: Request) -> str:
        return client_ip(request._request) or "unknown"

    def allow_request(self, request: Request, view: Any) -> bool:
        refused: exceptions.APIException | None = None
        try:
            if request.user.is_authenticated:
                return True
        except exceptions.APIException as exc:
            refused = exc  # a bad credential: counted, then refused with its own reason
        if not self._allow(request, self.get_ident(request)):
            return False
        if refused is not None:
            raise refused
        return True


class SignedInRateThrottle(_CountedAfterResponse, UserRateThrottle):
    """Requests of a signed-in user or a token, per user (SRH_API_USER_RATE): a generous
    rate, so a leaked token or a runaway script cannot take the service for itself."""

    def get_rate(self) -> str:
        return str(settings.API_USER_RATE)

    def allow_request(self, request: Request, view: Any) -> bool:
        try:
            user = request.user
        except exceptions.APIException:
            return True  # refused by the anonymous throttle or the authentication
        if not user.is_authenticated:
            return True  # the anonymous throttle's
        return self._allow(request, str(user.pk))
