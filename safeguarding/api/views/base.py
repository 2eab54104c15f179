"""What every API endpoint shares: authentication required, the role check, querysets only
from the access rules, ids that are whole numbers, and writes validated by the pages' own
forms before the services make them."""

from __future__ import annotations

from typing import Any, ClassVar, NoReturn

from django import forms
from django.db.models import Model, QuerySet
from rest_framework import exceptions, mixins, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.serializers import Serializer

from safeguarding.accounts import access
from safeguarding.api.permissions import RoleAllowed

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

    def scope(self) -> QuerySet[Any]:
        """The user's records, from an `access.get_*_for_user` helper."""
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        return self.scope()

    def get_object(self) -> Model:
        return access.get_object_for_user(self.get_queryset(), id_or_404(self.kwargs["pk"]))
