"""A log of every import written: what, when, by whom, and the file's fingerprint, so a second
upload of the same file can be recognised and reported."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ImportLog(models.Model):
    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="import_logs"
    )
    record_type = models.CharField(max_length=20)
    file_name = models.CharField(max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, db_index=True)
    rows_written = models.PositiveIntegerField(default=0)
    rows_already_present = models.PositiveIntegerField(default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return f"Import of {self.rows_written} {self.record_type} on {self.imported_at:%d %B %Y}"


class ImportPhase(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    CHECKING = "checking", "Checking the rows"
    WRITING = "writing", "Writing the records"
    DONE = "done", "Finished"
    FAILED = "failed", "Nothing imported"


class ImportJob(models.Model):
    """A large file's import, run on the task queue. The phase and the figures of the checking
    phase are saved here as they change; while the records are written (one transaction that
    holds the database's write lock on SQLite) the figures go to a small progress file instead
    (`imports.progress`). The finished report is kept here; the uploaded file only until the
    import finishes."""

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="import_jobs"
    )
    record_type = models.CharField(max_length=20)
    file_name = models.CharField(max_length=200, blank=True)
    file_size = models.PositiveIntegerField(default=0)
    # Under MEDIA_ROOT (never served); blank once the import has finished and the file is gone.
    stored_name = models.CharField(max_length=200, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    phase = models.CharField(max_length=10, choices=ImportPhase.choices, default=ImportPhase.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_checked = models.PositiveIntegerField(default=0)
    rows_to_write = models.PositiveIntegerField(default=0)
    rows_written = models.PositiveIntegerField(default=0)
    # The finished report: see `imports.jobs.report_to_json`.
    report = models.JSONField(default=dict, blank=True)
    error = models.CharField(max_length=300, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Import of {self.file_name or 'a file'} ({self.get_phase_display()})"

    @property
    def finished(self) -> bool:
        return self.phase in (ImportPhase.DONE, ImportPhase.FAILED)
