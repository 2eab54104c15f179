"""Reads for the action plan: lists, an action's links and history, the agency lead's home.

Counts and statuses are worked out by the database (see `ActionQuerySet`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, QuerySet

from safeguarding.accounts import access
from safeguarding.actionplans.models import (
    Action,
    ActionQuerySet,
    ActionStatus,
    Recommendation,
    ReminderSent,
)
from safeguarding.audit.models import AuditEvent
from safeguarding.core.models import Clock
from safeguarding.learning.models import ThemeResponse


def action_list(
    *, user: Any, status: str = "open", agency_id: int | None = None, today: dt.date
) -> ActionQuerySet:
    actions = access.get_actions_for_user(user)
    if status == "open":
        actions = actions.open()
    elif status == "completed":
        actions = actions.filter(status=ActionStatus.COMPLETED)
    if agency_id:
        actions = actions.filter(owner_agency_id=agency_id)
    return (
        actions.with_evidence_count()
        .with_timeliness(today)
        .select_related("owner_agency", "theme", "review")
        .order_by("due_on", "pk")
    )


def action_counts(*, user: Any, today: dt.date) -> dict[str, int]:
    actions = access.get_actions_for_user(user)
    counts = actions.status_counts()
    counts["Overdue"] = actions.overdue(today).count()
    return counts


def action_links(*, user: Any, action: Action | Recommendation) -> dict[str, Any]:
    """What an action (or a recommendation) answers, as far as the user may open it: the
    review and finding are None, with their title and text kept, when the user may not."""
    review = action.review
    if review is not None and not access.get_reviews_for_user(user).filter(pk=review.pk).exists():
        review = None
    finding = action.finding
    if (
        finding is not None
        and not access.get_findings_for_user(user).filter(pk=finding.pk).exists()
    ):
        finding = None
    return {
        "recommendation": getattr(action, "recommendation", None),
        "review": review,
        "review_title": action.review.title if action.review else "",
        "finding": finding,
        "finding_text": str(action.finding.text) if action.finding else "",
        "theme": action.theme,
        "theme_response": getattr(action, "theme_response", None),
    }


def action_clock(*, action: Action, today: dt.date) -> Clock | None:
    return (
        Clock.objects.filter(
            subject_type=ContentType.objects.get_for_model(Action), subject_id=action.pk
        )
        .with_status(today)
        .select_related("rule")
        .first()
    )


def action_history(*, action: Action) -> QuerySet[AuditEvent]:
    """Every change to the action and its evidence: who, when, what."""
    from safeguarding.actionplans.models import EvidenceItem

    evidence_ids = [
        str(pk) for pk in EvidenceItem.objects.filter(action=action).values_list("pk", flat=True)
    ]
    return (
        AuditEvent.objects.filter(
            Q(object_type="actionplans.Action", object_id=str(action.pk))
            | Q(object_type="actionplans.EvidenceItem", object_id__in=evidence_ids)
        )
        .select_related("actor")
        .order_by("at", "pk")
    )


def recommendation_list(*, user: Any) -> QuerySet[Recommendation]:
    return access.get_recommendations_for_user(user).select_related("review", "theme")


def response_actions(*, user: Any, response: ThemeResponse, today: dt.date) -> ActionQuerySet:
    """The actions answering a partnership response to a theme that the user may see."""
    return (
        access.get_actions_for_user(user)
        .filter(theme_response=response)
        .with_timeliness(today)
        .select_related("owner_agency")
        .order_by("due_on", "pk")
    )


def linked_actions(
    *, user: Any, today: dt.date, review: Any = None, finding: Any = None
) -> dict[str, Any]:
    """The recommendations and actions that answer a review or a finding, as far as the user
    may see them (an agency lead: their own agency's actions and the recommendations those
    answer)."""
    about = Q(review=review) if review is not None else Q(finding=finding)
    return {
        "recommendations": list(
            access.get_recommendations_for_user(user).filter(about).order_by("-made_on", "pk")
        ),
        "actions": list(
            access.get_actions_for_user(user)
            .filter(about)
            .with_timeliness(today)
            .select_related("owner_agency", "theme")
            .order_by("due_on", "pk")
        ),
    }


def agency_home(*, user: Any, today: dt.date) -> dict[str, Any]:
    """An agency lead's home page: their agency's open actions, what the business unit asks of
    them for assurance, and the reminders they were sent."""
    from safeguarding.dissemination.models import AssuranceSubmission, Stage, SubmissionStatus

    actions = access.get_actions_for_user(user)
    waiting = AssuranceSubmission.objects.filter(
        record=OuterRef("pk"), status=SubmissionStatus.SUBMITTED
    )
    returned = AssuranceSubmission.objects.filter(
        record=OuterRef("pk"), status=SubmissionStatus.RETURNED
    ).order_by("-submitted_at", "-pk")
    records = (
        access.get_assurance_records_for_user(user)
        .exclude(stage=Stage.OUTCOME)
        .annotate(waiting=Exists(waiting), was_returned=Exists(returned))
        .select_related("product")
        .order_by("requested_on", "pk")
    )
    return {
        "agency": user.agency,
        "today": today,
        "actions": actions.open()
        .with_evidence_count()
        .with_timeliness(today)
        .select_related("theme")
        .order_by("due_on", "pk"),
        "completed_count": actions.filter(status=ActionStatus.COMPLETED).count(),
        "requests": [r for r in records if not r.waiting],
        "waiting": [r for r in records if r.waiting],
        "reminders": _reminders_with_links(user=user, actions=actions),
    }


def _reminders_with_links(*, user: Any, actions: ActionQuerySet) -> list[ReminderSent]:
    """The last 20 reminders sent to the user, each with `action_id` set when it is about an
    action the user may still open (None otherwise: another kind of clock, or an action since
    handed to another agency)."""
    reminders = list(
        ReminderSent.objects.filter(recipient=user)
        .select_related("clock")
        .order_by("-sent_at", "-pk")[:20]
    )
    action_type = ContentType.objects.get_for_model(Action)
    about = {r.clock.subject_id for r in reminders if r.clock.subject_type_id == action_type.pk}
    open_to_user = set(actions.filter(pk__in=about).values_list("pk", flat=True))
    for reminder in reminders:
        subject = reminder.clock.subject_id
        is_action = reminder.clock.subject_type_id == action_type.pk
        reminder.action_id = subject if is_action and subject in open_to_user else None  # type: ignore[attr-defined]
    return reminders


def agency_lead_summary(*, user: Any, today: dt.date) -> dict[str, Any]:
    from safeguarding.dissemination.models import AssuranceSubmission, Stage, SubmissionStatus

    actions = access.get_actions_for_user(user)
    waiting = AssuranceSubmission.objects.filter(
        record=OuterRef("pk"), status=SubmissionStatus.SUBMITTED
    )
    requests = (
        access.get_assurance_records_for_user(user)
        .exclude(stage=Stage.OUTCOME)
        .exclude(Exists(waiting))
        .count()
    )
    return {
        "agency": user.agency,
        "open": actions.open().count(),
        "overdue": actions.overdue(today).count(),
        "requests": requests,
    }
