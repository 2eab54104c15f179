"""Spreadsheet exports: the one formula neutraliser, and CSV/XLSX responses for every list.

Text typed by users goes into these files, and a spreadsheet runs a cell starting with = + - @
(and, in some programs, a tab, a line break, or one of those after spaces) as a formula. Every
text cell loses its control characters first (safeguarding.core.text: a workbook cannot hold
them, and dropping one after the check would uncover `\x01=HYPERLINK(...)`), then gets a
leading apostrophe if it would run, which spreadsheets show as typed and never evaluate. The
importer takes that apostrophe off again (`unneutralise`), so an export imports back unchanged.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from safeguarding.core.text import strip_controls

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\x00")
# The same four after leading spaces (some programs trim them), and their full-width forms
# (an East Asian input method types those, and Excel reads them as the ASCII ones).
_FORMULA_SIGNS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


def _would_run(text: str) -> bool:
    return text.startswith(FORMULA_STARTS) or text.lstrip().startswith(_FORMULA_SIGNS)


def neutralise(value: Any) -> Any:
    """A cell value that a spreadsheet shows as typed and never evaluates: text without
    control characters, then an apostrophe in front if it would run. Numbers and dates pass
    unchanged."""
    if not isinstance(value, str):
        return value
    # Strip first: stripping after the check would turn "\x01=..." into a live "=...".
    text = strip_controls(value)
    return "'" + text if _would_run(text) else text


def unneutralise(text: str) -> str:
    """The text as typed, from a cell that `neutralise` wrote."""
    if text.startswith("'") and _would_run(text[1:]):
        return text[1:]
    return text


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | dt.date):
        return value
    return neutralise(str(value))


def csv_bytes(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 CSV with a byte order mark (so Excel reads the accents right)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_plain(v) for v in header])
    for row in rows:
        writer.writerow(
            [v.isoformat() if isinstance(v, dt.date) else v for v in (_plain(c) for c in row)]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(sheets: dict[str, tuple[Sequence[Any], Iterable[Sequence[Any]]]]) -> bytes:
    """One worksheet per entry (title -> (header, rows)); the header bold and frozen."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    cell = _plain  # text cells come out of neutralise() without control characters

    book = Workbook()
    first = book.active
    if first is not None:
        book.remove(first)
    for title, (header, rows) in sheets.items():
        sheet = book.create_sheet(title=title[:31])
        sheet.append([cell(v) for v in header])
        for c in sheet[1]:
            c.font = Font(bold=True)
        for row in rows:
            sheet.append([cell(v) for v in row])
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def requested_format(request: HttpRequest) -> str | None:
    """ "csv" or "xlsx" when the list page was asked for a download (`?format=`)."""
    fmt = request.GET.get("format")
    return fmt if fmt in FORMATS else None


def file_response(content: bytes, *, filename: str, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CSV_TYPE if fmt == "csv" else XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


def table_response(
    request: HttpRequest,
    *,
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    filename: str,
    fmt: str,
    title: str,
) -> HttpResponse:
    """A list as a CSV or XLSX download, with the audit row that says who took it."""
    from safeguarding.audit.models import AuditAction
    from safeguarding.audit.services import audit_record

    rows = list(rows)
    content = csv_bytes(header, rows) if fmt == "csv" else xlsx_bytes({title: (header, rows)})
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        summary=f"Exported {title.lower()} ({len(rows)} rows, {fmt.upper()})",
        changes={"query": [None, request.GET.urlencode()]},
    )
    return file_response(content, filename=filename, fmt=fmt)
