"""The rows of every list export. Each list page passes the queryset it shows (already scoped
to the user by `access.get_*_for_user`) and gets a CSV or XLSX download with an audit row.

Cases, reviews, findings and actions are exported in the columns of their import template, so
an export imports back into another partnership unchanged; every column is one that each role
that sees the list also sees on the record's own page. Identifying details never appear.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse

from safeguarding.core.exports import file_response, table_response, xlsx_bytes
from safeguarding.imports.schema import RecordType, headings


def _names(items: Iterable[Any]) -> str:
    return "; ".join(sorted(str(getattr(i, "name", i)) for i in items))


def _label(choices: Any, value: str) -> str:
    return str(dict(choices.choices).get(value, value)) if value else ""


def case_rows(cases: QuerySet[Any]) -> list[list[Any]]:
    from safeguarding.reviews.models import AbuseCategory, Disability, Ethnicity, Outcome, Sex

    return [
        [
            c.reference,
            c.age_years,
            _label(Sex, c.sex),
            _label(Ethnicity, c.ethnicity),
            _label(Disability, c.disability),
            _label(Outcome, c.outcome),
            _label(AbuseCategory, c.category),
            c.incident_date,
            _names(c.agencies_involved.all()),
        ]
        for c in cases.prefetch_related("agencies_involved")
    ]


def review_rows(reviews: Iterable[Any]) -> list[list[Any]]:
    return [
        [
            r.get_kind_display(),
            r.title,
            r.opened_on,
            r.case.reference if r.case_id else "",
            r.get_status_display(),
            r.completed_on,
            _names(r.agencies.all()),
            r.get_decision_display() if r.decision else "",
            r.decision_on,
            r.sent_to_panel_on,
            r.commissioned_on,
            r.author,
            r.published_on,
        ]
        for r in reviews
    ]


def finding_rows(findings: QuerySet[Any]) -> list[list[Any]]:
    from safeguarding.learning.models import FindingTheme

    tags = FindingTheme.objects.select_related("counts_as")
    return [
        [
            f.review.title,
            f.review.opened_on,
            f.get_kind_display(),
            f.text,
            _names(t.counts_as for t in f.export_tags),
            _names(f.agencies.all()),
            f.source_passage,
        ]
        for f in findings.select_related("review").prefetch_related(
            "agencies", Prefetch("theme_tags", queryset=tags, to_attr="export_tags")
        )
    ]


def action_rows(actions: QuerySet[Any]) -> list[list[Any]]:
    return [
        [
            a.title,
            a.owner_agency.name,
            a.lead,
            a.agreed_on,
            a.due_on,
            a.get_status_display(),
            a.completed_on,
            "\n".join(e.description for e in a.evidence.all()),
            a.description,
            a.review.title if a.review_id else "",
            a.review.opened_on if a.review_id else None,
            a.theme.name if a.theme_id else "",
        ]
        for a in actions.select_related("owner_agency", "review", "theme").prefetch_related(
            "evidence"
        )
    ]


_RECORD_ROWS: dict[str, Any] = {
    RecordType.CASES: case_rows,
    RecordType.REVIEWS: review_rows,
    RecordType.FINDINGS: finding_rows,
    RecordType.ACTIONS: action_rows,
}


def records_response(
    request: HttpRequest, record_type: str, records: Any, fmt: str
) -> HttpResponse:
    """Cases, reviews, findings or actions in the columns of their import template."""
    label = str(RecordType(record_type).label)
    return table_response(
        request,
        header=headings(record_type),
        rows=_RECORD_ROWS[record_type](records),
        filename=record_type,
        fmt=fmt,
        title=label,
    )


def incidents_response(request: HttpRequest, incidents: Any, fmt: str) -> HttpResponse:
    """The incident list's columns: no summary text, which may hold details of the child."""
    header = ["Case reference", "Local authority aware", "Decision", "Notified"]
    rows = [
        [i.case.reference, i.la_aware_on, i.get_decision_display(), i.notified_on]
        for i in incidents
    ]
    return table_response(
        request, header=header, rows=rows, filename="incidents", fmt=fmt, title="Incidents"
    )


PRODUCT_HEADER = [
    "Product",
    "Kind",
    "Issued",
    "Themes",
    "Events delivered",
    "Events planned",
    "Agencies asked for assurance",
]
EVENT_HEADER = ["Product", "Event", "Date", "Status", "Places", "Agencies invited"]


def dissemination_response(
    request: HttpRequest, products: Any, events: Any, fmt: str
) -> HttpResponse:
    """Learning products (and, in the workbook or with ?list=events, their events)."""
    product_rows = [
        [
            p.title,
            p.get_kind_display(),
            p.issued_on,
            _names(p.themes.all()),
            p.delivered,
            p.planned,
            p.agencies_asked,
        ]
        for p in products
    ]
    event_rows = [
        [
            e.product.title,
            e.title,
            e.held_on,
            e.get_status_display(),
            e.capacity,
            _names(e.audience_agencies.all()),
        ]
        for e in events.select_related("product").prefetch_related("audience_agencies")
    ]
    if fmt == "xlsx":
        from safeguarding.audit.models import AuditAction
        from safeguarding.audit.services import audit_record

        content = xlsx_bytes(
            {
                "Learning products": (PRODUCT_HEADER, product_rows),
                "Events": (EVENT_HEADER, event_rows),
            }
        )
        audit_record(
            actor=request.user,
            action=AuditAction.EXPORT,
            summary=f"Exported learning products and events ({len(product_rows)} products, "
            f"{len(event_rows)} events, XLSX)",
        )
        return file_response(content, filename="learning-products", fmt=fmt)
    if request.GET.get("list") == "events":
        return table_response(
            request,
            header=EVENT_HEADER,
            rows=event_rows,
            filename="learning-events",
            fmt=fmt,
            title="Learning events",
        )
    return table_response(
        request,
        header=PRODUCT_HEADER,
        rows=product_rows,
        filename="learning-products",
        fmt=fmt,
        title="Learning products",
    )


def escalations_response(request: HttpRequest, escalations: Any, fmt: str) -> HttpResponse:
    """The register's columns, as the page shows them."""
    header = [
        "Escalation",
        "Child reference",
        "Raised",
        "Raised by",
        "About",
        "Concern",
        "Stage",
        "Status",
        "Stage due",
        "Closed",
    ]
    rows = []
    for e in escalations:
        stage = getattr(e, "stage", None)
        rows.append(
            [
                e.reference,
                getattr(e, "child_reference", ""),
                e.raised_on,
                e.raised_by_agency.name,
                e.about_agency.name,
                e.get_category_display(),
                f"{stage.number}. {stage.name}" if stage is not None else "",
                "Open" if e.is_open else e.get_status_display(),
                getattr(e, "stage_due_on", None),
                getattr(e, "closed_on", None),
            ]
        )
    return table_response(
        request, header=header, rows=rows, filename="escalations", fmt=fmt, title="Escalations"
    )
