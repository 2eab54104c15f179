"""The OpenAPI schema: drf-spectacular's, with every error the API can answer declared, so a
client (and schemathesis) knows each 4xx and its shape."""

from __future__ import annotations

from typing import Any, Literal

from drf_spectacular.openapi import AutoSchema
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


class ApiAutoSchema(AutoSchema):
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
        for code, text in {**codes, **OTHER_ERRORS}.items():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code)
                response["description"] = text
                responses[code] = response
        return responses
