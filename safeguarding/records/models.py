"""The retention schedule (how long each kind of record is kept) and legal holds.

Each partnership has one `RetentionRule` per `RecordType`: a period in years counted from a
date that depends on the type (see `FROM_DATES`). `apply_retention` disposes of records past
their period. A `LegalHold` on a case or a review stops the disposal of it and of everything
under it until the business unit lifts the hold.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class RecordType(models.TextChoices):
    CASE = "case", "Cases, with their incidents, reviews, findings and actions"
    INCIDENT = "incident", "Incidents not notified to the national Panel"
    EVIDENCE_FILE = "evidence_file", "Files uploaded as evidence for actions"
    IMPORT_LOG = "import_log", "Import logs"
    REPORT_FILE = "report_file", "Generated files of report versions never published"


# What each period is counted from: shown on the retention page and in the docs.
FROM_DATES: dict[str, str] = {
    RecordType.CASE: (
        "the case's last activity: the latest date recorded on the case, its incidents, its "
        "reviews (opened, decided, completed, published) and their actions; never while a "
        "review is in progress or paused, an action is open or a notification is undecided"
    ),
    RecordType.INCIDENT: (
        "the date the local authority became aware, for an incident decided as not to be "
        "notified that led to no review (its case goes with it when it holds nothing else)"
    ),
    RecordType.EVIDENCE_FILE: "the date the action was completed (open actions keep theirs)",
    RecordType.IMPORT_LOG: "the date of the import",
    RecordType.REPORT_FILE: (
        "the date the version was issued (published versions keep their files while their "
        "report is kept)"
    ),
}

# A starting point for the partnership's information governance lead, not legal advice.
DEFAULT_YEARS: dict[str, int] = {
    RecordType.CASE: 15,
    RecordType.INCIDENT: 7,
    RecordType.EVIDENCE_FILE: 6,
    RecordType.IMPORT_LOG: 2,
    RecordType.REPORT_FILE: 2,
}


class RetentionRule(models.Model):
    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.CASCADE, related_name="retention_rules"
    )
    record_type = models.CharField(max_length=20, choices=RecordType.choices)
    years = models.PositiveSmallIntegerField(
        "period in years",
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Whole years, from 1 to 100.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "record_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "record_type"], name="retentionrule_unique_type"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_record_type_display()}: {self.years} years"

    @property
    def counted_from(self) -> str:
        return FROM_DATES[self.record_type]


class LegalHoldQuerySet(models.QuerySet["LegalHold"]):
    def active(self) -> LegalHoldQuerySet:
        return self.filter(lifted_at__isnull=True)


class LegalHold(models.Model):
    """A hold on a case or a review: nothing under it is disposed of until it is lifted."""

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="legal_holds"
    )
    case = models.ForeignKey(
        "reviews.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="holds"
    )
    review = models.ForeignKey(
        "reviews.Review", on_delete=models.PROTECT, null=True, blank=True, related_name="holds"
    )
    reason = models.TextField()
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    placed_at = models.DateTimeField()
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    objects = LegalHoldQuerySet.as_manager()

    class Meta:
        ordering = ["-placed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False, review__isnull=True)
                | Q(case__isnull=True, review__isnull=False),
                name="legalhold_on_case_or_review",
            )
        ]

    def __str__(self) -> str:
        return f"Legal hold on {self.subject}"

    @property
    def subject(self) -> models.Model:
        return self.case if self.case_id else self.review  # type: ignore[return-value]

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None
