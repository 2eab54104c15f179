"""Builders for the retention tests: a case whose reviews are finished, with everything under it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from safeguarding.actionplans import services as action_services
from safeguarding.actionplans.models import Action, EvidenceItem
from safeguarding.learning.services import finding_create
from safeguarding.reviews import services as review_services
from safeguarding.reviews.models import Case, NotificationDecision, Review
from safeguarding.testing.factories import World, make_case

D = dt.date
COMPLETED_ON = D(2010, 5, 10)
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@dataclass
class ClosedCase:
    case: Case
    review: Review
    action: Action
    evidence: EvidenceItem


def make_closed_case(world: World, *, completed_on: dt.date = COMPLETED_ON) -> ClosedCase:
    """A case with identifying details, a completed review, a finding, and a completed action
    with a file as evidence. Its last activity is `completed_on`."""
    actor = world.business_unit
    case = make_case(world, incident_date=completed_on - dt.timedelta(days=200))
    review_services.case_identity_save(actor=actor, case=case, child_name="Fictional Name")
    review = review_services.review_create(
        actor=actor,
        partnership=world.partnership,
        kind="local_learning",
        title=f"Local learning review of {case.reference}",
        case=case,
        opened_on=completed_on - dt.timedelta(days=120),
        agencies=[world.police],
    )
    review_services.review_update(
        actor=actor, review=review, status="completed", completed_on=completed_on
    )
    finding = finding_create(
        actor=actor, review=review, kind="improvement", text="Professional curiosity was low."
    )
    action = action_services.action_create(
        actor=actor,
        partnership=world.partnership,
        title="Refresh the curiosity training",
        owner_agency=world.police,
        lead="Named lead",
        agreed_on=completed_on - dt.timedelta(days=100),
        due_on=completed_on - dt.timedelta(days=20),
        review=review,
        finding=finding,
    )
    evidence = action_services.evidence_add(
        actor=actor,
        action=action,
        kind="file",
        description="Training register",
        upload=SimpleUploadedFile("register.pdf", PDF, content_type="application/pdf"),
    )
    action_services.action_set_status(
        actor=actor, action=action, status="completed", on=completed_on - dt.timedelta(days=30)
    )
    return ClosedCase(case=case, review=review, action=action, evidence=evidence)


def make_unnotified_incident(world: World, *, la_aware_on: dt.date) -> Any:
    return review_services.incident_record(
        actor=world.business_unit,
        partnership=world.partnership,
        case=make_case(world),
        summary="A fictional incident decided as not to be notified.",
        la_aware_on=la_aware_on,
        decision=NotificationDecision.DO_NOT_NOTIFY,
        decision_rationale="Does not meet the criteria.",
        notified_on=None,
    )
