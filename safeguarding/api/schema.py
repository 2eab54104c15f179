"""The OpenAPI schema: drf-spectacular's, with every error the API can answer declared, so a
client (and schemathesis) knows each 4xx and its shape."""

from __future__ import annotations

from typing import Any, Literal

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from safeguarding.api.views.base import MAX_ID


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Why the request was refused.")
    errors = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text="For a 400: each field named in the request, with its messages "
        '("non_field_errors" for the request as a whole).',
    )


ERROR_DESCRIPTIONS = {
    "400": "The request is not valid: `errors` names each field and what is wrong.",
    "401": "Not signed in: send `Authorization: Token <key>`.",
    "403": "Your role may not use this kind of record, or make this change.",
    "404": "No such record among those you may see (or no such page of results).",
}
# An undeclared method is answered 405 with an Allow header; a client that cannot accept JSON
# is answered 406.
OTHER_ERRORS = {
    "405": "The method is not allowed here.",
    "406": "The response can only be JSON.",
}


# A record's version (safeguarding.core.concurrency): the ETag of its GET, sent back in
# If-Match with any change to it.
ETAG_SCHEMA = {"type": "string", "pattern": '^"[0-9a-f]{20}"$', "example": '"0123456789abcdef0123"'}
IF_MATCH_SCHEMA = {
    "type": "string",
    "pattern": '^(W/)?"[0-9a-f]{20}"$',
    "example": '"0123456789abcdef0123"',
}
VERSION_ERRORS = {
    "412": "The record has been changed by someone else since you read it (If-Match names an "
    "older version): GET it again and send its new ETag. Nothing was changed.",
    "428": "If-Match is missing (or `*`): send the ETag of the record you read.",
}


class ApiAutoSchema(AutoSchema):
    def _changes_a_record(self) -> bool:
        return self.method in ("POST", "PUT", "PATCH", "DELETE") and "{id}" in self.path

    def get_override_parameters(self) -> list[Any]:
        parameters: list[Any] = list(super().get_override_parameters())
        if self._changes_a_record():
            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    IF_MATCH_SCHEMA,
                    OpenApiParameter.HEADER,
                    required=True,
                    description="The ETag of the record, from its GET: the change is made "
                    "only if nobody has changed the record since (otherwise 412).",
                )
            )
        if "{id}" in self.path and self.method in ("GET", "POST", "PUT", "PATCH"):
            parameters.append(
                OpenApiParameter(
                    "ETag",
                    ETAG_SCHEMA,
                    OpenApiParameter.HEADER,
                    required=True,
                    response=[200],
                    description="The record's version: send it in If-Match to change it.",
                )
            )
        return parameters

    def _resolve_path_parameters(self, variables: list[str]) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super()._resolve_path_parameters(variables)
        for parameter in parameters:
            if parameter["name"] == "id":
                # Ids are whole numbers; the URL takes any segment only so that a malformed id
                # is a JSON 404 (see views.base.id_or_404).
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
                parameter["description"] = "The record's id."
        return parameters

    def _get_response_bodies(
        self, direction: Literal["request", "response"] = "response"
    ) -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        codes = dict(ERROR_DESCRIPTIONS)
        if self.method == "GET" and not self._is_list_view() and "{" not in self.path:
            codes.pop("404", None)
        if self._changes_a_record():
            codes.update(VERSION_ERRORS)
        for code, text in {**codes, **OTHER_ERRORS}.items():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code)
                response["description"] = text
                responses[code] = response
        return responses
