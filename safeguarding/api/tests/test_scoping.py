"""Every endpoint, for every role of a partnership, an outsider from another partnership, a
user of no partnership and nobody: the status each gets, and that each list holds exactly the
records of that user's scope. The scope is written out here from the test data (who took part
in what), not worked out by the access rules under test."""

from __future__ import annotations

from typing import Any

import pytest

from safeguarding.accounts.models import Role
from safeguarding.accounts.services import user_create
from safeguarding.api.tests.conftest import ApiClient
from safeguarding.api.tests.data import Records

ALL = "all"
FULL_READERS = ("business_unit", "rag_member", "scrutineer")
POLICE, HEALTH = "Police", "Integrated care board"

# endpoint -> role -> the names (in data.populate) of the records the role sees, ALL, or the
# status a role gets instead (403: the role may not use this kind of record at all).
SCOPES: dict[str, dict[str, Any]] = {
    # Scrutiny readers: published reports only, no API at all (403).
    "agencies": {role: ALL for role in (*FULL_READERS, "agency_lead")},
    "themes": {role: ALL for role in (*FULL_READERS, "agency_lead")},
    "cases": {
        **dict.fromkeys(FULL_READERS, ALL),
        "agency_lead": {"police"},
        "agency_lead_health": {"health"},
    },
    "incidents": {
        **dict.fromkeys(FULL_READERS, ALL),
        "agency_lead": {"police"},
        "agency_lead_health": {"health"},
    },
    "reviews": {
        **dict.fromkeys(FULL_READERS, ALL),
        "agency_lead": {"police", "school_police"},
        "agency_lead_health": {"health"},
    },
    "findings": {
        **dict.fromkeys(FULL_READERS, ALL),
        "agency_lead": {"police"},
        "agency_lead_health": {"health"},
    },
    "actions": {
        **dict.fromkeys(FULL_READERS, ALL),
        "agency_lead": {POLICE},
        "agency_lead_health": {HEALTH},
    },
    "learning-products": {role: ALL for role in (*FULL_READERS, "agency_lead")},
    "learning-events": {role: ALL for role in (*FULL_READERS, "agency_lead")},
    "assurance-records": {
        **dict.fromkeys(FULL_READERS, ALL),
        "agency_lead": {POLICE},
        "agency_lead_health": {HEALTH},
    },
    "escalations": {
        "business_unit": ALL,
        "agency_lead": {f"{POLICE}->{HEALTH}"},
        "agency_lead_health": {f"{POLICE}->{HEALTH}"},
    },
    "escalation-stages": {role: ALL for role in ("business_unit", "agency_lead")},
}
# The roles of a partnership (an analyst and a service administrator belong to none: below).
ROLES = [str(r) for r in Role if r not in (Role.ANALYST, Role.SERVICE_ADMIN)] + [
    "agency_lead_health"
]


def _expected(endpoint: str, role: str) -> Any:
    rules = SCOPES[endpoint]
    if role in rules:
        return rules[role]
    if role == "agency_lead_health" and rules.get("agency_lead") == ALL:
        return ALL
    return 403


def _kind(endpoint: str) -> str:
    return endpoint.replace("-", "_")


def _list_ids(client: ApiClient, endpoint: str) -> tuple[int, set[int]]:
    response = client.get(f"/api/v1/{endpoint}/", page_size=100)
    if response.status_code != 200:
        return response.status_code, set()
    body = response.json()
    assert body["count"] == len(body["results"]) <= 100
    return 200, {row["id"] for row in body["results"]}


@pytest.mark.parametrize("endpoint", list(SCOPES))
def test_each_role_sees_exactly_its_scope(
    endpoint: str, records: Records, other_records: Records
) -> None:
    kind = _kind(endpoint)
    ours = records.all_ids(kind)
    some_record = sorted(ours)[0]
    for role in ROLES:
        client = ApiClient(records.world.users[role])
        expected = _expected(endpoint, role)
        status, ids = _list_ids(client, endpoint)
        if expected == 403:
            assert status == 403, (endpoint, role)
            response = client.get(f"/api/v1/{endpoint}/{some_record}/")
            assert response.status_code == 403, (endpoint, role)
            assert response.json()["detail"], "a 403 gives its reason"
            continue
        wanted = ours if expected == ALL else records.ids(kind, *expected)
        assert (status, ids) == (200, wanted), (endpoint, role)
        # Every record out of scope, and a few in it (themes and agencies are many).
        for pk in (ours - wanted) | set(sorted(wanted)[:3]):
            response = client.get(f"/api/v1/{endpoint}/{pk}/")
            assert response.status_code == (200 if pk in wanted else 404), (endpoint, role, pk)
        for pk in sorted(other_records.all_ids(kind))[:2]:
            response = client.get(f"/api/v1/{endpoint}/{pk}/")
            assert response.status_code == 404, (endpoint, role, pk)

    # A user of another partnership, with the same role: their own records only, ours are 404s.
    outsider = ApiClient(other_records.world.users["business_unit"])
    status, ids = _list_ids(outsider, endpoint)
    assert (status, ids) == (200, other_records.all_ids(kind))
    for pk in sorted(ours)[:3]:
        assert outsider.get(f"/api/v1/{endpoint}/{pk}/").status_code == 404


@pytest.mark.parametrize("endpoint", list(SCOPES))
def test_nobody_signed_in_gets_401_with_a_reason(endpoint: str, records: Records) -> None:
    anonymous = ApiClient()
    pk = sorted(records.all_ids(_kind(endpoint)))[0]
    for path in (f"/api/v1/{endpoint}/", f"/api/v1/{endpoint}/{pk}/"):
        response = anonymous.get(path)
        assert response.status_code == 401
        assert response.json()["detail"]
        assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("role", [Role.ANALYST, Role.SERVICE_ADMIN])
def test_a_user_of_no_partnership_gets_403_everywhere(
    db: Any, records: Records, role: Role
) -> None:
    nobody = user_create(
        actor=None, partnership=None, username=str(role), password="x" * 16, role=role
    )
    client = ApiClient(nobody)
    for endpoint in SCOPES:
        assert client.get(f"/api/v1/{endpoint}/").status_code == 403, endpoint


def test_a_revoked_or_made_up_token_is_refused(records: Records) -> None:
    from safeguarding.api.services import api_tokens_revoke_all

    user = records.world.business_unit
    client = ApiClient(user)
    assert client.get("/api/v1/cases/").status_code == 200
    api_tokens_revoke_all(actor=None, user=user, reason="revoked in a test")
    assert client.get("/api/v1/cases/").status_code == 401
    client.headers = {"Authorization": "Token " + "0" * 40}
    assert client.get("/api/v1/cases/").status_code == 401


# Write endpoint -> the roles that may use it (an empty body then fails validation: 400).
WRITERS = {
    "cases": {"business_unit"},
    "incidents": {"business_unit"},
    "reviews": {"business_unit"},
    "findings": {"business_unit"},
    "escalations": {"business_unit", "agency_lead", "agency_lead_health"},
}


@pytest.mark.parametrize("endpoint", list(WRITERS))
def test_each_role_may_write_only_where_the_pages_let_it(endpoint: str, records: Records) -> None:
    assert ApiClient().post(f"/api/v1/{endpoint}/", {}).status_code == 401
    for role in ROLES:
        response = ApiClient(records.world.users[role]).post(f"/api/v1/{endpoint}/", {})
        expected = 400 if role in WRITERS[endpoint] else 403
        assert response.status_code == expected, (endpoint, role)
        assert response.json()["detail"]


def test_moving_an_action_on_is_for_the_business_unit_and_the_owner_agencys_lead(
    records: Records, other_records: Records
) -> None:
    police = records.by_kind["actions"][POLICE].pk
    health = records.by_kind["actions"][HEALTH].pk
    # 428 where the role may move the action on: a change needs the action's ETag in If-Match
    # (checked after the scope and the role, before the body).
    expected = {
        "business_unit": (428, 428),
        "agency_lead": (428, 404),
        "agency_lead_health": (404, 428),
        "rag_member": (403, 403),
        "scrutineer": (403, 403),
        "scrutiny_reader": (403, 403),
    }
    for role, statuses in expected.items():
        client = ApiClient(records.world.users[role])
        got = tuple(
            client.post(f"/api/v1/actions/{pk}/status/", {}).status_code for pk in (police, health)
        )
        assert got == statuses, role
    outsider = ApiClient(other_records.world.users["business_unit"])
    assert outsider.post(f"/api/v1/actions/{police}/status/", {}).status_code == 404
    assert ApiClient().post(f"/api/v1/actions/{police}/status/", {}).status_code == 401
