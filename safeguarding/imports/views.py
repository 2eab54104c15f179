"""The import page (business unit only) and the template downloads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_safe

from safeguarding.accounts import access
from safeguarding.accounts.access import AuthenticatedHttpRequest
from safeguarding.core.exports import FORMATS, csv_bytes, file_response, xlsx_bytes
from safeguarding.core.forms import posted
from safeguarding.imports.forms import ImportForm
from safeguarding.imports.schema import COLUMNS, RecordType
from safeguarding.imports.services import records_import

# Rows of problems shown on the page; the command line prints them all.
SHOWN_ERRORS = 500


def _require_business_unit(user: access.AnyUser) -> None:
    access.require(access.can_user_manage_partnership(user))


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_business_unit(request.user)
    partnership = access.get_partnership_for_user(request.user)
    form = ImportForm(posted(request), request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = records_import(
            actor=request.user,
            partnership=partnership,
            record_type=form.cleaned_data["record_type"],
            data=upload.read(),
            file_name=upload.name or "",
        )
        file_errors = [e for e in report.errors if e.row == 0]
        for error in file_errors:
            form.add_error("file", error.reason)
        row_errors = len(report.errors) - len(file_errors)
        if row_errors:
            form.add_error(
                None,
                f"The file has {row_errors} problem{'s' if row_errors != 1 else ''}: nothing "
                "was imported. Fix them (see the table below) and upload the file again.",
            )
    return render(
        request,
        "imports/import.html",
        {
            "form": form,
            "report": report,
            "row_errors": [e for e in report.errors if e.row][:SHOWN_ERRORS] if report else [],
            "shown_errors": SHOWN_ERRORS,
            "templates": [(value, label, COLUMNS[value]) for value, label in RecordType.choices],
        },
        status=200,
    )


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
