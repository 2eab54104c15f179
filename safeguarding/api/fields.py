"""Input fields that take JSON types as the schema states them.

DRF's own fields are lenient: a CharField takes the number 5 as "5", an IntegerField takes "5"
and ``true``. A client that sends the wrong type has a bug, so these refuse it with a 400.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from safeguarding.core.text import TEXT_MAX_LENGTH, strip_controls


def _refuse(field: serializers.Field, kind: str) -> None:
    raise serializers.ValidationError(f"Must be {kind}.")


class StrictCharField(serializers.CharField):
    """Text, without control characters (safeguarding.core.text: NUL and the rest are
    dropped; tabs and line breaks kept, the pages' forms make them spaces in one-line fields).
    At most ``max_length`` characters: the model's for a CharField, else TEXT_MAX_LENGTH (as
    the forms' text areas), so one request cannot store megabytes."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", TEXT_MAX_LENGTH)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            _refuse(self, "a string")
        return super().to_internal_value(strip_controls(data))


class StrictIntegerField(serializers.IntegerField):
    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            _refuse(self, "a whole number")
        return super().to_internal_value(data)


class StrictChoiceField(serializers.ChoiceField):
    def to_internal_value(self, data: Any) -> Any:
        types = {type(key) for key in self.choices}
        if isinstance(data, bool) or not isinstance(data, tuple(types)):
            raise serializers.ValidationError(f'"{data}" is not a valid choice.')
        return super().to_internal_value(data)


class StrictDateField(serializers.DateField):
    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            _refuse(self, "a date as YYYY-MM-DD")
        return super().to_internal_value(data)


class IdField(StrictIntegerField):
    """The id of a record; whether it is one the user may use is for the form or service."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(**kwargs)


def id_list(**kwargs: Any) -> serializers.ListField:
    kwargs.setdefault("required", False)
    return serializers.ListField(child=IdField(), max_length=50, **kwargs)
