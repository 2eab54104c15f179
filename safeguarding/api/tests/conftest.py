"""API test fixtures: two partnerships with records, and a token-authenticated client."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from safeguarding.api.services import api_token_create
from safeguarding.api.tests.data import Records, populate
from safeguarding.testing.factories import make_world

_numbers = itertools.count(1)


def token_for(user: Any) -> str:
    """A new token of the user's own (a person makes theirs; names are unique per account)."""
    return api_token_create(actor=user, account=user, name=f"Test {next(_numbers)}").key


class ApiClient:
    """Calls the API as a user (by their token), or as nobody."""

    def __init__(self, user: Any = None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Token {token_for(user)}"} if user else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params, headers=self.headers)

    def post(self, path: str, data: Any, headers: dict[str, str] | None = None) -> Any:
        return self.client.post(
            path, data, content_type="application/json", headers={**self.headers, **(headers or {})}
        )

    def if_match(self, path: str) -> dict[str, str]:
        """The If-Match header for a change to the record at `path`: its ETag, read now."""
        return {"If-Match": self.get(path)["ETag"]}


@pytest.fixture(scope="module")
def two_partnerships(
    django_db_setup: Any, django_db_blocker: Any
) -> Iterator[tuple[Records, Records]]:
    """Two partnerships with records, built once for a test module (the API tests only read
    them, or add records of their own) and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield populate(make_world()), populate(make_world())
        transaction.set_rollback(True)


@pytest.fixture
def records(db: Any, two_partnerships: tuple[Records, Records]) -> Records:
    return two_partnerships[0]


@pytest.fixture
def other_records(db: Any, two_partnerships: tuple[Records, Records]) -> Records:
    return two_partnerships[1]


@pytest.fixture
def api() -> type[ApiClient]:
    return ApiClient
