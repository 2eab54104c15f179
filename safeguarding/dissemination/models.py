"""Learning into practice: the products that carry learning, the events that deliver it, how far
it reached each agency's workforce, and the assurance chain that shows whether it changed
practice and outcomes (the gap the seed report names in 3.5).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class ProductKind(models.TextChoices):
    LEARNING_BRIEF = "learning_brief", "Learning brief"
    SEVEN_MINUTE = "seven_minute", "7-minute briefing"
    TRAINING_UPDATE = "training_update", "Training update"
    PRESENTATION = "presentation", "Presentation"
    PRACTITIONER_SESSION = "practitioner_session", "Practitioner session"
    MASTERCLASS = "masterclass", "Masterclass"
    NEWSLETTER = "newsletter", "Newsletter item"


class LearningProduct(models.Model):
    """One piece of learning put out to the partnership: a brief, a session, a masterclass..."""

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="learning_products"
    )
    kind = models.CharField(max_length=30, choices=ProductKind.choices)
    title = models.CharField(max_length=200)
    summary = models.TextField()
    issued_on = models.DateField("date issued", null=True, blank=True)
    reviews = models.ManyToManyField("reviews.Review", blank=True, related_name="learning_products")
    themes = models.ManyToManyField("learning.Theme", blank=True, related_name="learning_products")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(m2m_fields=[reviews, themes])

    class Meta:
        ordering = ["-issued_on", "title"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class EventStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    DELIVERED = "delivered", "Delivered"
    CANCELLED = "cancelled", "Cancelled"


class LearningEvent(models.Model):
    """A session, presentation or meeting that delivers a product to an audience."""

    product = models.ForeignKey(LearningProduct, on_delete=models.PROTECT, related_name="events")
    title = models.CharField(max_length=200)
    held_on = models.DateField("date")
    status = models.CharField(
        max_length=20, choices=EventStatus.choices, default=EventStatus.PLANNED
    )
    capacity = models.PositiveIntegerField(
        "places", null=True, blank=True, help_text="How many people the session can take."
    )
    audience_agencies = models.ManyToManyField(
        "accounts.Agency", related_name="learning_events", help_text="Agencies invited."
    )
    history = HistoricalRecords(m2m_fields=[audience_agencies])

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%-d %B %Y})"

    @property
    def partnership_id(self) -> int:
        return self.product.partnership_id

    @property
    def partnership(self) -> object:
        return self.product.partnership


class Attendance(models.Model):
    """How many of one agency's staff attended one event."""

    event = models.ForeignKey(LearningEvent, on_delete=models.PROTECT, related_name="attendance")
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="attendance"
    )
    attendees = models.PositiveIntegerField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "agency"], name="attendance_once_per_agency")
        ]

    def __str__(self) -> str:
        return f"{self.attendees} from {self.agency} at {self.event}"

    @property
    def partnership(self) -> object:
        return self.event.product.partnership


def sessions_needed(workforce: int, capacity: int) -> int:
    """Sessions needed to reach a workforce: ceil(workforce / capacity).

    Whole-number arithmetic (no floats), so 1,000 people in sessions of 50 is exactly 20.
    A capacity of zero or less cannot reach anyone and is refused.
    """
    if capacity <= 0:
        raise ValueError("Session capacity must be at least 1")
    if workforce < 0:
        raise ValueError("The workforce to reach cannot be negative")
    return -(-workforce // capacity)


class SessionPlan(models.Model):
    """How many sessions of a product it takes to reach a workforce, against those held."""

    product = models.ForeignKey(LearningProduct, on_delete=models.PROTECT, related_name="plans")
    agencies = models.ManyToManyField(
        "accounts.Agency", related_name="+", help_text="The agencies whose staff need to attend."
    )
    workforce_to_reach = models.PositiveIntegerField()
    session_capacity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    note = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords(m2m_fields=[agencies])

    class Meta:
        ordering = ["product__title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(session_capacity__gte=1), name="sessionplan_capacity_positive"
            )
        ]

    def __str__(self) -> str:
        return f"Plan for {self.product.title}"

    @property
    def sessions_needed(self) -> int:
        return sessions_needed(self.workforce_to_reach, self.session_capacity)

    @property
    def partnership(self) -> object:
        return self.product.partnership


class Stage(models.IntegerChoices):
    """How far learning has got in an agency, in order. 0: asked, nothing accepted yet."""

    NONE = 0, "Not yet confirmed"
    RECEIVED = 1, "Received"
    DISSEMINATED = 2, "Disseminated internally"
    EMBEDDED = 3, "Embedded in single-agency training"
    PRACTICE_CHANGE = 4, "Practice change evidenced"
    OUTCOME = 5, "Outcome evidenced"


class AssuranceRecord(models.Model):
    """Where one learning product has got in one agency: the last accepted stage."""

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="assurance_records"
    )
    product = models.ForeignKey(
        LearningProduct, on_delete=models.PROTECT, related_name="assurance_records"
    )
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="assurance_records"
    )
    stage = models.PositiveSmallIntegerField(choices=Stage.choices, default=Stage.NONE)
    stage_on = models.DateField("date the stage was reached", null=True, blank=True)
    requested_on = models.DateField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["product__title", "agency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "agency"], name="assurance_once_per_product_agency"
            )
        ]

    def __str__(self) -> str:
        return f"{self.product.title}: {self.agency}"

    @property
    def is_complete(self) -> bool:
        return self.stage == Stage.OUTCOME


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", "Waiting for the business unit"
    ACCEPTED = "accepted", "Accepted"
    RETURNED = "returned", "Returned"


class SubmissionSource(models.TextChoices):
    AGENCY = "agency", "Agency lead"
    AUDIT = "audit", "Multi-agency audit"


class AssuranceSubmission(models.Model):
    """An agency's claim to have reached a stage, with its evidence, and the business unit's
    decision on it. Every one is kept: together they are the record's history."""

    record = models.ForeignKey(
        AssuranceRecord, on_delete=models.PROTECT, related_name="submissions"
    )
    stage = models.PositiveSmallIntegerField(choices=Stage.choices)
    achieved_on = models.DateField("date reached")
    evidence = models.TextField()
    evidence_url = models.URLField("link to the evidence", blank=True, max_length=500)
    reason = models.TextField(
        "reason for going back", blank=True, help_text="Needed when the stage is not a step on."
    )
    source = models.CharField(
        max_length=10, choices=SubmissionSource.choices, default=SubmissionSource.AGENCY
    )
    audit = models.ForeignKey(
        "reviews.Review",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assurance_results",
        help_text="The multi-agency audit whose result this is.",
    )
    status = models.CharField(
        max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["record"],
                condition=Q(status="submitted"),
                name="assurance_one_waiting_submission",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} ({self.get_status_display()})"

    @property
    def partnership(self) -> object:
        return self.record.partnership


class AuditRecheck(models.Model):
    """A multi-agency audit that re-checks a learning product (its result moves the chain)."""

    audit = models.ForeignKey("reviews.Review", on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey(LearningProduct, on_delete=models.PROTECT, related_name="rechecks")
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["audit", "product"], name="recheck_once")]

    def __str__(self) -> str:
        return f"{self.audit} re-checks {self.product.title}"

    @property
    def partnership(self) -> object:
        return self.product.partnership
