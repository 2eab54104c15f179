"""Reads for the review register: the dashboard, lists and the period summary.

Every figure is counted by the database; the same functions feed the pages, the management
commands and (later) the API and the reports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet

from safeguarding.accounts import access
from safeguarding.accounts.models import AgeBand, ClosureDay, Partnership
from safeguarding.core.models import Clock, ClockStatus
from safeguarding.core.workingdays import WorkingCalendar
from safeguarding.reviews.models import (
    NOT_KNOWN_BAND,
    OUTSIDE_BANDS,
    AbuseCategory,
    Incident,
    NotificationDecision,
    Outcome,
    RapidReviewDecision,
    Review,
    ReviewKind,
    ReviewQuerySet,
    Sex,
)


def dashboard_clocks(*, user: Any, today: dt.date) -> QuerySet[Clock]:
    """Clocks due soon or overdue on records the user may see, soonest first."""
    return (
        access.get_clocks_for_user(user)
        .due_or_overdue(today)
        .with_status(today)
        .select_related("rule", "subject_type")
        .soonest_first()
    )


def upcoming_clocks(*, user: Any, today: dt.date, limit: int = 10) -> QuerySet[Clock]:
    return (
        access.get_clocks_for_user(user)
        .running()
        .filter(due_soon_from__gt=today)
        .with_status(today)
        .select_related("rule", "subject_type")
        .soonest_first()[:limit]
    )


def with_days_overdue(clocks: Iterable[Clock], today: dt.date) -> list[Clock]:
    """The clocks, each overdue one with `days_overdue`: working days past its due date so far
    (its partnership's closure days not counted). One query for every clock's calendar."""
    clocks = list(clocks)
    partnerships = {clock.partnership_id for clock in clocks}
    closures: dict[int, list[dt.date]] = {pk: [] for pk in partnerships}
    if partnerships:
        rows = ClosureDay.objects.filter(partnership_id__in=partnerships)
        for partnership_id, day in rows.values_list("partnership_id", "date"):
            closures[partnership_id].append(day)
    calendars = {pk: WorkingCalendar(days) for pk, days in closures.items()}
    for clock in clocks:
        if clock.status == ClockStatus.OVERDUE:  # type: ignore[attr-defined]
            calendar = calendars[clock.partnership_id]
            clock.days_overdue = max(0, calendar.between(clock.due_on, today))  # type: ignore[attr-defined]
    return clocks


def review_list(*, user: Any, kind: str | None = None) -> QuerySet[Review]:
    reviews = access.get_reviews_for_user(user).select_related("case", "parent")
    if kind:
        reviews = reviews.filter(kind=kind)
    return reviews.order_by("-opened_on", "-pk")


def clocks_for(*, subject: Any, today: dt.date) -> QuerySet[Clock]:
    from django.contrib.contenttypes.models import ContentType

    return (
        Clock.objects.filter(
            subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
        )
        .with_status(today)
        .select_related("rule")
    )


def review_chain(*, review: Review, user: Any) -> dict[str, Any]:
    """The incident, the rapid review and the reviews that followed it, as far as the user may
    see them."""
    visible = access.get_reviews_for_user(user)
    root = review.parent or review
    rapid_review = root if root.kind == ReviewKind.RAPID_REVIEW else None
    if rapid_review and rapid_review != review and not visible.filter(pk=root.pk).exists():
        rapid_review = None  # e.g. an agency lead in a CSPR who was not in its rapid review
    return {
        "incident": review.incident,
        "rapid_review": rapid_review,
        "follow_ups": list(visible.filter(parent=root).order_by("opened_on")),
    }


def _counts(queryset: QuerySet, field: str, choices: Any) -> dict[str, int]:
    """Counts by a choice field, every choice listed (zeros too) in the choices' order."""
    found = {row[field]: row["n"] for row in queryset.values(field).annotate(n=Count("pk"))}
    counts = {str(label): found.pop(value, 0) for value, label in choices}
    for value, n in found.items():  # values no longer in the choices still count
        counts[str(value) or "Not recorded"] = n
    return counts


def _age_band_counts(queryset: ReviewQuerySet, partnership: Partnership) -> dict[str, int]:
    # `age_band` is annotated inside ReviewQuerySet.with_age_band, where the django-stubs
    # plugin cannot follow it, so it reports the name as unknown.
    rows = queryset.with_age_band().values("age_band")  # type: ignore[misc]
    found = {row["age_band"]: row["n"] for row in rows.annotate(n=Count("pk"))}
    counts = {
        band: found.pop(band, 0)
        for band in AgeBand.objects.filter(partnership=partnership).values_list("label", flat=True)
    }
    # After the bands, each only when there are some: known ages no band covers, then
    # unknown ages.
    for label in (OUTSIDE_BANDS, NOT_KNOWN_BAND):
        if found.get(label):
            counts[label] = found.pop(label)
    counts.update(found)
    return counts


def _timeliness(clocks: QuerySet[Clock], start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    rows = (
        clocks.filter(starts_on__gte=start, starts_on__lte=end)
        .values("rule__key", "rule__name", "rule__length", "rule__unit")
        .annotate(
            total=Count("pk"),
            met=Count("pk", filter=Q(stopped_on__isnull=False, variance_working_days__lte=0)),
            missed=Count("pk", filter=Q(stopped_on__isnull=False, variance_working_days__gt=0)),
            running=Count("pk", filter=Q(stopped_on__isnull=True)),
            average_variance=Avg("variance_working_days"),
        )
        .order_by("rule__key")
    )
    return [
        {
            "clock": row["rule__key"],
            "name": row["rule__name"],
            "standard": f"{row['rule__length']} {row['rule__unit'].replace('_', ' ')}",
            "total": row["total"],
            "met": row["met"],
            "missed": row["missed"],
            "still_running": row["running"],
            # Negative: on average early; positive: on average late. None: nothing finished.
            "average_working_days_late": (
                round(row["average_variance"], 1) if row["average_variance"] is not None else None
            ),
        }
        for row in rows
    ]


def period_summary(
    *, partnership: Partnership, start: dt.date, end: dt.date, user: Any = None
) -> dict[str, Any]:
    """The review processes of a period, as section 3 of the scrutiny board report counts them.

    Rapid reviews count by the date they were opened; CSPRs and local learning reviews by the
    date they were commissioned; clocks by the date they started. With a `user` whose live
    figures are scoped (an agency lead), only the reviews, incidents and clocks they may open
    count: a one-day period of the partnership's figures would describe another agency's case.
    """
    reviews = Review.objects.filter(partnership=partnership)
    incidents = Incident.objects.filter(partnership=partnership)
    clocks = Clock.objects.filter(partnership=partnership)
    if user is not None and access.are_live_figures_scoped(user):
        # By id: the scoped querysets join agencies (and are DISTINCT), which a GROUP BY
        # would count once per joined row.
        reviews = reviews.filter(pk__in=access.get_reviews_for_user(user).values("pk"))
        incidents = incidents.filter(pk__in=access.get_incidents_for_user(user).values("pk"))
        clocks = clocks.filter(pk__in=access.get_clocks_for_user(user).values("pk"))
    in_period = reviews.started_between(start, end)
    rapid = in_period.of_kind(ReviewKind.RAPID_REVIEW)
    incidents = incidents.filter(la_aware_on__gte=start, la_aware_on__lte=end)
    by_kind = _counts(in_period, "kind", ReviewKind.choices)
    return {
        "partnership": partnership.slug,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "incidents": {
            "total": incidents.count(),
            "by_decision": _counts(incidents, "decision", NotificationDecision.choices),
        },
        "reviews_by_type": by_kind,
        "rapid_reviews": {
            "total": rapid.count(),
            "by_age_band": _age_band_counts(rapid, partnership),
            "by_sex": _counts(rapid, "case__sex", Sex.choices),
            "by_outcome": _counts(rapid, "case__outcome", Outcome.choices),
            "by_category": _counts(rapid, "case__category", AbuseCategory.choices),
            "by_decision": _counts(rapid, "decision", RapidReviewDecision.choices),
        },
        "cspr_commissioned": by_kind[str(ReviewKind.CSPR.label)],
        "local_learning_reviews": by_kind[str(ReviewKind.LOCAL_LEARNING.label)],
        "multi_agency_audits": by_kind[str(ReviewKind.AUDIT.label)],
        "timeliness": _timeliness(clocks, start, end),
    }


STATUS_LABELS = dict(ClockStatus.choices)
