"""Statutory clocks, held as data: a change of guidance is a settings change, not a code change."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Case, F, Q, Value, When
from simple_history.models import HistoricalRecords


class ClockKey(models.TextChoices):
    NOTIFICATION = "notification", "Serious incident notification"
    RAPID_REVIEW = "rapid_review", "Rapid review"
    CSPR = "cspr", "Child safeguarding practice review"
    LOCAL_REVIEW = "local_review", "Local learning review"
    ESCALATION_STAGE = "escalation_stage", "Escalation stage"
    ACTION = "action", "Action due date"


class StartEvent(models.TextChoices):
    LA_AWARE = "la_aware", "Date the local authority became aware"
    NOTIFICATION_SENT = "notification_sent", "Date the notification was sent"
    COMMISSIONED = "commissioned", "Date the review was commissioned"
    OPENED = "opened", "Date the review was opened"
    STAGE_ENTERED = "stage_entered", "Date the escalation reached the stage"
    ACTION_AGREED = "action_agreed", "Date the action was agreed"


class ClockUnit(models.TextChoices):
    WORKING_DAYS = "working_days", "working days"
    CALENDAR_DAYS = "calendar_days", "calendar days"
    MONTHS = "months", "months"


class ClockStatus(models.TextChoices):
    ON_TRACK = "on_track", "On track"
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"
    MET = "met", "Met"
    MISSED = "missed", "Missed"
    PAUSED = "paused", "Paused"


class ClockRule(models.Model):
    """How long something may take, counted from which event, and on whose authority."""

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.CASCADE, related_name="clock_rules"
    )
    key = models.CharField(max_length=40, choices=ClockKey.choices)
    name = models.CharField(max_length=120)
    start_event = models.CharField(max_length=40, choices=StartEvent.choices)
    length = models.PositiveIntegerField()
    unit = models.CharField(max_length=20, choices=ClockUnit.choices)
    due_soon_working_days = models.PositiveSmallIntegerField(
        default=3, help_text="Show as due soon this many working days before the due date."
    )
    guidance = models.CharField(max_length=300, help_text="The guidance this clock comes from.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "key"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "key"], name="clockrule_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.length} {self.get_unit_display()}"


class ClockQuerySet(models.QuerySet["Clock"]):
    def with_status(self, today: dt.date) -> ClockQuerySet:
        """Annotate `status`, worked out by the database from the stored dates."""
        return self.annotate(
            status=Case(
                When(
                    stopped_on__isnull=False,
                    variance_working_days__lte=0,
                    then=Value(ClockStatus.MET),
                ),
                When(stopped_on__isnull=False, then=Value(ClockStatus.MISSED)),
                When(paused_since__isnull=False, then=Value(ClockStatus.PAUSED)),
                When(due_on__lt=today, then=Value(ClockStatus.OVERDUE)),
                When(due_soon_from__lte=today, then=Value(ClockStatus.DUE_SOON)),
                default=Value(ClockStatus.ON_TRACK),
                output_field=models.CharField(),
            )
        )

    def running(self) -> ClockQuerySet:
        return self.filter(stopped_on__isnull=True)

    def due_or_overdue(self, today: dt.date) -> ClockQuerySet:
        """Running clocks inside their due-soon window or past due (paused ones are not)."""
        return self.running().filter(due_soon_from__lte=today, paused_since__isnull=True)

    def stopped(self) -> ClockQuerySet:
        return self.filter(stopped_on__isnull=False)

    def met(self) -> ClockQuerySet:
        return self.filter(Q(stopped_on__isnull=False) & Q(variance_working_days__lte=0))

    def soonest_first(self) -> ClockQuerySet:
        return self.order_by(F("due_on").asc(), "pk")


class Clock(models.Model):
    """One running or stopped clock on one record (an incident, a review, later an action)."""

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.CASCADE, related_name="clocks"
    )
    rule = models.ForeignKey(ClockRule, on_delete=models.PROTECT, related_name="clocks")
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    label = models.CharField(max_length=200)
    starts_on = models.DateField()
    due_on = models.DateField()
    due_soon_from = models.DateField()
    paused_working_days = models.PositiveIntegerField(default=0)
    stopped_on = models.DateField(null=True, blank=True)
    # Set while a pause is open: the clock is not running and cannot become overdue.
    paused_since = models.DateField(null=True, blank=True)
    # Working days from the due date to the stop date: negative = early, positive = late.
    variance_working_days = models.IntegerField(null=True, blank=True)

    objects = ClockQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "subject_type", "subject_id"], name="clock_unique_subject"
            )
        ]
        indexes = [models.Index(fields=["partnership", "stopped_on", "due_on"])]

    def __str__(self) -> str:
        return f"{self.rule.name}: {self.label}"

    def get_status_display(self) -> str:
        """The label of the `status` that `ClockQuerySet.with_status` annotates."""
        return str(ClockStatus(self.status).label)  # type: ignore[attr-defined]
