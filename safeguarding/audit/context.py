"""Where the current request came from, so services can audit without taking the request.

The client address is REMOTE_ADDR unless settings.TRUSTED_PROXY_COUNT (SRH_TRUSTED_PROXY_COUNT)
says how many reverse proxies in front of the app append to X-Forwarded-For; then it is the
address the outermost trusted proxy saw. With the default 0 the header is ignored: a client can
write anything in it.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from ipaddress import ip_address

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)


def current_client_ip() -> str | None:
    return _client_ip.get()


def _valid(address: str | None) -> str | None:
    if not address:
        return None
    try:
        return str(ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from, trusting only the configured number of proxies."""
    remote = _valid(request.META.get("REMOTE_ADDR"))
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    # Each trusted proxy appended the address it saw; the last `proxies` entries are theirs.
    if len(hops) < proxies:
        return remote
    return _valid(hops[-proxies]) or remote


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from safeguarding.audit import denials

        token = _client_ip.set(client_ip(request))
        rows = denials.start_request()
        try:
            response = self.get_response(request)
            # After the view's transaction has ended (committed or rolled back).
            denials.record_if_denied(request, response)
            return response
        finally:
            denials.end_request(rows)
            _client_ip.reset(token)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        from safeguarding.accounts.access import OutOfScope
        from safeguarding.audit import denials

        if isinstance(exception, OutOfScope):
            denials.flag_out_of_scope(request, str(exception))
