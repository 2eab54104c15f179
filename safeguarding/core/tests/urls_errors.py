"""A test-only URL configuration: the real site plus views that fail on purpose."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from safeguarding.accounts import access
from safeguarding.audit.models import AuditAction
from safeguarding.audit.services import audit_record
from safeguarding.urls import urlpatterns as site_patterns

CANARY = "CANARY-EXCEPTION-TEXT-7f3a"


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(f"{CANARY} with a secret in the message")


def uses_nonce(request: HttpRequest) -> HttpResponse:
    from django.template import engines

    page = engines["django"].from_string('<script nonce="{{ request.csp_nonce }}"></script>')
    return HttpResponse(page.render({}, request))


def refuse_after_writing(request: HttpRequest) -> HttpResponse:
    # A write the request's transaction rolls back when the refusal is raised.
    audit_record(actor=request.user, action=AuditAction.UPDATE, summary="Written, then refused")
    access.require(False)
    return HttpResponse("never")  # pragma: no cover


urlpatterns = [
    path("test-only/boom/", boom),
    path("test-only/nonce/", uses_nonce),
    path("test-only/refuse-after-writing/", refuse_after_writing),
    *site_patterns,
]

handler403 = "safeguarding.core.views.forbidden"
handler404 = "safeguarding.core.views.not_found"
handler500 = "safeguarding.core.views.server_error"
