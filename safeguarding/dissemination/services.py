"""Writes for learning products, events, attendance, session plans and the assurance chain.
Each keeps history and writes its audit row in the same transaction.

The assurance chain's rules live here: only a stage from 1 to 5; one submission waiting at a
time; a stage that is not a step on from the accepted one needs a reason; only a waiting
submission can be accepted or returned, and a return says why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from safeguarding.accounts.models import Agency, Partnership
from safeguarding.core.history import save_and_record, snapshot
from safeguarding.dissemination.models import (
    AssuranceRecord,
    AssuranceSubmission,
    Attendance,
    AuditRecheck,
    EventStatus,
    LearningEvent,
    LearningProduct,
    SessionPlan,
    Stage,
    SubmissionSource,
    SubmissionStatus,
    sessions_needed,
)
from safeguarding.reviews.models import Review, ReviewKind


class DisseminationError(ValueError):
    """A change refused by the rules (the message says why, for the user)."""


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _same_partnership(partnership_id: int, objects: Iterable[Any], what: str) -> list[Any]:
    objects = list(objects)
    for obj in objects:
        if obj.partnership_id != partnership_id:
            raise DisseminationError(f"A {what} of another partnership cannot be used")
    return objects


@transaction.atomic
def product_save(
    *,
    actor: Any,
    partnership: Partnership,
    product: LearningProduct | None = None,
    reviews: Iterable[Review] = (),
    themes: Iterable[Any] = (),
    **fields: Any,
) -> LearningProduct:
    """Record a learning product, or change one, with the reviews and themes it carries."""
    reviews = _same_partnership(partnership.pk, reviews, "review")
    themes = _same_partnership(partnership.pk, themes, "theme")
    before = snapshot(product) if product else None
    if product is None:
        product = LearningProduct(partnership=partnership, created_by=_user(actor))
    for name, value in fields.items():
        setattr(product, name, value)
    save_and_record(
        product,
        actor=actor,
        summary=f"{'Recorded' if before is None else 'Changed'} learning product: {product.title}",
        before=before,
    )
    product.reviews.set(reviews)
    product.themes.set(themes)
    return product


@transaction.atomic
def event_save(
    *,
    actor: Any,
    product: LearningProduct,
    audience_agencies: Iterable[Agency],
    event: LearningEvent | None = None,
    **fields: Any,
) -> LearningEvent:
    agencies = _same_partnership(product.partnership_id, audience_agencies, "agency")
    if not agencies:
        raise DisseminationError("Select at least one agency in the audience")
    before = snapshot(event) if event else None
    if event is None:
        event = LearningEvent(product=product)
    for name, value in fields.items():
        setattr(event, name, value)
    if event.status != EventStatus.DELIVERED and event.pk and event.attendance.exists():
        raise DisseminationError("An event with attendance recorded must stay delivered")
    save_and_record(
        event,
        actor=actor,
        summary=f"{'Recorded' if before is None else 'Changed'} event: {event.title}",
        before=before,
    )
    event.audience_agencies.set(agencies)
    return event


@transaction.atomic
def attendance_set(
    *, actor: Any, event: LearningEvent, agency: Agency, attendees: int
) -> Attendance:
    """Record (or correct) how many of an agency's staff attended a delivered event."""
    if agency.partnership_id != event.product.partnership_id:
        raise DisseminationError("An agency of another partnership cannot be used")
    if event.status != EventStatus.DELIVERED:
        raise DisseminationError("Record the event as delivered before its attendance")
    if attendees < 0:
        raise DisseminationError("Attendance cannot be negative")
    row = Attendance.objects.filter(event=event, agency=agency).first()
    before = snapshot(row) if row else None
    if row is None:
        row = Attendance(event=event, agency=agency, attendees=attendees)
    row.attendees = attendees
    save_and_record(
        row,
        actor=actor,
        summary=f"Attendance at {event.title}: {attendees} from {agency}",
        before=before,
    )
    return row


@transaction.atomic
def session_plan_create(
    *,
    actor: Any,
    product: LearningProduct,
    agencies: Iterable[Agency],
    session_capacity: int,
    workforce_to_reach: int | None = None,
    note: str = "",
) -> SessionPlan:
    """Plan the sessions a product needs. The workforce to reach is the chosen agencies'
    workforce unless given; sessions needed = ceil(workforce / capacity)."""
    agencies = _same_partnership(product.partnership_id, agencies, "agency")
    if not agencies:
        raise DisseminationError("Select at least one agency")
    if session_capacity is None or session_capacity < 1:
        raise DisseminationError("Session capacity must be at least 1")
    if workforce_to_reach is None:
        workforce_to_reach = sum(a.workforce_size for a in agencies)
    sessions_needed(workforce_to_reach, session_capacity)  # refuses nonsense before saving
    plan = SessionPlan(
        product=product,
        workforce_to_reach=workforce_to_reach,
        session_capacity=session_capacity,
        note=note.strip(),
    )
    save_and_record(plan, actor=actor, summary=f"Planned sessions for {product.title}")
    plan.agencies.set(agencies)
    return plan


def workforce_of(agencies: Iterable[Agency]) -> int:
    return sum(a.workforce_size for a in agencies)


def reached(event_ids: Iterable[int]) -> int:
    total = Attendance.objects.filter(event_id__in=list(event_ids)).aggregate(n=Sum("attendees"))
    return int(total["n"] or 0)


# --- The assurance chain -----------------------------------------------------------------


@transaction.atomic
def assurance_request(
    *, actor: Any, product: LearningProduct, agencies: Iterable[Agency], on: dt.date
) -> list[AssuranceRecord]:
    """Ask agencies for assurance on a product. Agencies already asked are left as they are."""
    agencies = _same_partnership(product.partnership_id, agencies, "agency")
    if not agencies:
        raise DisseminationError("Select at least one agency")
    created = []
    for agency in agencies:
        if AssuranceRecord.objects.filter(product=product, agency=agency).exists():
            continue
        record = AssuranceRecord(
            partnership_id=product.partnership_id,
            product=product,
            agency=agency,
            requested_on=on,
            requested_by=_user(actor),
        )
        save_and_record(
            record, actor=actor, summary=f"Asked {agency} for assurance on {product.title}"
        )
        created.append(record)
    return created


def _check_stage(record: AssuranceRecord, stage: int, reason: str) -> None:
    if stage not in Stage.values or stage == Stage.NONE:
        raise DisseminationError("Select the stage reached")
    if stage <= record.stage and not reason.strip():
        raise DisseminationError(
            f"The stage accepted so far is {Stage(record.stage).label.lower()}: give the "
            "reason for going back or repeating a stage"
        )


@transaction.atomic
def assurance_submit(
    *,
    actor: Any,
    record: AssuranceRecord,
    stage: int,
    achieved_on: dt.date,
    evidence: str,
    evidence_url: str = "",
    reason: str = "",
    today: dt.date | None = None,
) -> AssuranceSubmission:
    """An agency lead's claim that their agency has reached a stage, with the evidence."""
    # Lock the record: two submissions at once must not both be waiting.
    AssuranceRecord.objects.select_for_update().filter(pk=record.pk).first()
    record.refresh_from_db()
    if record.submissions.filter(status=SubmissionStatus.SUBMITTED).exists():
        raise DisseminationError(
            "A submission is already waiting for the business unit: wait for its decision"
        )
    _check_stage(record, stage, reason)
    if achieved_on > (today or timezone.localdate()):
        raise DisseminationError("The date reached cannot be in the future")
    if not evidence.strip():
        raise DisseminationError("Enter the evidence")
    submission = AssuranceSubmission(
        record=record,
        stage=stage,
        achieved_on=achieved_on,
        evidence=evidence.strip(),
        evidence_url=evidence_url,
        reason=reason.strip(),
        submitted_by=_user(actor),
    )
    save_and_record(
        submission,
        actor=actor,
        summary=f"{record.agency} submitted '{Stage(stage).label}' for {record.product.title}",
    )
    return submission


def _move_record(actor: Any, record: AssuranceRecord, stage: int, on: dt.date, why: str) -> None:
    before = snapshot(record)
    record.stage = stage
    record.stage_on = on
    save_and_record(record, actor=actor, summary=why, before=before)


@transaction.atomic
def assurance_accept(
    *, actor: Any, submission: AssuranceSubmission, note: str = ""
) -> AssuranceSubmission:
    """The business unit accepts a waiting submission: the record moves to its stage."""
    submission = AssuranceSubmission.objects.select_for_update().get(pk=submission.pk)
    if submission.status != SubmissionStatus.SUBMITTED:
        raise DisseminationError("Only a submission waiting for a decision can be accepted")
    before = snapshot(submission)
    submission.status = SubmissionStatus.ACCEPTED
    submission.decided_by = _user(actor)
    submission.decided_at = timezone.now()
    submission.decision_note = note.strip()
    record = submission.record
    save_and_record(
        submission,
        actor=actor,
        summary=f"Accepted '{submission.get_stage_display()}' from {record.agency}",
        before=before,
    )
    _move_record(
        actor,
        record,
        submission.stage,
        submission.achieved_on,
        f"{record.product.title} in {record.agency}: {submission.get_stage_display()}",
    )
    return submission


@transaction.atomic
def assurance_return(
    *, actor: Any, submission: AssuranceSubmission, note: str
) -> AssuranceSubmission:
    """The business unit returns a submission, saying what is missing; the record stays."""
    submission = AssuranceSubmission.objects.select_for_update().get(pk=submission.pk)
    if submission.status != SubmissionStatus.SUBMITTED:
        raise DisseminationError("Only a submission waiting for a decision can be returned")
    if not note.strip():
        raise DisseminationError("Say why the submission is returned")
    before = snapshot(submission)
    submission.status = SubmissionStatus.RETURNED
    submission.decided_by = _user(actor)
    submission.decided_at = timezone.now()
    submission.decision_note = note.strip()
    save_and_record(
        submission,
        actor=actor,
        summary=f"Returned '{submission.get_stage_display()}' to {submission.record.agency}",
        before=before,
    )
    return submission


@transaction.atomic
def audit_recheck_link(*, actor: Any, audit: Review, product: LearningProduct) -> AuditRecheck:
    """Link a multi-agency audit to the learning it re-checks."""
    if audit.kind != ReviewKind.AUDIT:
        raise DisseminationError("Only a multi-agency audit can re-check learning")
    if audit.partnership_id != product.partnership_id:
        raise DisseminationError("The audit belongs to another partnership")
    existing = AuditRecheck.objects.filter(audit=audit, product=product).first()
    if existing:
        return existing
    link = AuditRecheck(audit=audit, product=product)
    save_and_record(link, actor=actor, summary=f"{audit.title} re-checks {product.title}")
    return link


@transaction.atomic
def audit_result_record(
    *,
    actor: Any,
    audit: Review,
    product: LearningProduct,
    agency: Agency,
    stage: int,
    on: dt.date,
    finding: str,
    reason: str = "",
) -> AssuranceSubmission:
    """Record what a re-audit found for one agency: the chain moves to the stage the audit
    showed (on or back), accepted at once because the partnership's own audit found it."""
    audit_recheck_link(actor=actor, audit=audit, product=product)
    if agency.partnership_id != product.partnership_id:
        raise DisseminationError("An agency of another partnership cannot be used")
    record = AssuranceRecord.objects.filter(product=product, agency=agency).first()
    if record is None:
        record = assurance_request(actor=actor, product=product, agencies=[agency], on=on)[0]
    _check_stage(record, stage, reason)
    if not finding.strip():
        raise DisseminationError("Enter what the audit found")
    submission = AssuranceSubmission(
        record=record,
        stage=stage,
        achieved_on=on,
        evidence=finding.strip(),
        reason=reason.strip(),
        source=SubmissionSource.AUDIT,
        audit=audit,
        status=SubmissionStatus.ACCEPTED,
        submitted_by=_user(actor),
        decided_by=_user(actor),
        decided_at=timezone.now(),
        decision_note=f"Result of {audit.title}",
    )
    save_and_record(
        submission,
        actor=actor,
        summary=f"{audit.title}: {agency} at '{Stage(stage).label}' for {product.title}",
    )
    _move_record(
        actor,
        record,
        stage,
        on,
        f"{product.title} in {agency}: re-audit found {Stage(stage).label}",
    )
    return submission
