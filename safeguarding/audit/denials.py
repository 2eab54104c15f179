"""Denied attempts in the audit trail: one row for each request refused with 401 or 403, or
answered 404 for a record that exists outside the user's scope.

The row is written by AuditContextMiddleware once the response exists, i.e. after
ATOMIC_REQUESTS has rolled the view's transaction back (an exception in a page view, or DRF's
set_rollback() for an API error), so the row survives the rollback. Pages and the API flag an
out-of-scope 404 on the request with `flag_out_of_scope`; 401 and 403 need no flag. A 429 of
the API's rate limit for anonymous requests is recorded too (flagged by the throttle).

Refusals of anonymous requests are counted rather than written one row each (an anonymous
flood would otherwise write a permanent row per request): the first of a kind (same status,
client address and route) within SRH_AUDIT_REPEAT_MINUTES writes its row, the rest are one
more row with their count when the window closes (`safeguarding.api.services.refusal_record`).
Refusals of a signed-in user are each a row, naming them.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest, HttpResponseBase

DENIED_STATUSES = frozenset({401, 403})
_ATTR = "_audit_out_of_scope"
_THROTTLED = "_audit_throttled"

# Ids of rows written with outcome "denied" during the current request (by a service, say a
# lock-out), so the middleware does not write a second row for the same refusal.
_denied_rows: ContextVar[list[int] | None] = ContextVar("denied_rows", default=None)


def flag_out_of_scope(request: HttpRequest, reason: str) -> None:
    setattr(request, _ATTR, reason)


def flag_throttled(request: HttpRequest) -> None:
    setattr(request, _THROTTLED, True)


def note_denied_row(pk: int) -> None:
    rows = _denied_rows.get()
    if rows is not None:
        rows.append(pk)


def start_request() -> Any:
    return _denied_rows.set([])


def end_request(token: Any) -> None:
    _denied_rows.reset(token)


def record_if_denied(request: HttpRequest, response: HttpResponseBase) -> None:
    from safeguarding.audit.models import AuditAction, AuditEvent
    from safeguarding.audit.services import audit_record

    reason = getattr(request, _ATTR, None)
    status = response.status_code
    throttled = status == 429 and getattr(request, _THROTTLED, False)
    if status not in DENIED_STATUSES and not (status == 404 and reason) and not throttled:
        return
    already = _denied_rows.get() or []
    if already and AuditEvent.objects.filter(pk__in=already).exists():
        return
    match = getattr(request, "resolver_match", None)
    where = f" ({match.view_name})" if match is not None and match.view_name else ""
    # The path only: a query string is whatever the client typed, and could hold anything.
    summary = f"Refused {request.method} {request.path}{where}: {status}"
    if reason:
        summary += f", {reason}"
    if throttled:
        summary += ", too many requests"
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        from safeguarding.api.services import refusal_record
        from safeguarding.audit.context import current_client_ip

        ip = current_client_ip()
        kind = match.view_name if match is not None else ""
        refusal_record(key=f"{status} {ip} {kind}", summary=summary, ip_address=ip)
        return
    audit_record(actor=user, action=AuditAction.DENIED, summary=summary, outcome="denied")


def flag_api_not_found(exc: Exception, context: dict[str, Any]) -> None:
    """For the API's exception handler: flag a 404 whose record exists outside the user's scope
    (a viewset's scoped queryset found nothing, but the table has that key)."""
    from django.http import Http404
    from rest_framework.exceptions import NotFound

    from safeguarding.accounts.access import OutOfScope

    request = getattr(context.get("request"), "_request", None)
    if request is None or not isinstance(exc, Http404 | NotFound):
        return
    if isinstance(exc, OutOfScope):
        flag_out_of_scope(request, str(exc))
        return
    view = context.get("view")
    field: str = getattr(view, "lookup_field", None) or "pk"
    url_kwarg: str = getattr(view, "lookup_url_kwarg", None) or field
    key = getattr(view, "kwargs", {}).get(url_kwarg)
    queryset = getattr(view, "queryset", None)
    if key is None or queryset is None:
        return
    model = queryset.model
    try:
        exists = model._default_manager.filter(**{field: key}).exists()
    except (ValueError, TypeError):
        return
    if exists:
        flag_out_of_scope(request, f"{model._meta.label} {key} is outside the user's scope")
