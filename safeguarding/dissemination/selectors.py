"""Reads for learning into practice: products, reach, the planner and where learning stalls.

Every count is made by the database; the pages only lay the figures out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from safeguarding.accounts import access
from safeguarding.accounts.models import Agency
from safeguarding.dissemination.models import (
    AssuranceRecord,
    AssuranceSubmission,
    AuditRecheck,
    EventStatus,
    LearningEvent,
    LearningProduct,
    SessionPlan,
    Stage,
)

DELIVERED = Q(status=EventStatus.DELIVERED)


def product_rechecks(*, user: Any, product: LearningProduct) -> QuerySet[AuditRecheck]:
    """The audits that re-checked a product, of those the user may read: an agency lead sees
    a product of the partnership, not every review named beside it."""
    return (
        AuditRecheck.objects.filter(
            product=product, audit__in=access.get_reviews_for_user(user).values("pk")
        )
        .select_related("audit")
        .order_by("pk")
    )


def product_list(*, user: Any) -> QuerySet[LearningProduct]:
    return (
        access.get_products_for_user(user)
        .annotate(
            delivered=Count(
                "events", filter=Q(events__status=EventStatus.DELIVERED), distinct=True
            ),
            planned=Count("events", filter=Q(events__status=EventStatus.PLANNED), distinct=True),
            agencies_asked=Count("assurance_records", distinct=True),
        )
        .prefetch_related("themes")
        .order_by("-issued_on", "title")
    )


def product_events(*, product: LearningProduct) -> QuerySet[LearningEvent]:
    return (
        product.events.annotate(
            attended=Coalesce(Sum("attendance__attendees"), Value(0), output_field=IntegerField())
        )
        .prefetch_related("audience_agencies")
        .order_by("held_on", "pk")
    )


@dataclass
class ReachRow:
    agency: Agency
    workforce: int
    attended: int

    @property
    def percent(self) -> float | None:
        """Attendances as a percentage of the workforce, to one decimal place (None without a
        workforce recorded)."""
        if not self.workforce:
            return None
        return round(100 * self.attended / self.workforce, 1)


def reach(*, user: Any, product: LearningProduct | None = None) -> list[ReachRow]:
    """Attendances at delivered events per agency, against each agency's workforce.

    One person at two sessions counts twice: the figure is attendances, as the partnership's
    sign-in sheets record them.
    """
    attendance = Q(attendance__event__status=EventStatus.DELIVERED)
    if product is not None:
        attendance &= Q(attendance__event__product=product)
    else:
        attendance &= Q(
            attendance__event__product__in=access.get_products_for_user(user).values("pk")
        )
    agencies = access.get_agencies_for_user(user).annotate(
        attended=Coalesce(
            Sum("attendance__attendees", filter=attendance), Value(0), output_field=IntegerField()
        )
    )
    return [ReachRow(a, a.workforce_size, a.attended) for a in agencies]


@dataclass
class PlanRow:
    plan: SessionPlan
    needed: int
    planned: int
    delivered: int

    @property
    def still_to_plan(self) -> int:
        return max(0, self.needed - self.planned - self.delivered)


def planner(*, user: Any) -> list[PlanRow]:
    """Each session plan: sessions needed against the sessions planned and delivered."""
    plans = (
        access.get_session_plans_for_user(user)
        .select_related("product")
        .prefetch_related("agencies")
        .annotate(
            planned=Count(
                "product__events",
                filter=Q(product__events__status=EventStatus.PLANNED),
                distinct=True,
            ),
            delivered=Count(
                "product__events",
                filter=Q(product__events__status=EventStatus.DELIVERED),
                distinct=True,
            ),
        )
    )
    return [PlanRow(p, p.sessions_needed, p.planned, p.delivered) for p in plans]


def record_history(*, record: AssuranceRecord) -> QuerySet[AssuranceSubmission]:
    return record.submissions.select_related("submitted_by", "decided_by", "audit").order_by(
        "submitted_at", "pk"
    )


def waiting_submissions(*, user: Any) -> QuerySet[AssuranceSubmission]:
    """Submissions waiting for the business unit's decision, oldest first."""
    return (
        AssuranceSubmission.objects.filter(
            record__in=access.get_assurance_records_for_user(user).values("pk"),
            status="submitted",
        )
        .select_related("record", "record__agency", "record__product", "submitted_by")
        .order_by("submitted_at", "pk")
    )


STAGES = [(s.value, s.label) for s in Stage]


@dataclass
class StallRow:
    label: str
    counts: list[int] = field(default_factory=list)  # one per stage, in order

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def stalls_at(self) -> str:
        """The stage below 'outcome evidenced' where most of this row's learning sits."""
        open_counts = self.counts[:-1]
        if not any(open_counts):
            return ""
        index = max(range(len(open_counts)), key=lambda i: (open_counts[i], -i))
        return str(STAGES[index][1])


def _stall_rows(rows: Any, key: str) -> list[StallRow]:
    table: dict[str, StallRow] = {}
    for row in rows:
        label = row[key] or "No theme"
        entry = table.setdefault(label, StallRow(label, [0] * len(STAGES)))
        entry.counts[row["stage"]] += row["n"]
    return sorted(table.values(), key=lambda r: r.label)


def stall(*, user: Any) -> dict[str, Any]:
    """Where learning stalls: how many (learning product, agency) records sit at each stage,
    by agency and by theme, counted by the database. A product with two themes counts under
    both themes."""
    records = access.get_assurance_records_for_user(user)
    by_agency = records.values("agency__name", "stage").annotate(n=Count("pk")).order_by()
    by_theme = records.values("product__themes__name", "stage").annotate(n=Count("pk")).order_by()
    return {
        "stages": STAGES,
        "by_agency": _stall_rows(by_agency, "agency__name"),
        "by_theme": _stall_rows(by_theme, "product__themes__name"),
        "total": records.count(),
    }


def period_products(
    *, partnership: Any, start: Any, end: Any, review_ids: Any = (), theme_ids: Any = ()
) -> QuerySet[LearningProduct]:
    """The learning products that carry a period's learning (for the scrutiny board report):
    issued in the period, or made from one of its reviews, or about one of the themes found in
    it and issued since the period began."""
    about = Q(issued_on__gte=start, issued_on__lte=end) | Q(reviews__in=list(review_ids))
    about |= Q(themes__in=list(theme_ids)) & (Q(issued_on__gte=start) | Q(issued_on__isnull=True))
    ids = LearningProduct.objects.filter(partnership=partnership).filter(about).values("pk")
    return LearningProduct.objects.filter(pk__in=ids)


def products_summary(*, products: QuerySet[LearningProduct]) -> dict[str, Any]:
    """Counts for a set of products: products by kind, events delivered and planned,
    attendances by agency against workforce, and where each agency's assurance has got."""
    by_kind = {
        row["kind"]: row["n"] for row in products.values("kind").annotate(n=Count("pk")).order_by()
    }
    events = LearningEvent.objects.filter(product__in=products.values("pk"))
    event_counts = events.aggregate(
        delivered=Count("pk", filter=DELIVERED),
        planned=Count("pk", filter=Q(status=EventStatus.PLANNED)),
        attendances=Coalesce(
            Sum("attendance__attendees", filter=Q(status=EventStatus.DELIVERED)),
            Value(0),
            output_field=IntegerField(),
        ),
    )
    reach_rows = list(
        Agency.objects.filter(attendance__event__in=events.filter(DELIVERED).values("pk"))
        .values("pk", "name", "workforce_size")
        .annotate(attended=Sum("attendance__attendees"))
        .order_by("name")
    )
    records = AssuranceRecord.objects.filter(product__in=products.values("pk"))
    stage_rows = records.values("agency__name", "stage").annotate(n=Count("pk")).order_by()
    return {
        "products": products.count(),
        "by_kind": by_kind,
        "events_delivered": event_counts["delivered"],
        "events_planned": event_counts["planned"],
        "attendances": event_counts["attendances"],
        "reach": reach_rows,
        "assurance_by_agency": _stall_rows(stage_rows, "agency__name"),
        "assurance_records": records.count(),
        "stages": STAGES,
    }
