"""Every denied attempt writes one audit row (who, what, when, from where, outcome "denied"),
and the row survives the rollback of the refused request's transaction."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from safeguarding.api.services import api_token_create
from safeguarding.audit.models import AuditAction, AuditEvent
from safeguarding.testing.factories import make_case

pytestmark = pytest.mark.django_db


def _denied() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditAction.DENIED).order_by("pk"))


@pytest.mark.urls("safeguarding.core.tests.urls_errors")
def test_a_refusal_is_recorded_after_the_request_is_rolled_back(client_for, world):
    client = client_for(world.business_unit)
    response = client.get("/test-only/refuse-after-writing/", REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(summary="Written, then refused").exists()
    [row] = _denied()
    assert row.actor == world.business_unit
    assert row.partnership == world.partnership
    assert row.outcome == "denied"
    assert row.ip_address == "198.51.100.7"
    assert "GET /test-only/refuse-after-writing/" in row.summary and "403" in row.summary
    assert row.at.utcoffset() == dt.timedelta(0)


def test_a_role_refused_a_page_writes_one_row(client_for, world):
    reader = world.users["scrutiny_reader"]
    assert client_for(reader).get("/cases/").status_code == 403
    [row] = _denied()
    assert row.actor == reader and "reviews:case_list" in row.summary


def test_a_record_outside_the_scope_is_a_404_and_a_denied_row(client_for, world, other_world):
    theirs = make_case(other_world)
    client = client_for(world.business_unit)
    assert client.get(f"/cases/{theirs.pk}/").status_code == 404
    [row] = _denied()
    assert row.actor == world.business_unit
    assert f"reviews.Case {theirs.pk} is outside the user's scope" in row.summary
    # A record that does not exist at all is an ordinary 404, not a denied attempt.
    assert client.get("/cases/999999/").status_code == 404
    assert client.get("/no-such-page/").status_code == 404
    assert len(_denied()) == 1


def test_api_401_403_and_out_of_scope_404_each_write_one_row(client, world, other_world):
    theirs = make_case(other_world)
    bad = client.get("/api/v1/cases/", HTTP_AUTHORIZATION="Token not-a-real-token")
    assert bad.status_code == 401
    token = api_token_create(actor=world.business_unit, account=world.business_unit, name="Feed")
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    assert client.get(f"/api/v1/cases/{theirs.pk}/", **auth).status_code == 404
    assert client.get("/api/v1/cases/999999/", **auth).status_code == 404  # not recorded
    reader_user = world.users["scrutiny_reader"]
    reader = api_token_create(actor=reader_user, account=reader_user, name="Own")
    refused = client.get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Token {reader.key}")
    assert refused.status_code == 403  # a scrutiny reader sees aggregate figures only
    rows = _denied()
    summaries = [r.summary for r in rows]
    assert len(rows) == 3, summaries
    assert rows[0].actor is None and "401" in rows[0].summary
    assert rows[1].actor == world.business_unit and "outside the user's scope" in rows[1].summary
    assert rows[2].actor == world.users["scrutiny_reader"] and "403" in rows[2].summary
    assert "not-a-real-token" not in " ".join(summaries) and token.key not in " ".join(summaries)


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_a_trusted_proxy_gives_the_client_address(client_for, world):
    reader = client_for(world.users["scrutiny_reader"])
    reader.get("/cases/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9, 192.0.2.44")
    assert _denied()[0].ip_address == "192.0.2.44"


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(client_for, world):
    reader = client_for(world.users["scrutiny_reader"])
    reader.get("/cases/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert _denied()[0].ip_address == "10.0.0.2"


@override_settings(TIME_ZONE="Asia/Tokyo")  # nine hours from UTC: a local time would show
def test_at_is_stored_in_utc(world):
    from django.db import connection
    from django.utils import timezone

    from safeguarding.audit.services import audit_record

    before = timezone.now()
    row = audit_record(actor=world.business_unit, action=AuditAction.EXPORT, summary="Exported")
    with connection.cursor() as cursor:
        cursor.execute("SELECT at FROM audit_auditevent WHERE id = %s", [row.pk])
        raw = cursor.fetchone()[0]
    if isinstance(raw, str):  # SQLite keeps the text Django wrote
        raw = dt.datetime.fromisoformat(raw)
    if raw.tzinfo is None:  # SQLite: no zone stored, so it must be UTC's wall clock
        raw = raw.replace(tzinfo=dt.UTC)
    assert abs(raw - before) < dt.timedelta(minutes=1)
