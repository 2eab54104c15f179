"""Every write to reports: issuing versions, keeping the editable text, publishing, and the
audit row for each download. History and audit are written in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from safeguarding.accounts.models import Agency, Partnership
from safeguarding.audit.models import AuditAction
from safeguarding.audit.services import audit_record
from safeguarding.core.history import save_and_record, snapshot
from safeguarding.reports import publication
from safeguarding.reports.brief import brief_title
from safeguarding.reports.generation import period_label
from safeguarding.reports.models import Report, ReportFile, ReportKind, ReportVersion
from safeguarding.reports.suppression import SHORT_PERIOD_MESSAGE
from safeguarding.reviews.models import Review, ReviewKind


class ReportError(ValueError):
    """Something the reports workflow does not allow (for example publishing a failed version)."""


def scrutiny_title(start: dt.date, end: dt.date) -> str:
    return f"Cross-cutting themes from review processes, {period_label(start, end)}"


def filters_label(*, review_kinds: Sequence[str], agencies: Sequence[Agency]) -> str:
    labels = dict(ReviewKind.choices)
    kinds = ", ".join(str(labels.get(k, k)) for k in review_kinds) or "All review types"
    names = ", ".join(a.name for a in agencies) or "all agencies"
    return f"{kinds}; {names}"


def _enqueue(version: ReportVersion) -> None:
    # Imported here: the task module imports the generation code, which imports the builders.
    from safeguarding.reports.tasks import generate_report_version

    generate_report_version.enqueue(version.pk)


def _new_version(
    *, actor: Any, report: Report, filters: dict[str, Any], label: str, text: dict[str, str]
) -> ReportVersion:
    # Lock the report so two versions issued at once get different numbers.
    Report.objects.select_for_update().filter(pk=report.pk).first()
    last = report.versions.order_by("-number").first()
    version = ReportVersion(
        report=report,
        number=(last.number if last else 0) + 1,
        issued_by=actor,
        period_start=report.period_start,
        period_end=report.period_end,
        filters=filters,
        filters_label=label,
        text=text,
    )
    save_and_record(
        version,
        actor=actor,
        summary=f"Issued version {version.number} of {report.title}",
    )
    _enqueue(version)
    # A backend that runs the task at once has changed the row since.
    version.refresh_from_db()
    return version


@transaction.atomic
def scrutiny_report_issue(
    *,
    actor: Any,
    partnership: Partnership,
    start: dt.date,
    end: dt.date,
    review_kinds: Sequence[str] = (),
    agencies: Sequence[Agency] = (),
    introduction: str = "",
) -> ReportVersion:
    """Issue a new version of the scrutiny report for the period and filters (version 1 of a new
    report, or the next version of the one already kept for them); its introduction is kept on
    the report. Generation runs as a background task."""
    kinds = sorted(set(review_kinds))
    agency_list = sorted(set(agencies), key=lambda a: a.name)
    if any(a.partnership_id != partnership.pk for a in agency_list):
        raise ReportError("The agencies must belong to the partnership.")
    agency_ids = sorted(a.pk for a in agency_list)
    report = Report.objects.filter(
        partnership=partnership,
        kind=ReportKind.SCRUTINY,
        period_start=start,
        period_end=end,
        review_kinds=kinds,
        agency_ids=agency_ids,
    ).first()
    if report is None:
        report = Report(
            partnership=partnership,
            kind=ReportKind.SCRUTINY,
            title=scrutiny_title(start, end),
            period_start=start,
            period_end=end,
            review_kinds=kinds,
            agency_ids=agency_ids,
            introduction=introduction,
            created_by=actor,
        )
        save_and_record(report, actor=actor, summary=f"Started the report {report.title}")
    elif report.introduction != introduction:
        before = snapshot(report)
        report.introduction = introduction
        save_and_record(
            report,
            actor=actor,
            summary=f"Changed the introduction of {report.title}",
            before=before,
        )
    return _new_version(
        actor=actor,
        report=report,
        filters={"review_kinds": kinds, "agency_ids": agency_ids},
        label=filters_label(review_kinds=kinds, agencies=agency_list),
        text={"introduction": introduction},
    )


@transaction.atomic
def brief_save(*, actor: Any, review: Review, summary: str, questions: str) -> Report:
    """Create the learning brief of a review, or change its summary and questions."""
    report = Report.objects.filter(review=review).first()
    before = snapshot(report) if report is not None else None
    if report is None:
        report = Report(
            partnership=review.partnership,
            kind=ReportKind.BRIEF,
            title=brief_title(review),
            review=review,
            created_by=actor,
        )
    report.summary = summary
    report.questions = questions
    save_and_record(
        report,
        actor=actor,
        summary=f"{'Changed' if before else 'Started'} the learning brief {report.title}",
        before=before,
    )
    return report


@transaction.atomic
def brief_issue(*, actor: Any, report: Report) -> ReportVersion:
    """Issue a new version of a learning brief from its text as it is now."""
    if report.kind != ReportKind.BRIEF:
        raise ReportError("Only a learning brief is issued this way.")
    return _new_version(
        actor=actor,
        report=report,
        filters={},
        label="",
        text={"summary": report.summary, "questions": report.questions},
    )


@transaction.atomic
def version_publish(*, actor: Any, version: ReportVersion) -> list[publication.Finding]:
    """Mark a version published, if its public rendition passes the identifying-details check.

    A scrutiny report of a period under three months is refused (``ReportError``): its public
    copy is never made.

    Returns the findings: when there are any, nothing changes and the attempt is audited (with
    counts by kind, never the values found).
    """
    if not version.is_ready:
        raise ReportError("Only a finished version can be published.")
    if version.is_published:
        raise ReportError("This version is already published.")
    if version.report.kind == ReportKind.SCRUTINY and version.period_too_short_to_publish:
        raise ReportError(SHORT_PERIOD_MESSAGE)
    known = publication.known_details_in_scope(partnership_id=version.report.partnership_id)
    findings = publication.check_text(
        ((str(where), str(text)) for where, text in version.public_text), known
    )
    if findings:
        audit_record(
            actor=actor,
            action=AuditAction.DENIED,
            summary=f"Publication of {version} blocked: identifying details found "
            f"({publication.summary_of(findings)})",
            obj=version,
            partnership=version.report.partnership,
            outcome="blocked",
        )
        return findings
    before = snapshot(version)
    version.published_at = timezone.now()
    version.published_by = actor
    save_and_record(version, actor=actor, summary=f"Published {version}", before=before)
    return []


def file_download_record(*, actor: Any, file: ReportFile) -> None:
    """The audit row for one download of a generated document."""
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        summary=f"Downloaded {file.version} ({file.get_rendition_display()}, "
        f"{file.get_format_display()})",
        obj=file.version,
        partnership=file.version.report.partnership,
    )
