"""Importing a spreadsheet of cases, reviews, findings or actions: all rows or none.

`records_import` reads the file (`reading`), checks every row (`validate`) and, only when there
is no error at all, writes every new row through the apps' services in one transaction, with an
`ImportLog` row and an audit row for the import. A write refused by a model rule rolls the whole
import back and is reported against its row.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

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
logger = logging.getLogger(__name__)


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


# Rows written per bulk step: the progress of a large import moves on after each step.
WRITE_CHUNK = 1000


def records_import(
    *,
    actor: Any,
    partnership: Partnership,
    record_type: str,
    data: bytes,
    file_name: str = "",
    progress: Progress | None = None,
    bulk: bool = True,
) -> ImportReport:
    """Check the whole file, then write all its new rows or none. Never raises for a bad
    file: every problem is in the report.

    `progress(phase, done, total)` is told how far the import has got: ("checking", rows
    checked, rows), then ("writing", 0, rows to write) just before the write transaction opens,
    then ("writing", rows written, rows to write) from inside it. `bulk=False` writes row by
    row through the pages' services (the same records, history and audit rows; slower)."""
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
    total = report.rows
    if progress:
        progress("checking", 0, total)
    checked = validate.validate(
        record_type,
        table.header,
        table.rows,
        partnership,
        progress=(lambda done: progress("checking", done, total)) if progress else None,
    )
    del table
    report.errors, report.already_present = checked.errors, checked.already_present
    if progress:
        progress("checking", total, total)
    if checked.errors:
        return report
    if progress:
        progress("writing", 0, len(checked.rows))
    try:
        report.written = _write(
            actor=actor,
            partnership=partnership,
            record_type=record_type,
            rows=checked.rows,
            report=report,
            digest=digest,
            progress=progress,
            bulk=bulk,
        )
    except _Rollback:
        report.written = 0
    return report


def _row_of(error: Exception, rows: list[validate.ValidRow]) -> int:
    """The spreadsheet row a bulk service's refusal names (by position), else 0."""
    index = getattr(error, "index", None)
    return rows[index].row if isinstance(index, int) and 0 <= index < len(rows) else 0


def _refusal(error: Exception, row: int) -> list[RowError]:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return [
            RowError(row, name.replace("_", " "), "", message)
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    if isinstance(error, ValidationError):
        return [RowError(row, "", "", "; ".join(error.messages))]
    return [RowError(row, "", "", str(error))]


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
    bulk: bool,
) -> int:
    writers.prepare(record_type, partnership)
    if bulk:
        write_many = writers.BULK_WRITERS[record_type]
        for start in range(0, len(rows), WRITE_CHUNK):
            chunk = rows[start : start + WRITE_CHUNK]
            try:
                write_many(actor=actor, partnership=partnership, rows=[r.values for r in chunk])
            except (ValidationError, ActionError, FindingError, ValueError) as error:
                report.errors.extend(_refusal(error, _row_of(error, chunk)))
                raise _Rollback from error  # all or nothing: undo the chunks already written
            except IntegrityError as error:
                # A database rule the checks do not know (say, a record added meanwhile).
                logger.warning("An import was refused by the database: %s", error)
                report.errors.append(
                    RowError(0, "", "", "The database refused the records: nothing was written")
                )
                raise _Rollback from error
            if progress:
                progress("writing", start + len(chunk), len(rows))
    else:
        write = writers.WRITERS[record_type]
        for done, row in enumerate(rows, start=1):
            # A model rule that still refuses a checked row stops the import (a failed
            # statement would spoil the transaction on PostgreSQL anyway).
            try:
                write(actor=actor, partnership=partnership, values=row.values)
            except (ValidationError, ActionError, FindingError, ValueError) as error:
                report.errors.extend(_refusal(error, row.row))
                raise _Rollback from error
            if progress and (done % WRITE_CHUNK == 0 or done == len(rows)):
                progress("writing", done, len(rows))
    written = len(rows)
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
