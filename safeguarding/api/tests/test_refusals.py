"""Anonymous requests: rate-limited per client address, and their refusals counted in a handful
of audit rows instead of one permanent row each."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from safeguarding.api import services
from safeguarding.api.models import RefusalCount
from safeguarding.api.tests.conftest import token_for
from safeguarding.audit.models import AuditAction, AuditEvent
from safeguarding.testing.factories import World

pytestmark = pytest.mark.django_db


def _denied() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditAction.DENIED).order_by("pk"))


def recorded(rows: list[AuditEvent]) -> int:
    """Refusals the rows account for: a counted row's count includes its first row."""
    counted = {int(r.summary.split("audit row ")[1].split(")")[0]) for r in rows if r.changes}
    return sum(r.changes["count"][1] for r in rows if r.changes) + sum(
        1 for r in rows if not r.changes and r.pk not in counted
    )


@override_settings(API_ANON_RATE="30/minute")  # production's default
def test_200_anonymous_requests_write_a_handful_of_rows_that_count_200(db: Any) -> None:
    """The finding: each anonymous API request wrote a permanent audit row (200 requests, 200
    rows). test_denied.py sent one request of each kind, so it could not see a flood."""
    client = Client(REMOTE_ADDR="203.0.113.5")
    statuses = [
        client.get("/api/v1/cases/", HTTP_AUTHORIZATION="Bearer x" if i % 2 else "").status_code
        for i in range(200)
    ]
    assert statuses.count(401) == 30 and statuses.count(429) == 170
    assert len(_denied()) == 2, "the first refusal of each kind (401, 429) is a row"
    services.refusal_windows_close(now=timezone.now() + dt.timedelta(minutes=11))
    rows = _denied()
    print(f"anonymous flood: requests 200, audit rows {len(rows)}, counted {recorded(rows)}")
    assert len(rows) <= 4
    assert recorded(rows) == 200
    assert {r.ip_address for r in rows} == {"203.0.113.5"}
    assert not RefusalCount.objects.exists()


def test_a_refusal_after_the_window_writes_the_count_of_the_last(db: Any) -> None:
    client = Client(REMOTE_ADDR="203.0.113.6")
    for _ in range(5):
        assert client.get("/api/v1/reviews/").status_code == 401
    assert len(_denied()) == 1
    RefusalCount.objects.update(started_at=timezone.now() - dt.timedelta(minutes=11))
    assert client.get("/api/v1/reviews/").status_code == 401
    first, counted, new = _denied()
    assert counted.changes == {"count": [1, 5]} and f"audit row {first.pk}" in counted.summary
    assert new.summary == first.summary and not new.changes


def test_refusals_from_different_addresses_are_rows_of_their_own(db: Any) -> None:
    for address in ("203.0.113.7", "203.0.113.8"):
        Client(REMOTE_ADDR=address).get("/api/v1/cases/")
    assert [r.ip_address for r in _denied()] == ["203.0.113.7", "203.0.113.8"]


def test_a_signed_in_users_refusals_are_each_a_row(world: World) -> None:
    reader = world.users["scrutiny_reader"]
    headers = {"Authorization": f"Token {token_for(reader)}"}
    for _ in range(3):
        assert Client().get("/api/v1/cases/", headers=headers).status_code == 403
    rows = _denied()
    assert len(rows) == 3 and {r.actor for r in rows} == {reader}


@override_settings(API_ANON_RATE="5/minute")
def test_the_rate_limit_leaves_token_requests_alone(world: World) -> None:
    client = Client(REMOTE_ADDR="203.0.113.9")
    statuses = [client.get("/api/v1/reviews/").status_code for _ in range(8)]
    assert statuses == [401] * 5 + [429] * 3
    assert "Retry-After" in client.get("/api/v1/reviews/")
    headers = {"Authorization": f"Token {token_for(world.business_unit)}"}
    assert client.get("/api/v1/reviews/", headers=headers).status_code == 200
    # A refused credential counts as anonymous, and is refused with its own reason first.
    other = Client(REMOTE_ADDR="203.0.113.10")
    bad = other.get("/api/v1/reviews/", HTTP_AUTHORIZATION="Token " + "0" * 43)
    assert bad.status_code == 401 and "not valid" in bad.json()["detail"]
