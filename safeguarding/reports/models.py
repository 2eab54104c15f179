"""Issued reports and their history.

A `Report` is one report the business unit keeps: a scrutiny report for a period and filters
(with its introduction), or the learning brief of one review (with its summary and questions for
practitioners). Each time it is generated a new, immutable `ReportVersion` is issued, numbered
1, 2, ... within the report, recording who issued it and the period, filters and text it was
made from. A version holds two renditions as `ReportFile`s: the draft (full figures) and the
public one (small numbers suppressed), each as Word, PDF and HTML. Publishing marks a version
published after the identifying-details check has passed on its public rendition.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class ReportKind(models.TextChoices):
    SCRUTINY = "scrutiny", "Scrutiny report"
    BRIEF = "brief", "Learning brief"


class Generation(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being generated"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


class Rendition(models.TextChoices):
    DRAFT = "draft", "Draft (full figures)"
    PUBLIC = "public", "Public (small numbers suppressed)"


class FileFormat(models.TextChoices):
    DOCX = "docx", "Word"
    PDF = "pdf", "PDF"
    HTML = "html", "HTML"


CONTENT_TYPES = {
    FileFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileFormat.PDF: "application/pdf",
    FileFormat.HTML: "text/html; charset=utf-8",
}


class Report(models.Model):
    """A report the partnership issues versions of; its editable text is kept here."""

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="reports"
    )
    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    title = models.CharField(max_length=200)
    # Scrutiny reports: the period and filters that identify the report.
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    review_kinds = models.JSONField(default=list, blank=True)
    agency_ids = models.JSONField(default=list, blank=True)
    introduction = models.TextField(blank=True)
    # Learning briefs: the review, and the brief's own text.
    review = models.OneToOneField(
        "reviews.Review",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="learning_brief",
    )
    summary = models.TextField(blank=True)
    questions = models.TextField("questions for practitioners", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="brief", review__isnull=False)
                | Q(kind="scrutiny", period_start__isnull=False, period_end__isnull=False),
                name="report_kind_has_subject",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ReportVersionQuerySet(models.QuerySet["ReportVersion"]):
    def published(self) -> ReportVersionQuerySet:
        return self.filter(published_at__isnull=False)

    def ready(self) -> ReportVersionQuerySet:
        return self.filter(generation=Generation.DONE)


class ReportVersion(models.Model):
    """One issued version: immutable once generated, apart from being marked published."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True)
    # What it was made from, as it was when issued.
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    filters = models.JSONField(default=dict, blank=True)
    filters_label = models.CharField(max_length=500, blank=True)
    text = models.JSONField(
        default=dict, blank=True, help_text="The report's editable text when it was issued."
    )
    # Generation, run as a background task; the progress page reads these.
    generation = models.CharField(
        max_length=10, choices=Generation.choices, default=Generation.QUEUED
    )
    step = models.PositiveSmallIntegerField(default=0)
    step_label = models.CharField(max_length=100, blank=True)
    error = models.CharField(max_length=300, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The public rendition's text as (where, text) pairs: what the publication check reads.
    public_text = models.JSONField(default=list, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["public_text", "step", "step_label"])

    objects = ReportVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="reportversion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.report.title}, version {self.number}"

    @property
    def partnership(self) -> models.Model:
        return self.report.partnership

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_ready(self) -> bool:
        return self.generation == Generation.DONE

    @property
    def status_label(self) -> str:
        return "Published" if self.is_published else "Draft"

    @property
    def period_too_short_to_publish(self) -> bool:
        """A scrutiny report of under three months: drafted only, never published (see
        ``suppression.public_period_too_short``)."""
        from safeguarding.reports.suppression import public_period_too_short

        if self.period_start is None or self.period_end is None:
            return False
        return public_period_too_short(self.period_start, self.period_end)


class ReportFile(models.Model):
    """One generated file of a version, kept in the database (the app servers keep no state)."""

    version = models.ForeignKey(ReportVersion, on_delete=models.PROTECT, related_name="files")
    rendition = models.CharField(max_length=10, choices=Rendition.choices)
    format = models.CharField(max_length=10, choices=FileFormat.choices)
    content = models.BinaryField()
    size = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["version", "rendition", "format"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "rendition", "format"], name="reportfile_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version} ({self.rendition}, {self.format})"

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[FileFormat(self.format)]
