"""Record ids and numbers read from a query string.

A query string is whatever the client typed. An id the database cannot hold (beyond 64 bits:
SQLite raises OverflowError, PostgreSQL a DataError) used to reach a query and answer 500. Here
a value is a whole number from 1 to 2**63 - 1 in ASCII digits, or the request is refused with
`QueryError`, a 400 whose page (safeguarding.core.views.bad_request) names the parameter.
"""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import QueryDict

MAX_ID = 2**63 - 1


class QueryError(BadRequest):
    """A query-string value that cannot be used; its message is shown to the user."""


def is_id(text: str) -> bool:
    """A record id the database can hold: ASCII digits, from 1 to 2**63 - 1."""
    return text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_ID


def _checked(name: str, text: str) -> int:
    if not is_id(text):
        raise QueryError(
            f"The address has {name}={text[:40]!r}: {name} must be a record number, a whole "
            "number from 1. Go back and choose again."
        )
    return int(text)


def query_id(query: QueryDict, name: str) -> int | None:
    """The id in `?name=`, None when it is absent or empty, else QueryError."""
    text = query.get(name, "")
    return _checked(name, text) if text != "" else None


def query_ids(query: QueryDict, name: str) -> tuple[int, ...]:
    """Every id in `?name=1&name=2` (empty values skipped), else QueryError."""
    return tuple(_checked(name, text) for text in query.getlist(name) if text != "")
