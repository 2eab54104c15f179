"""Writing validated rows through each app's own services, so every imported record gets its
history row, its audit row and its clocks exactly as if it had been typed in: in bulk
(`BULK_WRITERS`, the `*_create_many` services) or row by row (`WRITERS`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from safeguarding.accounts.models import Partnership
from safeguarding.actionplans import services as action_services
from safeguarding.actionplans.clocks import action_rule_for
from safeguarding.actionplans.models import ActionStatus, EvidenceKind
from safeguarding.imports.schema import RecordType
from safeguarding.learning import services as learning_services
from safeguarding.reviews import services as review_services
from safeguarding.reviews.forms import CASE_FIELDS

# The case form's fields; the agencies involved are set apart, as a many-to-many.
_CASE_FIELDS = tuple(name for name in CASE_FIELDS if name != "agencies_involved")
_REVIEW_FIELDS = (
    "kind",
    "title",
    "opened_on",
    "case",
    "status",
    "completed_on",
    "decision",
    "decision_on",
    "sent_to_panel_on",
    "commissioned_on",
    "author",
    "published_on",
)
_BLANK_TEXT = {"decision", "author"}


def _fields(values: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    fields = {name: values.get(name) for name in names if name in values}
    for name in _BLANK_TEXT:
        if name in fields and fields[name] is None:
            fields[name] = ""
    return fields


def write_case(*, actor: Any, partnership: Partnership, values: dict[str, Any]) -> Any:
    return review_services.case_create(
        actor=actor,
        partnership=partnership,
        agencies=values.get("agencies") or [],
        **_fields(values, _CASE_FIELDS),
    )


def write_review(*, actor: Any, partnership: Partnership, values: dict[str, Any]) -> Any:
    return review_services.review_create(
        actor=actor,
        partnership=partnership,
        agencies=values.get("agencies") or [],
        **_fields(values, _REVIEW_FIELDS),
    )


def write_finding(*, actor: Any, partnership: Partnership, values: dict[str, Any]) -> Any:
    return learning_services.finding_create(
        actor=actor,
        review=values["review"],
        kind=values["kind"],
        text=values["text"],
        themes=values.get("themes") or [],
        agencies=values.get("agencies") or [],
        source_passage=values.get("source_passage") or "",
    )


def write_action(*, actor: Any, partnership: Partnership, values: dict[str, Any]) -> Any:
    action = action_services.action_create(
        actor=actor,
        partnership=partnership,
        title=values["title"],
        owner_agency=values["owner_agency"],
        lead=values["lead"],
        agreed_on=values["agreed_on"],
        due_on=values["due_on"],
        description=values.get("description") or "",
        review=values.get("review"),
        theme=values.get("theme"),
    )
    status = values.get("status") or ActionStatus.NOT_STARTED
    if values.get("evidence"):
        action_services.evidence_add(
            actor=actor, action=action, kind=EvidenceKind.NOTE, description=values["evidence"]
        )
    if status == ActionStatus.COMPLETED:
        action_services.action_set_status(
            actor=actor, action=action, status=status, on=values["completed_on"]
        )
    elif status != action.status:
        action_services.action_set_status(
            actor=actor, action=action, status=status, on=values["agreed_on"]
        )
    return action


def write_cases(*, actor: Any, partnership: Partnership, rows: list[dict[str, Any]]) -> None:
    review_services.cases_create_many(
        actor=actor,
        partnership=partnership,
        cases=[(_fields(values, _CASE_FIELDS), values.get("agencies") or []) for values in rows],
    )


def write_reviews(*, actor: Any, partnership: Partnership, rows: list[dict[str, Any]]) -> None:
    review_services.reviews_create_many(
        actor=actor,
        partnership=partnership,
        reviews=[
            (_fields(values, _REVIEW_FIELDS), values.get("agencies") or []) for values in rows
        ],
    )


def write_findings(*, actor: Any, partnership: Partnership, rows: list[dict[str, Any]]) -> None:
    learning_services.findings_create_bulk(
        actor=actor,
        findings=[
            (
                values["review"],
                learning_services.FindingInput(
                    kind=values["kind"],
                    text=values["text"],
                    themes=values.get("themes") or [],
                    agencies=values.get("agencies") or [],
                    source_passage=values.get("source_passage") or "",
                ),
            )
            for values in rows
        ],
    )


_ACTION_KEYS = (
    "title",
    "owner_agency",
    "lead",
    "agreed_on",
    "due_on",
    "description",
    "review",
    "theme",
    "status",
    "completed_on",
    "evidence",
)


def write_actions(*, actor: Any, partnership: Partnership, rows: list[dict[str, Any]]) -> None:
    action_services.actions_create_many(
        actor=actor,
        partnership=partnership,
        actions=[{k: values.get(k) for k in _ACTION_KEYS} for values in rows],
    )


# Many rows at once, in bulk statements that leave the same records, history, audit rows and
# clocks as the row-by-row writers below (the tests import one file both ways and compare).
BULK_WRITERS: dict[str, Callable[..., Any]] = {
    RecordType.CASES: write_cases,
    RecordType.REVIEWS: write_reviews,
    RecordType.FINDINGS: write_findings,
    RecordType.ACTIONS: write_actions,
}

# One row at a time, through the same services as the pages.
WRITERS: dict[str, Callable[..., Any]] = {
    RecordType.CASES: write_case,
    RecordType.REVIEWS: write_review,
    RecordType.FINDINGS: write_finding,
    RecordType.ACTIONS: write_action,
}


def prepare(kind: str, partnership: Partnership) -> None:
    """Create what the writes rely on once, not per row (the action clock rule)."""
    if kind == RecordType.ACTIONS:
        action_rule_for(partnership)
