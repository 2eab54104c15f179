"""Every API error is a 4xx with a reason, in one shape: ``{"detail": ..., "errors": {...}}``.

`errors` (field name -> messages) is there for validation errors only. The services' own refusals
(`FindingError`, `ActionError`, ... all `ValueError`s with a message for the user) and Django's
model validation become 400s with that message, so a client sees the same reason a page shows.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from safeguarding.actionplans.services import ActionError
from safeguarding.audit.denials import flag_api_not_found
from safeguarding.dissemination.services import DisseminationError
from safeguarding.escalations.services import EscalationError
from safeguarding.learning.services import FindingError

SERVICE_ERRORS = (ActionError, DisseminationError, EscalationError, FindingError)

REASONS = {
    401: "Authentication credentials were not provided or are not valid.",
    403: "Your role may not do this.",
    404: "Not found.",
}


def _errors(data: Any) -> dict[str, Any]:
    if isinstance(data, dict):
        return {str(k): v if isinstance(v, list | dict) else [v] for k, v in data.items()}
    return {"non_field_errors": data if isinstance(data, list) else [data]}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    # A 404 for a record outside the user's scope is a denied attempt: flagged here, recorded
    # by the audit middleware after the request's transaction has rolled back.
    flag_api_not_found(exc, context)
    if isinstance(exc, SERVICE_ERRORS):
        exc = exceptions.ValidationError({"non_field_errors": [str(exc)]})
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, DjangoPermissionDenied):
        # access.require() raises it without a message; say which rule stopped the request.
        exc = exceptions.PermissionDenied(str(exc) or REASONS[403])
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(REASONS[404])
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": "The request is not valid.", "errors": _errors(exc.detail)}
        response.status_code = status.HTTP_400_BAD_REQUEST
    elif not (isinstance(response.data, dict) and set(response.data) == {"detail"}):
        response.data = {"detail": str(response.data)}
    return response
