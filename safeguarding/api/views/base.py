"""What every API endpoint shares: authentication required, the role check, querysets only
from the access rules, ids that are whole numbers, and writes validated by the pages' own
forms before the services make them."""

from __future__ import annotations

import re
from typing import Any, ClassVar, NoReturn

from django import forms
from django.db.models import Model, QuerySet
from django.utils.crypto import constant_time_compare
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from safeguarding.accounts import access
from safeguarding.api.permissions import RoleAllowed
from safeguarding.core.concurrency import record_conflict, version_of, version_token

# The URL takes any segment, so that a malformed id is this API's JSON 404, not an HTML page.
ID_PATTERN = "[^/]+"
MAX_ID = 2**63 - 1


def id_or_404(value: str) -> int:
    """A record id from the URL: a whole number the database can hold, or 404."""
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= MAX_ID:
        raise exceptions.NotFound("Not found.")
    return int(value)


def valid_data(serializer_class: type[Serializer], data: Any) -> dict[str, Any]:
    """The request body with its JSON types checked, or a 400 naming each bad field."""
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def cleaned(form: forms.BaseForm) -> dict[str, Any]:
    """The form's cleaned data, or a 400 with the messages the page would show."""
    if not form.is_valid():
        errors = {
            ("non_field_errors" if name == "__all__" else name): [str(m) for m in messages]
            for name, messages in form.errors.items()
        }
        raise exceptions.ValidationError(errors)
    return form.cleaned_data


def field_error(name: str, message: str) -> NoReturn:
    """Refuse the request with a 400 naming one field."""
    raise exceptions.ValidationError({name: [message]})


def model_data(form: forms.ModelForm, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    fields = form._meta.fields or ()
    return {k: v for k, v in form.cleaned_data.items() if k in fields and k not in exclude}


class ScopedViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    # Lists and reads the records of one kind that the user may see. (A comment, not a
    # docstring: drf-spectacular would copy a docstring into every operation.)

    permission_classes = [IsAuthenticated, RoleAllowed]
    lookup_value_regex = ID_PATTERN
    # staticmethod(access.can_user_*): may the user read these at all, and write them?
    read_rule: ClassVar[staticmethod[[Any], bool]]
    read_denied: ClassVar[str]
    write_rule: ClassVar[staticmethod[[Any], bool] | None] = None
    write_denied: ClassVar[str] = "Your role may not change these."

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # DRF's order, except that the rate limit comes before authentication and the
        # permission check: an anonymous flood is refused by those, and would never be counted.
        self.format_kwarg = self.get_format_suffix(**kwargs)
        request.accepted_renderer, request.accepted_media_type = self.perform_content_negotiation(
            request
        )
        request.version, request.versioning_scheme = self.determine_version(
            request, *args, **kwargs
        )
        self.check_throttles(request)
        self.perform_authentication(request)
        self.check_permissions(request)

    def scope(self) -> QuerySet[Any]:
        """The user's records, from an `access.get_*_for_user` helper."""
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        return self.scope()

    def get_object(self) -> Model:
        record = access.get_object_for_user(self.get_queryset(), id_or_404(self.kwargs["pk"]))
        if self.request.method not in SAFE_METHODS:
            # Any change to a record found by its id (PUT, PATCH, DELETE, POST to an action
            # of it) needs the version it was read at.
            check_if_match(self.request, record)
        return record

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        record = self.get_object()
        return with_etag(Response(self.get_serializer(record).data), record)

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, VersionRefused):
            # Answered here, not by the exception handler, so that the request's transaction
            # is not rolled back: it keeps the audit row of the refused change.
            if exc.status_code == status.HTTP_412_PRECONDITION_FAILED:
                record_conflict(actor=self.request.user, target=exc.record, fields=[], how="API")
            return Response({"detail": exc.detail}, status=exc.status_code)
        return super().handle_exception(exc)


class VersionRefused(exceptions.APIException):
    """A change to a record sent without its current version (428) or with an old one (412)."""

    def __init__(self, status_code: int, detail: str, record: Model) -> None:
        super().__init__(detail)
        self.status_code = status_code
        self.record = record


MISSING_IF_MATCH = (
    "Send the ETag of the {what} (from GET {path}) in an If-Match header: a change is only "
    "made to the version you read."
)
STALE_IF_MATCH = (
    "This {what} has been changed by someone else since you read it; GET it again, and send "
    "its new ETag in If-Match. Nothing was changed."
)
MALFORMED_IF_MATCH = 'If-Match must be the ETag from GET {path}, in double quotes: "…".'
ETAG_FORMAT = re.compile(r'^(?:W/)?"([0-9a-f]+)"$')


def etag_of(record: Model) -> str:
    return f'"{version_token(record)}"'


def with_etag(response: Response, record: Model) -> Response:
    response["ETag"] = etag_of(record)
    return response


def check_if_match(request: Request, record: Model) -> None:
    """Refuse a change unless If-Match names the record's current version (read locked, so no
    other change can come between the check and the write)."""
    what = str(record._meta.verbose_name)
    path = request.path
    sent = (request.headers.get("If-Match") or "").strip()
    if not sent or sent == "*":
        raise VersionRefused(
            status.HTTP_428_PRECONDITION_REQUIRED,
            MISSING_IF_MATCH.format(what=what, path=path),
            record,
        )
    tags = [ETAG_FORMAT.match(tag.strip()) for tag in sent.split(",")]
    if not all(tags):
        raise exceptions.ValidationError({"If-Match": [MALFORMED_IF_MATCH.format(path=path)]})
    current = version_of(record, lock=True).token
    # A weak tag (W/"…", as a compressing proxy may send it back) names the same version.
    if not any(constant_time_compare(m.group(1), current) for m in tags if m):
        raise VersionRefused(
            status.HTTP_412_PRECONDITION_FAILED, STALE_IF_MATCH.format(what=what), record
        )
