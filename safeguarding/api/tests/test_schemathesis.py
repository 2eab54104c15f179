"""Schemathesis against the served OpenAPI schema, with every check, as several users: the
business unit, an agency lead, the independent scrutineer and an outsider (another
partnership's business unit). The schema is loaded from /api/schema/ through the WSGI app, in
this process, so the requests see the test database."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import SchemathesisConfig
from schemathesis.generation import GenerationMode

from safeguarding.api.tests.conftest import token_for
from safeguarding.api.tests.data import Records
from safeguarding.security.policy import API

EXAMPLES = 10
# Valid JSON can still break a rule the schema cannot state: the id of a record the user may
# not use, dates in the wrong order, a stage that is not a step on. Writes answer those with a
# 400 and the reason (docs/API.md, "Schemathesis"), so for writes positive_data_acceptance also
# expects 400. Likewise a change to a record needs the record's current ETag in If-Match: the
# schema can state its form but not which version is current, so a well-formed but old ETag is
# answered 412 (and `_send_current_version` sends the current one on every other request, so
# that the change itself is exercised too).
WRITE_STATUSES = ["2xx", "400", "401", "403", "404", "409", "412"]

CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 20261127,
        "generation": {"mode": "all", "max-examples": EXAMPLES},
        "checks": {"enabled": True},
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": True},
            "fuzzing": {"enabled": True},
        },
        "operations": [
            {
                "include-method": "POST",
                "checks": {"positive_data_acceptance": {"expected-statuses": WRITE_STATUSES}},
            }
        ],
    }
)

load_all_checks()
ALL_CHECKS = CHECKS.get_all()
SENT: Counter[tuple[str, str]] = Counter()
CHANGES: Counter[str] = Counter()

USERS = {
    "business_unit": lambda r, o: r.world.users["business_unit"],
    "agency_lead": lambda r, o: r.world.users["agency_lead"],
    "scrutineer": lambda r, o: r.world.users["scrutineer"],
    "outsider": lambda r, o: o.world.users["business_unit"],
}


@pytest.fixture
def api_schema(records: Records) -> Iterator[Any]:
    # Django's WSGI handler closes the database connection after each request, which would end
    # the test's transaction on PostgreSQL; the test client stops that the same way.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", WSGIHandler(), config=CONFIG)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request: Any) -> None:
    # schemathesis 4.32's lazy schemas read `node._nodeid`, which pytest 9 no longer has.
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


@pytest.fixture
def next_user(records: Records, other_records: Records) -> Iterator[tuple[str, dict[str, str]]]:
    """The users in turn, one per generated request, so that every operation meets each of
    them within its examples (and the run stays within minutes on two cores)."""
    return itertools.cycle(
        (name, {"Authorization": f"Token {token_for(user(records, other_records))}"})
        for name, user in USERS.items()
    )


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(
    case: Any, next_user: Iterator[tuple[str, dict[str, str]]]
) -> None:
    name, headers = next(next_user)
    SENT[(case.operation.label, name)] += 1
    _send_current_version(case, headers)
    case.call_and_validate(headers=headers, checks=ALL_CHECKS)


def _send_current_version(case: Any, headers: dict[str, str]) -> None:
    """On every other positive request that changes a record, If-Match is the record's current
    ETag, read as the same user (a random one is only ever an old version: 412)."""
    meta = case.meta
    if "If-Match" not in (case.headers or {}) or meta is None:
        return
    if meta.generation.mode != GenerationMode.POSITIVE:
        return
    CHANGES[case.operation.label] += 1
    if CHANGES[case.operation.label] % 2:
        return
    record = case.path.split("{id}")[0] + f"{case.path_parameters.get('id')}/"
    response = Client().get(record, headers=headers)
    # The test client connects close_old_connections again when it is done; schemathesis's own
    # WSGI calls that follow must not close the test's connection (see `api_schema`).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    if response.status_code == 200:
        case.headers["If-Match"] = response["ETag"]


def test_every_operation_was_exercised_as_every_user() -> None:
    # Runs after the test above (pytest keeps file order): proves the run was not empty.
    # Every operation the declared policy lists (the access matrix checks that list against
    # the served schema), not "at least 29 of 30": one left out would go unnoticed.
    operations = {label for label, _ in SENT}
    assert operations == set(API), sorted(set(API) ^ operations)
    per_operation = Counter(label for label, _ in SENT.elements())
    assert min(per_operation.values()) >= EXAMPLES, per_operation
    assert {user for _, user in SENT} == set(USERS)
    print(f"\nschemathesis: {len(operations)} operations, {sum(SENT.values())} requests")
