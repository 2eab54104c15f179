"""The concerns resolution (escalation) register: one professional challenging another agency's
decision about a child, moving up the partnership's stages until it is closed.

Each stage an escalation passes through is an `EscalationStep` with its own statutory-style
clock (a `core.Clock` row), so a stage's limit, whether it was met, and what is overdue now are
all stored data that the dashboard, the reminders and the analysis count in the database.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from simple_history.models import HistoricalRecords

from safeguarding.core.models import Clock, ClockKey, ClockQuerySet


class EscalationStage(models.Model):
    """One stage of a partnership's Concerns Resolution Process, with its time limit."""

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.CASCADE, related_name="escalation_stages"
    )
    number = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    name = models.CharField(max_length=120)
    working_days = models.PositiveSmallIntegerField(
        "time limit in working days",
        validators=[MinValueValidator(1)],
        help_text="Counted from the day the escalation reaches this stage.",
    )
    description = models.CharField("who is involved", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "number"], name="escalationstage_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"Stage {self.number}: {self.name}"


class ConcernCategory(models.TextChoices):
    THRESHOLD = "threshold", "Threshold or referral decision"
    PLAN = "plan", "Child protection or child in need plan"
    STRATEGY = "strategy", "Strategy discussion or section 47 enquiry"
    CLOSURE = "closure", "Case closure or step down"
    INFORMATION = "information", "Information sharing"
    PROGRESS = "progress", "Lack of action or progress"
    RISK = "risk", "Assessment of risk"
    OTHER = "other", "Something else"


class EscalationStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"
    WITHDRAWN = "withdrawn", "Withdrawn"
    REFERRED_ON = "referred_on", "Referred on"


CLOSED = (EscalationStatus.RESOLVED, EscalationStatus.WITHDRAWN, EscalationStatus.REFERRED_ON)


class HowResolved(models.TextChoices):
    DECISION_CHANGED = "decision_changed", "The decision was changed"
    ACTION_AGREED = "action_agreed", "Further assessment or action was agreed"
    EXPLAINED = "explained", "The decision stood, with an explanation accepted"
    OTHER = "other", "Another way"


class StepEnd(models.TextChoices):
    MOVED_UP = "moved_up", "Moved up a stage"
    RESOLVED = "resolved", "Resolved"
    WITHDRAWN = "withdrawn", "Withdrawn"
    REFERRED_ON = "referred_on", "Referred on"


def stage_clocks() -> ClockQuerySet:
    """Every escalation stage clock (one per step)."""
    return Clock.objects.filter(
        rule__key=ClockKey.ESCALATION_STAGE,
        subject_type=ContentType.objects.get_for_model(EscalationStep),
    )


class EscalationQuerySet(models.QuerySet["Escalation"]):
    def open(self) -> EscalationQuerySet:
        return self.filter(status=EscalationStatus.OPEN)

    def closed(self) -> EscalationQuerySet:
        return self.exclude(status=EscalationStatus.OPEN)

    def raised_between(self, start: dt.date, end: dt.date) -> EscalationQuerySet:
        return self.filter(raised_on__gte=start, raised_on__lte=end)

    def involving(self, agency_id: int | None) -> EscalationQuerySet:
        """Raised by or about the agency."""
        return self.filter(Q(raised_by_agency_id=agency_id) | Q(about_agency_id=agency_id))

    def overdue(self, today: dt.date) -> EscalationQuerySet:
        """Open escalations whose current stage is past its limit on `today` (for reminders)."""
        late_steps = stage_clocks().running().filter(due_on__lt=today).values("subject_id")
        return self.open().filter(steps__pk__in=late_steps).distinct()

    def with_current_clock(self) -> EscalationQuerySet:
        """Annotate the current stage's due date (`stage_due_on`), from its running clock."""
        running = (
            stage_clocks()
            .running()
            .filter(
                subject_id__in=EscalationStep.objects.filter(
                    escalation=OuterRef(OuterRef("pk"))
                ).values("pk")
            )
            .order_by("-starts_on", "-pk")
        )
        return self.annotate(stage_due_on=Subquery(running.values("due_on")[:1]))

    def with_first_stage(self) -> EscalationQuerySet:
        """Annotate `first_stage_number`: the stage at which it was first recorded."""
        first = EscalationStep.objects.filter(escalation=OuterRef("pk")).order_by(
            "entered_on", "pk"
        )
        return self.annotate(first_stage_number=Subquery(first.values("stage__number")[:1]))


class Escalation(models.Model):
    """A professional's challenge to another agency's decision about a child."""

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="escalations"
    )
    # Numbered within the partnership, so a reference says nothing about other partnerships.
    number = models.PositiveIntegerField(editable=False)
    raised_by_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="escalations_raised"
    )
    raised_by_name = models.CharField(
        "person who raised it", max_length=200, blank=True, help_text="Name and role."
    )
    about_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="escalations_received"
    )
    category = models.CharField(
        "concern", max_length=20, choices=ConcernCategory.choices, default=ConcernCategory.OTHER
    )
    child_reference = models.CharField(
        max_length=40, blank=True, help_text='Pseudonymous, for example "Child A". Never a name.'
    )
    raised_on = models.DateField("date raised")
    stage = models.ForeignKey(
        EscalationStage,
        on_delete=models.PROTECT,
        related_name="escalations",
        help_text="The stage it is at now, or the stage at which it was closed.",
    )
    status = models.CharField(
        max_length=20, choices=EscalationStatus.choices, default=EscalationStatus.OPEN
    )
    closed_on = models.DateField(null=True, blank=True)
    how_resolved = models.CharField(max_length=20, choices=HowResolved.choices, blank=True)
    outcome_note = models.TextField(
        blank=True, help_text="How it was resolved, why it was withdrawn, or where it went."
    )
    # Working days from raising to closing; set when closed, recomputed if closure days change.
    working_days_to_close = models.PositiveIntegerField(null=True, blank=True)
    summary = models.TextField("what the concern is about", blank=True)
    reviews = models.ManyToManyField(
        "reviews.Review",
        blank=True,
        related_name="escalations",
        help_text="Reviews this escalation featured in or came from.",
    )
    # Themes of the partnership's taxonomy (escalation is itself one of the seed's themes). A
    # theme retired or merged later stays linked: the escalation keeps what it was tagged with.
    themes = models.ManyToManyField(
        "learning.Theme",
        blank=True,
        related_name="escalations",
        help_text="Themes of the partnership's taxonomy this escalation bears on.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[reviews, themes])

    objects = EscalationQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_on", "-pk"]
        indexes = [models.Index(fields=["partnership", "raised_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "number"], name="escalation_unique_number"
            ),
            models.CheckConstraint(
                condition=~Q(raised_by_agency=F("about_agency")),
                name="escalation_between_two_agencies",
            ),
            models.CheckConstraint(
                condition=(Q(status="open") & Q(closed_on__isnull=True))
                | (~Q(status="open") & Q(closed_on__isnull=False)),
                name="escalation_closed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.raised_by_agency} to {self.about_agency}"

    @property
    def reference(self) -> str:
        return f"E{self.number:04d}" if self.number else "E (new)"

    @property
    def is_open(self) -> bool:
        return self.status == EscalationStatus.OPEN


class EscalationStep(models.Model):
    """One stage an escalation went through: when it began and when and why it ended."""

    escalation = models.ForeignKey(Escalation, on_delete=models.PROTECT, related_name="steps")
    stage = models.ForeignKey(EscalationStage, on_delete=models.PROTECT, related_name="steps")
    entered_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)
    ended_by = models.CharField(max_length=20, choices=StepEnd.choices, blank=True)
    note = models.CharField(max_length=500, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["entered_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("entered_on")),
                name="escalationstep_left_after_entered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.escalation.reference} at {self.stage}"

    @property
    def partnership(self) -> models.Model:
        # Lets the audit row name the partnership, as it does for records that hold one.
        return self.escalation.partnership
