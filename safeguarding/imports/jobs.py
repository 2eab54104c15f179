"""Large imports on the task queue, with their progress for the progress page.

`import_job_start` keeps the upload (see `progress.py`), records an `ImportJob` and puts
`tasks.run_import` on the queue (`SRH_TASK_QUEUE`: the database queue that `manage.py
db_worker` runs, or at once within the request with the immediate backend, as in the tests).
`run_import_job` is the task's body: it runs `services.records_import` (all rows or none, as
the page always has) and tells the job how far it has got; when it finishes, the report is kept
on the job and the upload and the progress file are deleted.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

from django.conf import settings
from django.utils import timezone

from safeguarding.accounts.models import Partnership
from safeguarding.imports.models import ImportJob, ImportLog, ImportPhase
from safeguarding.imports.progress import (
    progress_read,
    progress_remove,
    progress_write,
    upload_read,
    upload_remove,
    upload_save,
)
from safeguarding.imports.services import ImportReport, records_import
from safeguarding.imports.validate import RowError

logger = logging.getLogger(__name__)

# A finished job (its report holds cell values of the file) is deleted after this many days,
# when the partnership next starts an import.
KEPT_DAYS = 30
# Problems kept with a finished job (the page shows this many; the command line shows all).
KEPT_ERRORS = 500
FAULT = (
    "The import stopped because of a fault in the system: nothing was written. Upload the file "
    "again; if it happens again, tell the system's administrators."
)


def sync_limit() -> int:
    """Files up to this size are imported within the request (a second or so); larger ones go
    to the task queue with a progress page."""
    return int(getattr(settings, "SRH_IMPORT_SYNC_MAX_BYTES", 100 * 1024))


def import_job_start(
    *, actor: Any, partnership: Partnership, record_type: str, data: bytes, file_name: str
) -> ImportJob:
    ImportJob.objects.filter(
        partnership=partnership, finished_at__lt=timezone.now() - dt.timedelta(days=KEPT_DAYS)
    ).delete()
    stored_name = f"{uuid.uuid4().hex}.upload"
    upload_save(stored_name, data)
    job = ImportJob.objects.create(
        partnership=partnership,
        record_type=record_type,
        file_name=file_name[:200],
        file_size=len(data),
        stored_name=stored_name,
        started_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    from safeguarding.imports.tasks import run_import

    run_import.enqueue(job.pk)
    # A backend that runs the task at once has changed the row since.
    job.refresh_from_db()
    return job


def recent_jobs(partnership: Partnership, limit: int = 5) -> list[ImportJob]:
    return list(ImportJob.objects.filter(partnership=partnership)[:limit])


def run_import_job(job_id: int) -> None:
    """Import a queued job's file. Never leaves the job running: a fault marks it failed."""
    job = ImportJob.objects.select_related("partnership", "started_by").filter(pk=job_id).first()
    if job is None or job.phase != ImportPhase.QUEUED:
        return

    def save(**fields: Any) -> None:
        for name, value in fields.items():
            setattr(job, name, value)
        ImportJob.objects.filter(pk=job.pk).update(**fields)

    def on_progress(phase: str, done: int, total: int) -> None:
        if phase == "checking":
            save(phase=ImportPhase.CHECKING, rows_total=total, rows_checked=done)
        elif done == 0:
            # Saved before the write transaction opens; from here on, the progress file.
            save(phase=ImportPhase.WRITING, rows_to_write=total, rows_written=0)
            progress_write(job.pk, {"rows_written": 0, "rows_to_write": total})
        else:
            progress_write(job.pk, {"rows_written": done, "rows_to_write": total})

    try:
        save(phase=ImportPhase.CHECKING)
        report = records_import(
            actor=job.started_by,
            partnership=job.partnership,
            record_type=job.record_type,
            data=upload_read(job.stored_name),
            file_name=job.file_name,
            progress=on_progress,
        )
        job.report = report_to_json(report)
        job.phase = ImportPhase.DONE if report.ok else ImportPhase.FAILED
        job.rows_total = report.rows
        job.rows_checked = report.rows if not any(e.row == 0 for e in report.errors) else 0
        job.rows_written = report.written
    except Exception:
        logger.exception("Import job %s failed", job_id)
        job.phase, job.error, job.rows_written = ImportPhase.FAILED, FAULT, 0
    finally:
        upload_remove(job.stored_name)
        progress_remove(job.pk)
        job.stored_name = ""
        job.finished_at = timezone.now()
        job.save()


def job_progress(job: ImportJob) -> dict[str, Any]:
    """How far the job has got, for the page and its polling script: the job's row, and while
    the records are written the progress file."""
    figures = {
        "rows_total": job.rows_total,
        "rows_checked": job.rows_checked,
        "rows_to_write": job.rows_to_write,
        "rows_written": job.rows_written,
    }
    if job.phase == ImportPhase.WRITING:
        found = progress_read(job.pk) or {}
        for name in ("rows_written", "rows_to_write"):
            if isinstance(found.get(name), int):
                figures[name] = found[name]
    if job.phase == ImportPhase.QUEUED:
        message = "Waiting to start: the import begins as soon as the server is free."
    elif job.phase == ImportPhase.CHECKING and not job.rows_total:
        message = "Reading the file."
    elif job.phase == ImportPhase.CHECKING:
        message = f"Checking the rows: {figures['rows_checked']:,} of {job.rows_total:,} checked."
    elif job.phase == ImportPhase.WRITING:
        message = (
            f"Writing the records: {figures['rows_written']:,} of "
            f"{figures['rows_to_write']:,} written."
        )
    elif job.phase == ImportPhase.DONE:
        message = "Finished."
    else:
        message = job.error or "Nothing was imported: see the problems below."
    return {
        "phase": job.phase,
        "label": job.get_phase_display(),
        "finished": job.finished,
        "message": message,
        **figures,
    }


def report_to_json(report: ImportReport) -> dict[str, Any]:
    return {
        "record_type": report.record_type,
        "file_name": report.file_name,
        "file_type": report.file_type,
        "rows": report.rows,
        "written": report.written,
        "already_present": report.already_present,
        "error_count": len(report.errors),
        "errors": [[e.row, e.column, e.value, e.reason] for e in report.errors[:KEPT_ERRORS]],
        "previous": report.previous.pk if report.previous else None,
    }


def report_from_json(job: ImportJob) -> tuple[ImportReport, int]:
    """The finished job's report, and how many problems it had (only the first `KEPT_ERRORS`
    are kept)."""
    data = job.report or {}
    report = ImportReport(
        record_type=data.get("record_type", job.record_type),
        file_name=data.get("file_name", job.file_name),
        file_type=data.get("file_type", ""),
        rows=data.get("rows", 0),
        errors=[RowError(*e) for e in data.get("errors", [])],
        already_present=list(data.get("already_present", [])),
        written=data.get("written", 0),
    )
    if data.get("previous"):
        report.previous = ImportLog.objects.filter(
            pk=data["previous"], partnership=job.partnership_id
        ).first()
    if job.error and not report.errors:
        report.errors.append(RowError(0, "", "", job.error))
    return report, max(data.get("error_count", 0), len(report.errors))
