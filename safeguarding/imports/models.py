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
