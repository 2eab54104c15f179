"""Importing a spreadsheet of cases, reviews, findings or actions: all rows or none.

`records_import` reads the file (`reading`), checks every row (`validate`) and, only when there
is no error at all, writes every new row through the apps' services in one transaction, with an
`ImportLog` row and an audit row for the import. A write refused by a model rule rolls the whole
import back and is reported against its row.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from safeguarding.accounts.models import Partnership
from safeguarding.actionplans.services import ActionError
from safeguarding.audit.models import AuditAction
from safeguarding.audit.services import audit_record
from safeguarding.imports import reading, validate, writers
from safeguarding.imports.models import ImportLog
from safeguarding.imports.schema import RecordType
from safeguarding.imports.validate import RowError
from safeguarding.learning.services import FindingError

Progress = Callable[[str, int, int], None]


@dataclass
class ImportReport:
    record_type: str
    file_name: str = ""
    file_type: str = ""
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    already_present: list[int] = field(default_factory=list)
    written: int = 0
    previous: ImportLog | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def label(self) -> str:
        return str(RecordType(self.record_type).label).lower()

    def lines(self) -> list[str]:
        """The report as text, for the command line."""
        out = [f"{self.file_name or 'File'}: {self.rows} row(s) of {self.label}"]
        if self.previous is not None:
            out.append(
                f"This file was imported before, on {self.previous.imported_at:%d %B %Y %H:%M}"
            )
        if self.errors:
            out.append(f"{len(self.errors)} problem(s); nothing was written:")
            out.append("row\tcolumn\tvalue\treason")
            for e in self.errors:
                out.append(f"{e.row or '-'}\t{e.column}\t{e.value}\t{e.reason}")
        else:
            out.append(f"Written: {self.written}")
            out.append(f"Already present (left unchanged): {len(self.already_present)}")
        return out


class _Rollback(Exception):
    pass


def file_error(record_type: str, file_name: str, message: str) -> ImportReport:
    return ImportReport(
        record_type=record_type, file_name=file_name, errors=[RowError(0, "", "", message)]
    )


def records_import(
    *,
    actor: Any,
    partnership: Partnership,
    record_type: str,
    data: bytes,
    file_name: str = "",
    progress: Progress | None = None,
) -> ImportReport:
    """Check the whole file, then write all its new rows or none. Never raises for a bad
    file: every problem is in the report."""
    if record_type not in RecordType.values:
        return file_error(record_type, file_name, "Choose what the file holds")
    report = ImportReport(record_type=record_type, file_name=file_name[:200])
    try:
        table = reading.read_table(data)
    except reading.ImportFileError as error:
        report.errors.append(RowError(0, "", "", str(error)))
        return report
    report.file_type, report.rows = table.file_type, len(table.rows)
    digest = hashlib.sha256(data).hexdigest()
    report.previous = ImportLog.objects.filter(
        partnership=partnership, record_type=record_type, sha256=digest
    ).first()
    if progress:
        progress("checking", 0, report.rows)
    checked = validate.validate(record_type, table.header, table.rows, partnership)
    report.errors, report.already_present = checked.errors, checked.already_present
    if progress:
        progress("checking", report.rows, report.rows)
    if checked.errors:
        return report
    try:
        report.written = _write(
            actor=actor,
            partnership=partnership,
            record_type=record_type,
            rows=checked.rows,
            report=report,
            digest=digest,
            progress=progress,
        )
    except _Rollback:
        report.written = 0
    return report


@transaction.atomic
def _write(
    *,
    actor: Any,
    partnership: Partnership,
    record_type: str,
    rows: list[validate.ValidRow],
    report: ImportReport,
    digest: str,
    progress: Progress | None,
) -> int:
    checked_rows = rows
    write = writers.WRITERS[record_type]
    writers.prepare(record_type, partnership)
    if record_type in writers.BULK_WRITERS and rows:
        try:
            writers.BULK_WRITERS[record_type](
                actor=actor, partnership=partnership, rows=[r.values for r in rows]
            )
        except ValidationError as error:
            report.errors.append(RowError(0, "", "", "; ".join(error.messages)))
            raise _Rollback from error
        rows = []  # written
    for done, row in enumerate(rows, start=1):
        # Rows were checked already; a model rule that still refuses one stops the import
        # (a failed statement would spoil the transaction on PostgreSQL anyway).
        try:
            write(actor=actor, partnership=partnership, values=row.values)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    report.errors.append(RowError(row.row, name.replace("_", " "), "", message))
        except (ActionError, FindingError, ValueError) as error:
            report.errors.append(RowError(row.row, "", "", str(error)))
        if report.errors:
            break
        if progress and done % 500 == 0:
            progress("writing", done, len(rows))
    if report.errors:
        raise _Rollback  # all or nothing: undo the rows already written
    written = len(checked_rows)
    if written or report.already_present:
        log = ImportLog.objects.create(
            partnership=partnership,
            record_type=record_type,
            file_name=report.file_name,
            sha256=digest,
            rows_written=written,
            rows_already_present=len(report.already_present),
            imported_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            summary=f"Imported {written} {report.label} from {report.file_name or 'a file'}",
            obj=log,
            partnership=partnership,
            changes={"written": [0, written], "already_present": [0, len(report.already_present)]},
        )
    return written
