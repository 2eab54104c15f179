"""What the retention schedule makes due, and applying it.

`due_items` is the one place that works out, for a partnership, which records are due for
disposal on or before a date and which of those a legal hold keeps: the retention page lists
it for the next 90 days and `apply_retention` disposes of what is due today.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone

from safeguarding.audit.models import AuditAction
from safeguarding.audit.services import audit_record
from safeguarding.records.disposal import DisposalBlocked, dispose
from safeguarding.records.models import LegalHold, RecordType, RetentionRule
from safeguarding.records.services import retention_rules_install_defaults


@dataclass
class DueItem:
    record_type: str
    obj: models.Model
    counted_from: dt.date
    due_on: dt.date
    held: bool
    label: str

    @property
    def record_type_label(self) -> str:
        return str(RecordType(self.record_type).label)


def _plus_years(day: dt.date, years: int) -> dt.date:
    return day + relativedelta(years=years)  # 29 February goes to 28 February


@dataclass
class Holds:
    """The cases and reviews a partnership's active holds cover (a review's case included:
    disposing of the case would take the review with it; a case's reviews, and the reviews
    that came out of a held review, included too)."""

    case_ids: set[int] = field(default_factory=set)
    review_ids: set[int] = field(default_factory=set)
    hold_ids: set[int] = field(default_factory=set)


def holds_for(partnership: Any) -> Holds:
    from safeguarding.reviews.models import Review

    holds = Holds()
    for hold in LegalHold.objects.active().filter(partnership=partnership):
        holds.hold_ids.add(hold.pk)
        if hold.case_id:
            holds.case_ids.add(hold.case_id)
        else:
            holds.review_ids.add(hold.review_id)  # type: ignore[arg-type]
    reviews = Review.objects.filter(partnership=partnership)
    holds.review_ids |= set(reviews.filter(case_id__in=holds.case_ids).values_list("pk", flat=True))
    frontier = set(holds.review_ids)
    while frontier:  # the reviews that came out of held ones
        frontier = set(reviews.filter(parent_id__in=frontier).values_list("pk", flat=True))
        frontier -= holds.review_ids
        holds.review_ids |= frontier
    holds.case_ids |= set(
        reviews.filter(pk__in=holds.review_ids, case__isnull=False).values_list(
            "case_id", flat=True
        )
    )
    return holds


def _case_activity(case: Any) -> tuple[bool, dt.date | None]:
    """(still active, last activity date) of a case, from the prefetched rows."""
    from safeguarding.actionplans.models import ActionStatus
    from safeguarding.reviews.models import NotificationDecision, ReviewStatus

    dates: list[dt.date | None] = [case.incident_date]
    active = False
    for incident in case.incidents.all():
        dates += [incident.la_aware_on, incident.notified_on]
        active |= incident.decision == NotificationDecision.PENDING
    for review in case.reviews.all():
        dates += [
            review.opened_on,
            review.commissioned_on,
            review.decision_on,
            review.completed_on,
            review.published_on,
        ]
        active |= review.status in (ReviewStatus.OPEN, ReviewStatus.PAUSED)
        for action in review.actions.all():
            dates += [action.agreed_on, action.completed_on]
            active |= action.status != ActionStatus.COMPLETED
    known = [d for d in dates if d is not None]
    return active, max(known) if known else None


def due_items(partnership: Any, *, on_or_before: dt.date) -> list[DueItem]:
    """Every record of the partnership due for disposal on or before the date, soonest first,
    each marked held when an active legal hold keeps it."""
    from safeguarding.actionplans.models import EvidenceItem, EvidenceKind
    from safeguarding.imports.models import ImportLog
    from safeguarding.reports.models import ReportFile
    from safeguarding.reviews.models import Case, Incident, NotificationDecision

    years = {
        r.record_type: r.years for r in retention_rules_install_defaults(partnership=partnership)
    }
    holds = holds_for(partnership)
    items: list[DueItem] = []

    def add(record_type: str, obj: Any, start: dt.date | None, held: bool, label: str) -> None:
        if start is None:
            return
        due = _plus_years(start, years[record_type])
        if due <= on_or_before:
            items.append(DueItem(record_type, obj, start, due, held, label))

    for incident in (
        Incident.objects.filter(
            partnership=partnership, decision=NotificationDecision.DO_NOT_NOTIFY, reviews=None
        )
        .select_related("case")
        .order_by("pk")
    ):
        add(
            RecordType.INCIDENT,
            incident,
            incident.la_aware_on,
            incident.case_id in holds.case_ids,
            f"Incident on {incident.la_aware_on:%d %B %Y} ({incident.case.reference})",
        )
    cases = Case.objects.filter(partnership=partnership).prefetch_related(
        "incidents", "reviews", "reviews__actions"
    )
    for case in cases.order_by("pk"):
        active, last = _case_activity(case)
        if not active:
            add(RecordType.CASE, case, last, case.pk in holds.case_ids, f"Case {case.reference}")
    evidence = EvidenceItem.objects.filter(
        action__partnership=partnership,
        kind=EvidenceKind.FILE,
        action__completed_on__isnull=False,
    ).select_related("action", "action__finding", "action__recommendation")
    for item in evidence.order_by("pk"):
        action = item.action
        review_ids = {
            action.review_id,
            action.finding.review_id if action.finding else None,
            action.recommendation.review_id if action.recommendation else None,
        }
        held = bool(review_ids & holds.review_ids)
        add(
            RecordType.EVIDENCE_FILE,
            item,
            action.completed_on,
            held,
            f"Evidence file for the action “{action.title}”",
        )
    for log in ImportLog.objects.filter(partnership=partnership).order_by("pk"):
        add(
            RecordType.IMPORT_LOG,
            log,
            timezone.localdate(log.imported_at),
            False,
            str(log),
        )
    files = ReportFile.objects.filter(
        version__report__partnership=partnership, version__published_at__isnull=True
    ).select_related("version", "version__report")
    for report_file in files.order_by("pk"):
        review_id = report_file.version.report.review_id
        add(
            RecordType.REPORT_FILE,
            report_file,
            timezone.localdate(report_file.version.issued_at),
            review_id in holds.review_ids,
            str(report_file),
        )
    items.sort(key=lambda i: (i.due_on, i.record_type, i.obj.pk))
    return items


@dataclass
class RetentionResult:
    disposed: Counter[str] = field(default_factory=Counter)
    held: int = 0
    blocked: list[str] = field(default_factory=list)
    files_removed: int = 0


def _roots(item: DueItem) -> list[models.Model]:
    """What to dispose of for an item: an incident takes its case when the case holds nothing
    else (no other incident, no review)."""
    if item.record_type == RecordType.INCIDENT:
        case = item.obj.case  # type: ignore[attr-defined]
        alone = not case.reviews.exists() and not case.incidents.exclude(pk=item.obj.pk).exists()
        return [case] if alone else [item.obj]
    return [item.obj]


def _check_not_shared(roots: list[models.Model]) -> None:
    """A case's disposal takes the reviews that came out of its reviews: refuse it when one
    of those belongs to another case (that case is kept on its own period)."""
    from safeguarding.reviews.models import Case, Review

    for root in roots:
        if isinstance(root, Case):
            own = Review.objects.filter(Q(case=root) | Q(incident__case=root))
            shared = Review.objects.filter(Q(parent__in=own) | Q(incident__case=root)).exclude(
                Q(case=root) | Q(case__isnull=True)
            )
            if shared.exists():
                raise DisposalBlocked("a review of another case came out of it")


def _summary(item: DueItem, rule_years: int, found: Any) -> str:
    parts = ", ".join(
        f"{len(pks)} {model._meta.verbose_name_plural}"
        for model, pks in sorted(found.rows.items(), key=lambda kv: kv[0]._meta.label)
        if pks and not getattr(model, "instance_type", None)
    )
    files = f"; {len(found.files)} stored files" if found.files else ""
    return (
        f"Disposed of {item.record_type_label.lower()} record {item.obj.pk}: {rule_years} years "
        f"from {item.counted_from:%d %B %Y} ({parts}{files})"
    )


def apply_retention(
    partnership: Any, *, today: dt.date, dry_run: bool = False, actor: Any = None
) -> RetentionResult:
    """Dispose of every record of the partnership due on or before today and not on hold.

    Each disposal is its own savepoint with its own DISPOSE audit row, so one that cannot go
    (cited by a record that is kept) leaves the rest to go ahead. A dry run disposes of
    nothing and writes nothing: it counts what would go."""
    result = RetentionResult()
    rules = {r.record_type: r.years for r in RetentionRule.objects.filter(partnership=partnership)}
    holds = holds_for(partnership)
    for item in due_items(partnership, on_or_before=today):
        if item.held:
            result.held += 1
            continue
        if dry_run:
            result.disposed[item.record_type] += 1
            continue
        try:
            with transaction.atomic():
                roots = _roots(item)
                _check_not_shared(roots)
                found = dispose(roots, active_hold_ids=holds.hold_ids)
                audit_record(
                    actor=actor,
                    action=AuditAction.DISPOSE,
                    summary=_summary(item, rules[item.record_type], found),
                    obj=item.obj,
                    partnership=partnership,
                    changes={"record_type": [item.record_type, None]},
                )
        except (DisposalBlocked, IntegrityError) as exc:
            reason = str(exc) if isinstance(exc, DisposalBlocked) else "still referenced"
            result.blocked.append(f"{item.label}: {reason}")
            continue
        result.disposed[item.record_type] += 1
        result.files_removed += len(found.files)
    return result


def describe(result: RetentionResult) -> str:
    """One line of counts, every record type listed."""
    names = {
        RecordType.CASE: "cases",
        RecordType.INCIDENT: "incidents",
        RecordType.EVIDENCE_FILE: "evidence files",
        RecordType.IMPORT_LOG: "import logs",
        RecordType.REPORT_FILE: "report files",
    }
    counts = ", ".join(f"{names[t]} {result.disposed.get(t.value, 0)}" for t in RecordType)
    return f"disposed: {counts}; held back by legal hold: {result.held}"


def partnerships_to_apply(slug: str | None) -> models.QuerySet[Any]:
    from safeguarding.accounts.models import Partnership

    partnerships = Partnership.objects.order_by("slug")
    return partnerships.filter(Q(slug=slug)) if slug else partnerships
