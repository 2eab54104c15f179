"""Recommendations and the actions that answer them, with the evidence that closes them.

An action belongs to one owner agency, has a named lead and a due date, and runs a `core.Clock`
(rule key "action") so it shows on the dashboard and in the reminders like every other clock.
It can link to the recommendation, review, finding, theme and the partnership's response to a
theme (`learning.ThemeResponse`, related name "actions") that it answers. Nothing is completed
without evidence: `services.action_set_status` refuses it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import PurePosixPath
from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models import Case, Count, F, OuterRef, Q, Subquery, Value, When
from simple_history.models import HistoricalRecords

from safeguarding.actionplans.storage import evidence_storage


class Recommendation(models.Model):
    """A recommendation of a review (or of the partnership) that actions answer."""

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="recommendations"
    )
    review = models.ForeignKey(
        "reviews.Review",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendations",
    )
    finding = models.ForeignKey(
        "learning.Finding",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendations",
    )
    theme = models.ForeignKey(
        "learning.Theme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendations",
    )
    title = models.CharField(max_length=200)
    text = models.TextField("recommendation")
    made_on = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-made_on", "pk"]

    def __str__(self) -> str:
        return self.title


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"


class ActionQuerySet(models.QuerySet["Action"]):
    def open(self) -> ActionQuerySet:
        return self.exclude(status=ActionStatus.COMPLETED)

    def overdue(self, today: dt.date) -> ActionQuerySet:
        return self.open().filter(due_on__lt=today)

    def with_evidence_count(self) -> ActionQuerySet:
        return self.annotate(evidence_count=Count("evidence", distinct=True))

    def with_timeliness(self, today: dt.date) -> ActionQuerySet:
        """Annotate `timeliness`, a `ClockStatus` value worked out by the database from the
        action's dates and its clock's due-soon date."""
        from django.contrib.contenttypes.models import ContentType

        from safeguarding.core.models import Clock, ClockStatus

        clock = Clock.objects.filter(
            subject_type=ContentType.objects.get_for_model(Action), subject_id=OuterRef("pk")
        )
        return self.annotate(
            due_soon_from=Subquery(clock.values("due_soon_from")[:1]),
            timeliness=Case(
                When(
                    status=ActionStatus.COMPLETED,
                    completed_on__lte=F("due_on"),
                    then=Value(ClockStatus.MET),
                ),
                When(status=ActionStatus.COMPLETED, then=Value(ClockStatus.MISSED)),
                When(due_on__lt=today, then=Value(ClockStatus.OVERDUE)),
                When(due_soon_from__lte=today, then=Value(ClockStatus.DUE_SOON)),
                default=Value(ClockStatus.ON_TRACK),
                output_field=models.CharField(),
            ),
        )

    def status_counts(self) -> dict[str, int]:
        """Counts by status, every status listed, worked out by the database."""
        found = dict(self.values_list("status").annotate(n=Count("pk")).order_by())
        return {str(label): found.get(value, 0) for value, label in ActionStatus.choices}


class Action(models.Model):
    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="actions"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="actions"
    )
    lead = models.CharField(
        "lead", max_length=200, help_text="The person who leads the action, with their role."
    )
    agreed_on = models.DateField("date agreed")
    due_on = models.DateField("due date")
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    completed_on = models.DateField(null=True, blank=True)
    progress_note = models.TextField(blank=True)
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    review = models.ForeignKey(
        "reviews.Review", on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    finding = models.ForeignKey(
        "learning.Finding", on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    theme = models.ForeignKey(
        "learning.Theme", on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    theme_response = models.ForeignKey(
        "learning.ThemeResponse",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        help_text="The partnership's response to a theme that this action carries out.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["partnership", "owner_agency", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("agreed_on")), name="action_due_after_agreed"
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_on__isnull=False),
                name="action_completed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_completed(self) -> bool:
        return self.status == ActionStatus.COMPLETED

    def get_timeliness_display(self) -> str:
        """The label of the `timeliness` that `ActionQuerySet.with_timeliness` annotates."""
        from safeguarding.core.models import ClockStatus

        return str(ClockStatus(self.timeliness).label)  # type: ignore[attr-defined]


class EvidenceKind(models.TextChoices):
    NOTE = "note", "Note"
    FILE = "file", "File"
    LINK = "link", "Link"


def evidence_upload_to(instance: EvidenceItem, filename: str) -> str:
    # A random name: the stored path never carries the uploader's file name, and nothing under
    # MEDIA_ROOT is served except through the access-checked download view.
    suffix = PurePosixPath(filename).suffix.lower()
    return f"evidence/{instance.action.partnership_id}/{uuid4().hex}{suffix}"


class EvidenceItem(models.Model):
    """One piece of evidence for an action: a note, an uploaded file or a link."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(max_length=10, choices=EvidenceKind.choices)
    description = models.TextField()
    file = models.FileField(
        upload_to=evidence_upload_to, storage=evidence_storage, blank=True, max_length=200
    )
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    url = models.URLField("link", blank=True, max_length=500)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="link") | ~Q(url=""), name="evidence_link_has_url"
            ),
            models.CheckConstraint(
                condition=~Q(kind="file") | ~Q(file=""), name="evidence_file_has_file"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description[:60]}"

    @property
    def partnership(self) -> object:
        # For the audit row (core.history looks for `partnership`).
        return self.action.partnership


class ReminderThreshold(models.TextChoices):
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"


class ReminderSent(models.Model):
    """A reminder e-mail about one clock at one threshold to one person: sent once only."""

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.CASCADE, related_name="+"
    )
    clock = models.ForeignKey("core.Clock", on_delete=models.CASCADE, related_name="reminders")
    threshold = models.CharField(max_length=20, choices=ReminderThreshold.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    email = models.EmailField()
    due_on = models.DateField()
    label = models.CharField(max_length=200)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["clock", "threshold", "recipient"], name="reminder_once_per_threshold"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_threshold_display()} reminder to {self.email}: {self.label}"
