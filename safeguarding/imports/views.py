"""The import page (business unit only), the progress page of a large import and the template
downloads."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from safeguarding.accounts import access
from safeguarding.accounts.access import AuthenticatedHttpRequest
from safeguarding.core.exports import FORMATS, csv_bytes, file_response, xlsx_bytes
from safeguarding.core.forms import posted
from safeguarding.imports import jobs
from safeguarding.imports.forms import ImportForm
from safeguarding.imports.models import ImportJob
from safeguarding.imports.schema import COLUMNS, RecordType
from safeguarding.imports.services import ImportReport, records_import

# Rows of problems shown on the page; the command line prints them all.
SHOWN_ERRORS = jobs.KEPT_ERRORS


def _require_business_unit(user: access.AnyUser) -> None:
    access.require(access.can_user_manage_partnership(user))


def _problems(report: ImportReport, count: int | None = None) -> str:
    count = len([e for e in report.errors if e.row]) if count is None else count
    return (
        f"The file has {count} problem{'s' if count != 1 else ''}: nothing was imported. Fix "
        "them (see the table below) and upload the file again."
    )


def _report_context(report: ImportReport | None, error_count: int = 0) -> dict[str, Any]:
    row_errors = [e for e in report.errors if e.row][:SHOWN_ERRORS] if report else []
    return {
        "report": report,
        "row_errors": row_errors,
        "error_count": max(error_count, len(report.errors) if report else 0),
        "shown_errors": SHOWN_ERRORS,
    }


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_business_unit(request.user)
    partnership = access.get_partnership_for_user(request.user)
    form = ImportForm(posted(request), request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        if len(data) > jobs.sync_limit():
            job = jobs.import_job_start(
                actor=request.user,
                partnership=partnership,
                record_type=form.cleaned_data["record_type"],
                data=data,
                file_name=upload.name or "",
            )
            return redirect("imports:job", pk=job.pk)
        report = records_import(
            actor=request.user,
            partnership=partnership,
            record_type=form.cleaned_data["record_type"],
            data=data,
            file_name=upload.name or "",
        )
        for error in report.errors:
            if error.row == 0:
                form.add_error("file", error.reason)
        if any(e.row for e in report.errors):
            form.add_error(None, _problems(report))
    return render(
        request,
        "imports/import.html",
        {
            "form": form,
            **_report_context(report),
            "recent_jobs": jobs.recent_jobs(partnership),
            "templates": [(value, label, COLUMNS[value]) for value, label in RecordType.choices],
        },
    )


def _job_for(user: access.AnyUser, pk: int) -> ImportJob:
    """The business unit's own partnership's import; another partnership's is not found."""
    _require_business_unit(user)
    job = ImportJob.objects.filter(pk=pk, partnership=access.get_partnership_for_user(user))
    found = job.select_related("partnership").first()
    if found is None:
        raise Http404
    return found


# Not in a request-long transaction: on SQLite that would wait for the write lock an import
# holds while it writes. These pages only read.
@transaction.non_atomic_requests
@login_required
@require_safe
def job_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request.user, pk)
    report, error_count = jobs.report_from_json(job) if job.finished else (None, 0)
    row_count = len([e for e in report.errors if e.row]) if report else 0
    return render(
        request,
        "imports/job.html",
        {
            "job": job,
            "record_label": RecordType(job.record_type).label,
            "progress": jobs.job_progress(job),
            "file_errors": [e for e in report.errors if not e.row] if report else [],
            "problems": _problems(report, error_count) if report and row_count else "",
            **_report_context(report, error_count),
        },
    )


@transaction.non_atomic_requests
@login_required
@require_safe
def job_progress(request: AuthenticatedHttpRequest, pk: int) -> JsonResponse:
    """The progress the page polls (static JS; without it the page refreshes itself)."""
    response = JsonResponse(jobs.job_progress(_job_for(request.user, pk)))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_safe
def template_download(
    request: AuthenticatedHttpRequest, record_type: str, fmt: str
) -> HttpResponse:
    _require_business_unit(request.user)
    if record_type not in RecordType.values or fmt not in FORMATS:
        raise Http404
    columns = COLUMNS[record_type]
    header = [c.heading for c in columns]
    example = [c.example for c in columns]
    if fmt == "csv":
        content = csv_bytes(header, [example])
    else:
        content = xlsx_bytes({str(RecordType(record_type).label): (header, [example])})
    return file_response(content, filename=f"import-template-{record_type}", fmt=fmt)
