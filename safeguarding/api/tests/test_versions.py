"""Optimistic locking in the API: every record's GET carries its version as an ETag, and every
change to a record needs that ETag back in If-Match (428 without it, 412 if the record has
changed since)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.test import Client

from safeguarding.actionplans.models import Action
from safeguarding.api.tests.conftest import ApiClient
from safeguarding.api.tests.data import Records
from safeguarding.audit.models import AuditAction, AuditEvent
from safeguarding.core.concurrency import version_token

READABLE = {
    "agencies": "accounts.Agency",
    "incidents": "reviews.Incident",
    "cases": "reviews.Case",
    "reviews": "reviews.Review",
    "findings": "learning.Finding",
    "themes": "learning.Theme",
    "actions": "actionplans.Action",
    "learning-products": "dissemination.LearningProduct",
    "learning-events": "dissemination.LearningEvent",
    "assurance-records": "dissemination.AssuranceRecord",
    "escalations": "escalations.Escalation",
    "escalation-stages": "escalations.EscalationStage",
}


def _schema() -> dict[str, Any]:
    response = Client().get("/api/schema/", headers={"Accept": "application/vnd.oai.openapi+json"})
    assert response.status_code == 200
    return dict(response.json())


def _changes(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """Every operation that changes a record found by its id."""
    return [
        (method.upper(), path, operation)
        for path, item in schema["paths"].items()
        if "{id}" in path
        for method, operation in item.items()
        if method in ("post", "put", "patch", "delete")
    ]


def test_every_record_read_carries_its_version(records: Records) -> None:
    client = ApiClient(records.world.business_unit)
    schema = _schema()
    readable = [p for p, item in schema["paths"].items() if p.endswith("/{id}/") and "get" in item]
    assert {p.split("/")[3] for p in readable} == set(READABLE)
    for kind, label in READABLE.items():
        listed = client.get(f"/api/v1/{kind}/").json()["results"]
        assert listed, kind
        response = client.get(f"/api/v1/{kind}/{listed[0]['id']}/")
        record = apps.get_model(label).objects.get(pk=listed[0]["id"])
        assert response["ETag"] == f'"{version_token(record)}"', kind
        headers = schema["paths"][f"/api/v1/{kind}/{{id}}/"]["get"]["responses"]["200"]
        assert headers["headers"]["ETag"]["required"] is True
    print(f"\nrecord reads with an ETag: {len(READABLE)}")


def test_every_change_to_a_record_requires_if_match(records: Records) -> None:
    schema = _schema()
    changes = _changes(schema)
    assert changes, "no operation changes a record?"
    client = ApiClient(records.world.business_unit)
    action = records.by_kind["actions"]["Police"]
    for method, path, operation in changes:
        header = [p for p in operation["parameters"] if p["name"] == "If-Match"]
        assert header and header[0]["in"] == "header" and header[0]["required"], path
        assert {"412", "428"} <= set(operation["responses"]), path
        assert path.startswith("/api/v1/actions/"), f"a new change to test here: {path}"
        response = client.client.generic(
            method,
            path.replace("{id}", str(action.pk)),
            "{}",
            content_type="application/json",
            headers=client.headers,
        )
        assert response.status_code == 428, (path, response.status_code)
        assert "If-Match" in response.json()["detail"]
    print(f"\nAPI operations changing a record: {len(changes)}, each needs If-Match")


def _status(client: ApiClient, pk: int, status: str, headers: dict[str, str]) -> Any:
    body = {"status": status, "on": "2023-06-10", "note": f"Set to {status}."}
    return client.post(f"/api/v1/actions/{pk}/status/", body, headers=headers)


def test_the_second_writer_gets_412_and_the_first_change_stands(records: Records) -> None:
    action = records.by_kind["actions"]["Police"]
    path = f"/api/v1/actions/{action.pk}/"
    first = ApiClient(records.world.business_unit)
    second = ApiClient(records.world.users["agency_lead"])  # the police lead
    first_read, second_read = first.if_match(path), second.if_match(path)
    assert first_read == second_read
    changed = _status(first, action.pk, "in_progress", first_read)
    assert changed.status_code == 200, changed.json()
    assert changed["ETag"] == f'"{version_token(action)}"' != first_read["If-Match"]
    refused = _status(second, action.pk, "not_started", second_read)
    assert refused.status_code == 412
    assert "changed by someone else since you read it; GET it again" in refused.json()["detail"]
    assert Action.objects.get(pk=action.pk).status == "in_progress"
    conflict = AuditEvent.objects.filter(action=AuditAction.CONFLICT).first()
    assert conflict is not None and conflict.object_id == str(action.pk)
    assert conflict.outcome == "refused"
    # With the new ETag, the second writer's change is made.
    again = _status(second, action.pk, "not_started", second.if_match(path))
    assert again.status_code == 200, again.json()


def test_if_match_missing_star_or_malformed(records: Records) -> None:
    action = records.by_kind["actions"]["Police"]
    client = ApiClient(records.world.business_unit)
    before = version_token(action)
    for headers in ({}, {"If-Match": "*"}):
        response = _status(client, action.pk, "in_progress", headers)
        assert response.status_code == 428
        assert "Send the ETag of the action" in response.json()["detail"]
    response = _status(client, action.pk, "in_progress", {"If-Match": "not-an-etag"})
    assert response.status_code == 400 and "If-Match" in response.json()["errors"]
    assert version_token(action) == before
    # A weak tag (as a compressing proxy may send it back) names the same version.
    weak = {"If-Match": "W/" + client.if_match(f"/api/v1/actions/{action.pk}/")["If-Match"]}
    assert _status(client, action.pk, "in_progress", weak).status_code == 200
