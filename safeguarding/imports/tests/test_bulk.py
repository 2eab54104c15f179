"""The bulk write paths leave exactly what the row-by-row paths leave.

Each test imports one file into two partnerships that hold the same agencies, themes, cases and
reviews: in bulk into one, row by row (through the pages' services) into the other, then
compares the records, their history rows (many-to-many history included), their clocks and
their audit rows, with primary keys replaced by what they point at and timestamps left out.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from typing import Any

import pytest
from django.apps import apps
from django.db import models

from safeguarding.accounts.models import Agency
from safeguarding.actionplans.models import Action, EvidenceItem
from safeguarding.audit.models import AuditEvent
from safeguarding.core.models import Clock, ClockRule
from safeguarding.imports import services
from safeguarding.imports.services import records_import
from safeguarding.learning.models import Finding, FindingTheme, Theme, ThemeRevision
from safeguarding.reviews.models import Case, Review
from safeguarding.reviews.services import review_create
from safeguarding.testing.factories import make_case

from .helpers import csv_file

pytestmark = pytest.mark.django_db

CASES = [
    [
        "Child A",
        "3",
        "Female",
        "White",
        "No",
        "Seriously harmed",
        "Neglect",
        "2024-01-15",
        "Police; Schools",
    ],
    ["Child B", "", "", "", "", "Died", "", "", ""],
    ["Child C", "14", "Male", "Not known", "Yes", "Other", "Sexual abuse", "02/03/2023", "Police"],
]
REVIEWS = [
    # Type, Title, Opened, Case, Status, Completed, Agencies, Decision, Decision date, Panel,
    # Commissioned, Author, Published
    [
        "Rapid review",
        "Rapid review: Child K",
        "2024-02-01",
        "Child K",
        "",
        "",
        "Police; Schools",
        "No further review",
        "2024-02-10",
        "2024-02-12",
        "",
        "",
        "",
    ],
    ["Rapid review", "Rapid review: open", "2024-03-01", "", "", "", "", "", "", "", "", "", ""],
    [
        "Child safeguarding practice review",
        "CSPR: Child K",
        "2024-03-05",
        "Child K",
        "In progress",
        "",
        "Police",
        "",
        "",
        "",
        "2024-03-05",
        "Independent reviewer",
        "",
    ],
    [
        "Local learning review",
        "LLR: neglect",
        "2023-06-01",
        "",
        "Completed",
        "2023-11-30",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
    [
        "Multi-agency audit",
        "Audit: strategy meetings",
        "2024-01-10",
        "",
        "",
        "",
        "Schools",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
]
FINDINGS = [
    [
        "Held review",
        "2024-01-10",
        "Good practice",
        "Shared the plan.",
        "Professional curiosity",
        "Police; Schools",
        "The passage.",
    ],
    ["Held review", "2024-01-10", "Area for improvement", "Missed the referral.", "", "", ""],
    [
        "Held review",
        "2024-01-10",
        "Area for improvement",
        "Escalation unclear.",
        "Professional curiosity; Escalation",
        "",
        "",
    ],
    ["Held review", "2024-01-10", "Good practice", "Good supervision.", "", "Police", ""],
]
ACTIONS = [
    # Title, Owner, Lead, Agreed, Due, Status, Completed, Evidence, Description, Review title,
    # Review opened, Theme
    ["Not started", "Police", "Lead", "2024-02-01", "2024-05-01", "", "", "", "", "", "", ""],
    [
        "Under way",
        "Schools",
        "Head",
        "2024-02-01",
        "2024-05-01",
        "In progress",
        "",
        "",
        "Detail",
        "Held review",
        "2024-01-10",
        "",
    ],
    [
        "Noted early",
        "Police",
        "Lead",
        "2024-02-01",
        "2024-05-01",
        "Not started",
        "",
        "A note of evidence",
        "",
        "",
        "",
        "Escalation",
    ],
    [
        "Noted",
        "Police",
        "Lead",
        "2024-02-01",
        "2024-05-01",
        "In progress",
        "",
        "Minutes",
        "",
        "",
        "",
        "",
    ],
    [
        "Done",
        "Schools",
        "Trainer",
        "2024-02-01",
        "2024-04-01",
        "Completed",
        "2024-03-20",
        "Attendance list",
        "",
        "Held review",
        "2024-01-10",
        "Professional curiosity",
    ],
]
FILES = {"cases": CASES, "reviews": REVIEWS, "findings": FINDINGS, "actions": ACTIONS}

# What an import writes, per record type: the records and every table of their history.
WRITTEN: dict[str, list[type[models.Model]]] = {
    "cases": [Case],
    "reviews": [Review, Clock],
    "findings": [Finding, FindingTheme],
    "actions": [Action, EvidenceItem, Clock],
}
LEFT_OUT = {
    "id",
    "history_id",
    "m2m_history_id",
    "history_date",
    "at",
    "created_at",
    "tagged_at",
    "added_at",
    "subject_id",
    "ip_address",
    "partnership_id",
    "history_change_reason",
    "object_id",
}


def _prepare(world: Any) -> None:
    """What each file links to, the same in both partnerships."""
    make_case(world, reference="Child K")
    review_create(
        actor=world.business_unit,
        partnership=world.partnership,
        kind="local_learning",
        title="Held review",
        opened_on=dt.date(2024, 1, 10),
    )


def _labels() -> dict[str, dict[Any, str]]:
    """Primary keys to what they name, for both partnerships at once."""
    themes = {t.pk: t.name for t in Theme.objects.all()}
    agencies = dict(Agency.objects.values_list("pk", "name"))
    return {
        "agency_id": agencies,
        "owner_agency_id": agencies,
        "review_id": dict(Review.objects.values_list("pk", "title")),
        "case_id": dict(Case.objects.values_list("pk", "reference")),
        "theme_id": themes,
        "counts_as_id": themes,
        "finding_id": dict(Finding.objects.values_list("pk", "text")),
        "action_id": dict(Action.objects.values_list("pk", "title")),
        "rule_id": dict(ClockRule.objects.values_list("pk", "key")),
        "revision_id": {r.pk: r.theme.name for r in ThemeRevision.objects.select_related("theme")},
    }


def _plain(values: Mapping[str, Any], labels: dict[str, dict[Any, str]]) -> tuple[Any, ...]:
    out = []
    for name, value in sorted(values.items()):
        if name in LEFT_OUT:
            continue
        if name in ("history_user_id", "created_by_id", "added_by_id", "actor_id"):
            value = value is not None
        elif name in labels and value is not None:
            value = labels[name].get(int(value), value)
        elif isinstance(value, dict):
            value = repr(sorted((k, repr(v)) for k, v in _changes(value, labels).items()))
        out.append((name, value))
    return tuple(out)


def _changes(changes: dict[str, Any], labels: dict[str, dict[Any, str]]) -> dict[str, Any]:
    out = {}
    for name, (before, after) in changes.items():
        if name in LEFT_OUT:
            continue
        if name in ("created_by_id", "added_by_id"):
            before, after = before is not None, after is not None
        elif name in labels:
            before = labels[name].get(before, before) if before is not None else None
            after = labels[name].get(int(after), after) if after is not None else None
        out[name] = [before, after]
    return out


def _state(partnership: Any, kind: str, since: int = 0) -> dict[str, Counter]:
    labels = _labels()
    state: dict[str, Counter] = {}
    for model in WRITTEN[kind]:
        if model is FindingTheme:
            mine = models.Q(finding__partnership=partnership)
        elif model is EvidenceItem:
            mine = models.Q(action__partnership=partnership)
        else:
            mine = models.Q(partnership=partnership)
        rows = model._default_manager.filter(mine)
        state[model.__name__] = Counter(_plain(r, labels) for r in rows.values())
        history = getattr(model, "history", None)
        if history is None:
            continue
        ids = list(rows.values_list("pk", flat=True))
        historical = history.model
        state[historical.__name__] = Counter(
            _plain(r, labels) for r in historical.objects.filter(id__in=ids).values()
        )
        for m2m in model._meta.many_to_many:
            try:
                table = apps.get_model(
                    model._meta.app_label, f"Historical{model.__name__}_{m2m.name}"
                )
            except LookupError:
                continue
            state[table.__name__] = Counter(
                _plain(r, labels) for r in table.objects.filter(history__id__in=ids).values()
            )
    state["AuditEvent"] = Counter(
        _plain(r, labels)
        for r in AuditEvent.objects.filter(partnership=partnership, pk__gt=since)
        .exclude(summary__startswith="Imported ")
        .values()
    )
    return state


@pytest.mark.parametrize("kind", ["cases", "reviews", "findings", "actions"])
def test_bulk_and_row_by_row_imports_leave_the_same_records_history_and_audit(
    world, other_world, kind
):
    data = csv_file(FILES[kind], kind=kind)
    before = {}
    for place in (world, other_world):
        _prepare(place)
        before[place.partnership.pk] = _state(place.partnership, kind)
    since = AuditEvent.objects.order_by("pk").last().pk
    reports = [
        records_import(
            actor=place.business_unit,
            partnership=place.partnership,
            record_type=kind,
            data=data,
            file_name=f"{kind}.csv",
            bulk=bulk,
        )
        for place, bulk in ((world, True), (other_world, False))
    ]
    assert [r.errors for r in reports] == [[], []]
    assert [r.written for r in reports] == [len(FILES[kind])] * 2
    bulk_state, row_state = (_state(p.partnership, kind, since) for p in (world, other_world))
    for name in bulk_state:
        assert bulk_state[name] - row_state[name] == row_state[name] - bulk_state[name], name
    # Something was compared: every table gained rows.
    for name, rows in bulk_state.items():
        had = sum(before[world.partnership.pk][name].values()) if name != "AuditEvent" else 0
        assert sum(rows.values()) > had, name


@pytest.mark.parametrize("kind", ["cases", "reviews", "findings", "actions"])
def test_a_bulk_import_again_finds_every_row_already_present(world, kind):
    _prepare(world)
    data = csv_file(FILES[kind], kind=kind)
    first = records_import(
        actor=world.business_unit, partnership=world.partnership, record_type=kind, data=data
    )
    assert first.ok and first.written == len(FILES[kind])
    counts = {m: m.objects.count() for m in WRITTEN[kind]}
    again = records_import(
        actor=world.business_unit, partnership=world.partnership, record_type=kind, data=data
    )
    assert again.ok and again.written == 0
    assert again.already_present == list(range(2, len(FILES[kind]) + 2))
    assert {m: m.objects.count() for m in WRITTEN[kind]} == counts


def test_a_refusal_in_a_later_bulk_step_undoes_the_steps_already_written(world, monkeypatch):
    """The validator passes a theme in use; the findings service refuses one with no revision
    to tag with. Written one row per step, the two rows before it are undone too."""
    _prepare(world)
    Theme.objects.create(partnership=world.partnership, name="Unrevised", definition="No revision")
    monkeypatch.setattr(services, "WRITE_CHUNK", 1)
    rows = [list(r) for r in FINDINGS[:3]]
    rows[2][4] = "Unrevised"
    before = (Finding.objects.count(), AuditEvent.objects.count())
    report = records_import(
        actor=world.business_unit,
        partnership=world.partnership,
        record_type="findings",
        data=csv_file(rows, kind="findings"),
    )
    assert [(e.row, e.reason) for e in report.errors] == [
        (4, "Unrevised has no revision to tag with")
    ]
    assert report.written == 0
    assert (Finding.objects.count(), AuditEvent.objects.count()) == before
