"""One log line per refused request, never a traceback (finding 15).

Django's django.request logger writes a refusal raised as PermissionDenied (or Http404, or a
SuspiciousOperation on django.security) with the exception's traceback at WARNING: 40,000
refused requests made 534,000 lines. The earlier log tests (test_log_canary.py) captured every
record with a handler of their own and looked only for secrets in them, never at how many lines
the real LOGGING configuration (its handlers, filters and formatters) writes for one refusal.
This test writes through the configured console handler itself.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from django.test import Client

from safeguarding.testing.factories import make_case

pytestmark = pytest.mark.django_db

WRONG = "not-the-password-at-all"


@pytest.fixture
def console() -> Iterator[io.StringIO]:
    """What the configured console handler (settings.LOGGING) writes, for the test's length."""
    [handler] = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    assert isinstance(handler, logging.StreamHandler)
    out = io.StringIO()
    old = handler.setStream(out)
    try:
        yield out
    finally:
        handler.setStream(old)  # type: ignore[arg-type]


def test_forty_refused_requests_write_forty_lines_without_a_traceback(
    client_for, world, other_world, console
):
    theirs = make_case(other_world)
    locked = Client()
    for _ in range(5):  # the fifth failure locks the username
        locked.post(
            "/accounts/login/", {"username": world.business_unit.username, "password": WRONG}
        )
    lead = client_for(world.users["agency_lead"])
    console.seek(0)
    console.truncate()

    statuses = []
    for n in range(10):
        statuses.append(lead.get(f"/records/retention/?q=secret{n}").status_code)
        api = Client().get(f"/api/v1/cases/?t={n}", HTTP_AUTHORIZATION="Token bad-token")
        statuses.append(api.status_code)
        statuses.append(
            locked.post(
                "/accounts/login/", {"username": world.business_unit.username, "password": WRONG}
            ).status_code
        )
    bu = client_for(world.business_unit)
    for _ in range(10):
        statuses.append(bu.get(f"/cases/{theirs.pk}/").status_code)
    assert sorted(set(statuses)) == [401, 403, 404, 429]
    lines = console.getvalue().splitlines()
    assert "Traceback" not in console.getvalue()
    assert len(lines) == len(statuses) == 40, "\n".join(lines[:20])
    user = world.users["agency_lead"]
    first = [line for line in lines if "/records/retention/" in line][0]
    assert first == f"Refused GET /records/retention/ 403 user={user.pk}"
    assert not any("secret" in line or "bad-token" in line or "?" in line for line in lines)
