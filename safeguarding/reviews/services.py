"""Every write to incidents, cases and reviews. Each keeps history and writes an audit row in
the same transaction, and brings the statutory clocks up to date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from safeguarding.audit.models import AuditAction
from safeguarding.audit.services import audit_record
from safeguarding.core.clocks import Pause, clock_sync
from safeguarding.core.history import save_and_record, snapshot
from safeguarding.core.models import ClockKey, ClockRule, StartEvent
from safeguarding.reviews import timeline
from safeguarding.reviews.dates import Dates
from safeguarding.reviews.models import (
    Case,
    CaseIdentity,
    Incident,
    NotificationDecision,
    RapidReviewDecision,
    Review,
    ReviewKind,
    ReviewPause,
    ReviewSignoff,
)


def _rule(partnership: Any, key: str) -> ClockRule | None:
    return ClockRule.objects.filter(partnership=partnership, key=key).first()


def clocks_sync_incident(*, incident: Incident) -> None:
    """The 5-working-day notification clock, stopped by the notification (or a decision not to)."""
    rule = _rule(incident.partnership, ClockKey.NOTIFICATION)
    if rule is None:
        return
    if incident.decision == NotificationDecision.DO_NOT_NOTIFY:
        # Nothing to notify: the clock does not apply.
        clock_sync(rule=rule, subject=incident, label="", starts_on=None, stopped_on=None)
        return
    clock_sync(
        rule=rule,
        subject=incident,
        label=f"Notification for {incident.case.reference}",
        starts_on=incident.la_aware_on,
        stopped_on=incident.notified_on,
    )


def _review_start(review: Review, rule: ClockRule) -> dt.date | None:
    incident = review.incident
    if rule.start_event == StartEvent.LA_AWARE:
        return incident.la_aware_on if incident else review.opened_on
    if rule.start_event == StartEvent.NOTIFICATION_SENT:
        return incident.notified_on if incident else None
    if rule.start_event == StartEvent.COMMISSIONED:
        return review.commissioned_on
    return review.opened_on


_CLOCK_FOR_KIND = {
    ReviewKind.RAPID_REVIEW: ClockKey.RAPID_REVIEW,
    ReviewKind.CSPR: ClockKey.CSPR,
    ReviewKind.LOCAL_LEARNING: ClockKey.LOCAL_REVIEW,
}


def clocks_sync_review(*, review: Review) -> None:
    key = _CLOCK_FOR_KIND.get(ReviewKind(review.kind))
    rule = _rule(review.partnership, key) if key else None
    if rule is None:
        return
    # A rapid review is done when it goes to the Panel; other reviews when completed.
    stopped = review.sent_to_panel_on if review.is_rapid_review else review.completed_on
    pauses = [Pause(p.starts_on, p.ends_on, p.reason) for p in review.pauses.all()]
    clock_sync(
        rule=rule,
        subject=review,
        label=review.title,
        starts_on=_review_start(review, rule),
        stopped_on=stopped,
        pauses=pauses,
    )


def clocks_sync_partnership(*, partnership: Any) -> int:
    """Recompute every clock of a partnership, after a rule or closure day changes."""
    count = 0
    for incident in Incident.objects.filter(partnership=partnership).select_related("case"):
        clocks_sync_incident(incident=incident)
        count += 1
    for review in Review.objects.filter(partnership=partnership).select_related("incident"):
        clocks_sync_review(review=review)
        count += 1
    return count


@transaction.atomic
def case_create(*, actor: Any, partnership: Any, agencies: Any = (), **fields: Any) -> Case:
    """Record a case; refused (ValidationError) with an incident date in the future."""
    case = Case(partnership=partnership, **fields)
    timeline.refuse_impossible_dates(before=[], after=timeline.case_timelines(case), changed=fields)
    save_and_record(case, actor=actor, summary=f"Recorded case {case.reference}")
    case.agencies_involved.set(agencies)
    return case


@transaction.atomic
def cases_create_many(
    *, actor: Any, partnership: Any, cases: list[tuple[dict[str, Any], list[Any]]]
) -> list[Case]:
    """Record many cases at once (a spreadsheet import): each `(fields, agencies)` becomes a
    case with the same history rows (a "+" row, then a "~" row holding its agencies when it has
    any) and audit row that `case_create` writes, in bulk statements instead of several per
    case. The caller has checked that no reference is taken."""
    from safeguarding.core import bulk

    user = bulk.user_of(actor)
    objs = [Case(partnership=partnership, **fields) for fields, _ in cases]
    timeline.refuse_impossible_dates(
        before=[], after=[Dates(incident_date=c.incident_date) for c in objs], changed=()
    )
    # The partnership is the caller's own: no query per case to check it exists.
    bulk.clean_each(objs)
    Case.objects.bulk_create(objs, batch_size=bulk.BATCH)
    bulk.history_create(Case, objs, user=user)
    pairs = [(case, agencies) for case, (_, agencies) in zip(objs, cases, strict=True)]
    links = bulk.links_create(Case, "agencies_involved", pairs)
    changed = [case for case, agencies in pairs if agencies]
    bulk.history_create(Case, changed, user=user, update=True)
    bulk.m2m_history_create(Case, "agencies_involved", changed, links)
    audit = bulk.AuditRows(actor)
    for case in objs:
        audit.created(case, f"Recorded case {case.reference}")
    audit.write()
    return objs


@transaction.atomic
def case_update(*, actor: Any, case: Case, agencies: Any = None, **fields: Any) -> Case:
    """Change a case; refused (ValidationError) if its incident date would then be in the
    future or after a date of its incidents or reviews."""
    before = snapshot(case)
    dates_before = timeline.case_timelines(timeline.stored(case))
    for name, value in fields.items():
        setattr(case, name, value)
    timeline.refuse_impossible_dates(
        before=dates_before, after=timeline.case_timelines(case), changed=fields
    )
    save_and_record(case, actor=actor, summary=f"Changed case {case.reference}", before=before)
    if agencies is not None:
        case.agencies_involved.set(agencies)
    return case


def _open_rapid_review(*, actor: Any, incident: Incident) -> Review:
    review = Review(
        partnership=incident.partnership,
        kind=ReviewKind.RAPID_REVIEW,
        title=f"Rapid review: {incident.case.reference}",
        case=incident.case,
        incident=incident,
        opened_on=incident.notified_on or incident.la_aware_on,
        created_by=actor,
    )
    save_and_record(review, actor=actor, summary=f"Opened {review.title}")
    review.agencies.set(incident.case.agencies_involved.all())
    clocks_sync_review(review=review)
    return review


@transaction.atomic
def incident_record(
    *,
    actor: Any,
    partnership: Any,
    case: Case,
    summary: str,
    la_aware_on: dt.date,
    decision: str = NotificationDecision.PENDING,
    decision_rationale: str = "",
    notified_on: dt.date | None = None,
) -> Incident:
    """Record an incident considered for notification; a decision to notify opens its rapid
    review, whose clock then shows on the dashboard. Refused (ValidationError) unless the
    incident happened on or before the local authority became aware, and that on or before the
    notification, none of them in the future."""
    incident = Incident(
        partnership=partnership,
        case=case,
        summary=summary,
        la_aware_on=la_aware_on,
        decision=decision,
        decision_rationale=decision_rationale,
        notified_on=notified_on,
    )
    timeline.refuse_impossible_dates(
        before=[],
        after=timeline.incident_timelines(incident),
        changed=("la_aware_on", "notified_on"),
    )
    save_and_record(incident, actor=actor, summary=f"Recorded incident for {case.reference}")
    clocks_sync_incident(incident=incident)
    if decision == NotificationDecision.NOTIFY:
        _open_rapid_review(actor=actor, incident=incident)
    return incident


@transaction.atomic
def incident_update(*, actor: Any, incident: Incident, **fields: Any) -> Incident:
    """Change an incident; refused (ValidationError) if a date would become impossible, its
    reviews' dates included."""
    before = snapshot(incident)
    dates_before = timeline.incident_timelines(timeline.stored(incident))
    for name, value in fields.items():
        setattr(incident, name, value)
    timeline.refuse_impossible_dates(
        before=dates_before, after=timeline.incident_timelines(incident), changed=fields
    )
    save_and_record(incident, actor=actor, summary=f"Changed {incident}", before=before)
    clocks_sync_incident(incident=incident)
    rapid_reviews = incident.reviews.filter(kind=ReviewKind.RAPID_REVIEW)
    if incident.decision == NotificationDecision.NOTIFY and not rapid_reviews.exists():
        _open_rapid_review(actor=actor, incident=incident)
    for review in rapid_reviews:
        clocks_sync_review(review=review)
    return incident


@transaction.atomic
def review_create(*, actor: Any, partnership: Any, agencies: Any = (), **fields: Any) -> Review:
    """Open a review; refused (ValidationError) if one of its dates is impossible (in the
    future, before its case's incident, completed before it opened, ...)."""
    review = Review(partnership=partnership, created_by=actor, **fields)
    timeline.refuse_impossible_dates(
        before=[], after=timeline.review_timelines(review), changed=fields
    )
    save_and_record(review, actor=actor, summary=f"Opened {review.title}")
    review.agencies.set(agencies)
    clocks_sync_review(review=review)
    return review


@transaction.atomic
def reviews_create_many(
    *, actor: Any, partnership: Any, reviews: list[tuple[dict[str, Any], list[Any]]]
) -> list[Review]:
    """Open many reviews at once (a spreadsheet import): each `(fields, agencies)` gets the rows
    `review_create` leaves (a "+" history row, a "~" row holding its agencies when it has any,
    the audit row and its clock), in bulk statements. The caller has checked the rows."""
    from safeguarding.core import bulk

    user = bulk.user_of(actor)
    objs = [Review(partnership=partnership, created_by=actor, **fields) for fields, _ in reviews]
    timeline.refuse_impossible_dates(
        before=[],
        after=[timeline.review_dates(r, signoffs=(), pauses=()) for r in objs],
        changed=(),
    )
    bulk.clean_each(objs)
    Review.objects.bulk_create(objs, batch_size=bulk.BATCH)
    bulk.history_create(Review, objs, user=user)
    pairs = [(review, agencies) for review, (_, agencies) in zip(objs, reviews, strict=True)]
    links = bulk.links_create(Review, "agencies", pairs)
    changed = [review for review, agencies in pairs if agencies]
    bulk.history_create(Review, changed, user=user, update=True)
    bulk.m2m_history_create(Review, "agencies", changed, links)
    audit = bulk.AuditRows(actor)
    for review in objs:
        audit.created(review, f"Opened {review.title}")
    audit.write()
    _review_clocks_create(partnership, objs)
    return objs


def _review_clocks_create(partnership: Any, reviews: list[Review]) -> None:
    """The clocks `clocks_sync_review` stores for new reviews (no pauses yet), in one insert."""
    from django.contrib.contenttypes.models import ContentType

    from safeguarding.core.clocks import calendar_for, due_date
    from safeguarding.core.models import Clock

    rules = {
        r.key: r
        for r in ClockRule.objects.filter(partnership=partnership, key__in=_CLOCK_FOR_KIND.values())
    }
    subject_type = ContentType.objects.get_for_model(Review)
    calendar = calendar_for(partnership)
    clocks = []
    for review in reviews:
        key = _CLOCK_FOR_KIND.get(ReviewKind(review.kind))
        rule = rules.get(key) if key else None
        starts_on = _review_start(review, rule) if rule else None
        if rule is None or starts_on is None:
            continue
        stopped = review.sent_to_panel_on if review.is_rapid_review else review.completed_on
        due_on = due_date(rule=rule, starts_on=starts_on, paused_days=0, calendar=calendar)
        clocks.append(
            Clock(
                partnership=partnership,
                rule=rule,
                subject_type=subject_type,
                subject_id=review.pk,
                label=review.title[:200],
                starts_on=starts_on,
                due_on=due_on,
                due_soon_from=calendar.add(due_on, -rule.due_soon_working_days),
                paused_working_days=0,
                stopped_on=stopped,
                variance_working_days=calendar.between(due_on, stopped) if stopped else None,
                paused_since=None,
            )
        )
    Clock.objects.bulk_create(clocks, batch_size=500)


@transaction.atomic
def review_update(*, actor: Any, review: Review, agencies: Any = None, **fields: Any) -> Review:
    """Change a review (a rapid review's decision too); refused (ValidationError) if one of
    its dates, or of the reviews it led to, would become impossible."""
    before = snapshot(review)
    dates_before = timeline.review_timelines(timeline.stored(review))
    for name, value in fields.items():
        setattr(review, name, value)
    timeline.refuse_impossible_dates(
        before=dates_before, after=timeline.review_timelines(review), changed=fields
    )
    save_and_record(review, actor=actor, summary=f"Changed {review.title}", before=before)
    if agencies is not None:
        review.agencies.set(agencies)
    clocks_sync_review(review=review)
    return review


_FOLLOW_UP_KIND = {
    RapidReviewDecision.CSPR: ReviewKind.CSPR,
    RapidReviewDecision.LOCAL_LEARNING: ReviewKind.LOCAL_LEARNING,
}


@transaction.atomic
def review_commission_follow_up(
    *, actor: Any, rapid_review: Review, commissioned_on: dt.date, author: str = ""
) -> Review:
    """Open the CSPR or local learning review that a rapid review's decision calls for."""
    kind = _FOLLOW_UP_KIND.get(RapidReviewDecision(rapid_review.decision or ""))
    if kind is None:
        raise ValueError("The rapid review's decision does not call for a local review.")
    label = "CSPR" if kind == ReviewKind.CSPR else "Local learning review"
    reference = rapid_review.case.reference if rapid_review.case else rapid_review.title
    return review_create(
        actor=actor,
        partnership=rapid_review.partnership,
        agencies=rapid_review.agencies.all(),
        kind=kind,
        title=f"{label}: {reference}",
        case=rapid_review.case,
        incident=rapid_review.incident,
        parent=rapid_review,
        opened_on=commissioned_on,
        commissioned_on=commissioned_on,
        author=author,
    )


@transaction.atomic
def review_pause(*, actor: Any, review: Review, starts_on: dt.date, reason: str) -> ReviewPause:
    """Pause a review's clock. Refused (ValidationError, and the clock unchanged) unless the
    pause starts on or after the review opened, not after it was completed nor in the future,
    and no other pause is open or covers that day."""
    pause = ReviewPause(review=review, starts_on=starts_on, reason=reason)
    timeline.refuse_impossible_dates(
        before=timeline.review_timelines(review),
        after=timeline.review_timelines(review, pauses=timeline.pauses_of(review, changed=pause)),
        changed=("starts_on",),
    )
    save_and_record(pause, actor=actor, summary=f"Paused {review.title}: {reason}")
    clocks_sync_review(review=review)
    return pause


@transaction.atomic
def review_resume(*, actor: Any, pause: ReviewPause, ends_on: dt.date) -> ReviewPause:
    """End a pause. Refused (ValidationError, and the clock unchanged) unless it ends on or
    after it started, not in the future nor after the review was completed."""
    before = snapshot(pause)
    dates_before = timeline.review_timelines(pause.review)
    pause.ends_on = ends_on
    timeline.refuse_impossible_dates(
        before=dates_before,
        after=timeline.review_timelines(
            pause.review, pauses=timeline.pauses_of(pause.review, changed=pause)
        ),
        changed=("ends_on",),
    )
    save_and_record(pause, actor=actor, summary=f"Resumed {pause.review.title}", before=before)
    clocks_sync_review(review=pause.review)
    return pause


@transaction.atomic
def review_signoff(
    *, actor: Any, review: Review, agency: Any, signed_by: str, signed_on: dt.date
) -> ReviewSignoff:
    """A statutory partner's sign-off of the decision. Refused (ValidationError) before the
    decision is recorded, dated before it (or before the incident), or in the future."""
    signoff = ReviewSignoff(review=review, agency=agency, signed_by=signed_by, signed_on=signed_on)
    signed = [s.signed_on for s in review.signoffs.all()]
    timeline.refuse_impossible_dates(
        before=timeline.review_timelines(review, signoffs=signed),
        after=timeline.review_timelines(review, signoffs=[*signed, signed_on]),
        changed=("signed_on",),
    )
    save_and_record(signoff, actor=actor, summary=f"{agency} signed off {review.title}")
    return signoff


@transaction.atomic
def case_identity_view(*, actor: Any, case: Case) -> CaseIdentity | None:
    """Fetch a case's identifying details, writing the audit row for the view."""
    identity = CaseIdentity.objects.filter(case=case).first()
    audit_record(
        actor=actor,
        action=AuditAction.VIEW_IDENTIFYING,
        summary=f"Viewed identifying details of {case.reference}",
        obj=case,
    )
    return identity


@transaction.atomic
def case_identity_save(*, actor: Any, case: Case, **fields: Any) -> CaseIdentity:
    """Save a case's identifying details (the audit row names the fields, never the values);
    refused (ValidationError) with a date of birth in the future or after the incident."""
    identity = CaseIdentity.objects.filter(case=case).first()
    before = snapshot(identity) if identity else None
    if identity is None:
        identity = CaseIdentity(case=case)
    # A date of birth in the future, or after the incident, cannot be true.
    born_before = Dates(date_of_birth=identity.date_of_birth, incident_date=case.incident_date)
    for name, value in fields.items():
        setattr(identity, name, value)
    born = Dates(date_of_birth=identity.date_of_birth, incident_date=case.incident_date)
    timeline.refuse_impossible_dates(before=[born_before], after=[born], changed=("date_of_birth",))
    save_and_record(
        identity,
        actor=actor,
        summary=f"Changed identifying details of {case.reference}",
        before=before,
        hide_values=True,
    )
    return identity
