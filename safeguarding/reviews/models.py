"""Incidents, the children's cases (pseudonymous) and the reviews of them."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Case as SqlCase
from django.db.models import CharField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords


class Sex(models.TextChoices):
    MALE = "male", "Male"
    FEMALE = "female", "Female"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Not known"


class Ethnicity(models.TextChoices):
    # The ONS 2021 census high-level groups.
    ASIAN = "asian", "Asian or Asian British"
    BLACK = "black", "Black, Black British, Caribbean or African"
    MIXED = "mixed", "Mixed or multiple ethnic groups"
    WHITE = "white", "White"
    OTHER = "other", "Other ethnic group"
    UNKNOWN = "unknown", "Not known"


class Disability(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    UNKNOWN = "unknown", "Not known"


class Outcome(models.TextChoices):
    DIED = "died", "Died"
    SERIOUSLY_HARMED = "seriously_harmed", "Seriously harmed"
    OTHER = "other", "Other"


class AbuseCategory(models.TextChoices):
    NEGLECT = "neglect", "Neglect"
    PHYSICAL = "physical", "Physical abuse"
    SEXUAL = "sexual", "Sexual abuse"
    EMOTIONAL = "emotional", "Emotional abuse"
    MULTIPLE = "multiple", "More than one category"
    NOT_KNOWN = "not_known", "Not yet known"


def age_band_label(*, age: str, partnership: str) -> SqlCase:
    """SQL for the label of the partnership's age band that an age falls in.

    `age` and `partnership` are lookups from the outer row (for example "case__age_years").
    The one definition of age bands: every count by age band goes through here. An unknown age
    is NOT_KNOWN_BAND; a known age that no band of the partnership covers (the bands leave a
    gap, or have no open top band) is OUTSIDE_BANDS, never "not known". Bands are matched by
    their ages, never by their labels ("5-11" may be the label of ages 5 to 10).
    """
    from safeguarding.accounts.models import AgeBand

    band = AgeBand.objects.filter(
        partnership=OuterRef(partnership), min_years__lte=OuterRef(age)
    ).filter(Q(max_years__isnull=True) | Q(max_years__gte=OuterRef(age)))
    return SqlCase(
        models.When(**{f"{age}__isnull": True}, then=Value(NOT_KNOWN_BAND)),
        default=Coalesce(
            Subquery(band.order_by("-min_years").values("label")[:1]), Value(OUTSIDE_BANDS)
        ),
        output_field=CharField(),
    )


NOT_KNOWN_BAND = "Age not known"
OUTSIDE_BANDS = "Outside the partnership's bands"


class CaseQuerySet(models.QuerySet["Case"]):
    def with_age_band(self) -> CaseQuerySet:
        return self.annotate(age_band=age_band_label(age="age_years", partnership="partnership"))


class Case(models.Model):
    """A child's case, known by a pseudonymous reference only ("Child A")."""

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="cases"
    )
    reference = models.CharField(max_length=40, help_text='Pseudonymous, for example "Child A".')
    age_years = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Age in whole years at the incident (0 for under 1)."
    )
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    ethnicity = models.CharField(
        max_length=10, choices=Ethnicity.choices, default=Ethnicity.UNKNOWN
    )
    disability = models.CharField(
        max_length=10, choices=Disability.choices, default=Disability.UNKNOWN
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    category = models.CharField(
        max_length=20, choices=AbuseCategory.choices, default=AbuseCategory.NOT_KNOWN
    )
    incident_date = models.DateField(null=True, blank=True)
    agencies_involved = models.ManyToManyField("accounts.Agency", blank=True, related_name="cases")
    history = HistoricalRecords(m2m_fields=[agencies_involved])

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "reference"], name="case_unique_ref")
        ]

    def __str__(self) -> str:
        return self.reference


class CaseIdentity(models.Model):
    """Identifying details, kept apart: business unit only, and every view is audited."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="identity")
    child_name = models.CharField(max_length=200, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    address = models.TextField(blank=True)
    agency_record_numbers = models.TextField(
        blank=True, help_text="One per line, for example: Police 12/3456/22"
    )
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Identifying details for {self.case}"


class NotificationDecision(models.TextChoices):
    PENDING = "pending", "Not yet decided"
    NOTIFY = "notify", "Notify the national Panel"
    DO_NOT_NOTIFY = "do_not_notify", "Do not notify"


class Incident(models.Model):
    """A serious incident considered for notification to the national Panel."""

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="incidents"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="incidents")
    summary = models.TextField(help_text="What happened, without names or addresses.")
    la_aware_on = models.DateField("date the local authority became aware")
    decision = models.CharField(
        max_length=20, choices=NotificationDecision.choices, default=NotificationDecision.PENDING
    )
    decision_rationale = models.TextField(blank=True)
    notified_on = models.DateField("date notified", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-la_aware_on", "-pk"]

    def __str__(self) -> str:
        return f"Incident: {self.case.reference} ({self.la_aware_on:%d %B %Y})"


class ReviewKind(models.TextChoices):
    RAPID_REVIEW = "rapid_review", "Rapid review"
    CSPR = "cspr", "Child safeguarding practice review"
    LOCAL_LEARNING = "local_learning", "Local learning review"
    AUDIT = "audit", "Multi-agency audit"
    OTHER = "other", "Other review"


class ReviewStatus(models.TextChoices):
    OPEN = "open", "In progress"
    PAUSED = "paused", "Paused"
    COMPLETED = "completed", "Completed"
    PUBLISHED = "published", "Published"


class RapidReviewDecision(models.TextChoices):
    PENDING = "", "Not yet decided"
    CSPR = "cspr", "Commission a local child safeguarding practice review"
    LOCAL_LEARNING = "local_learning", "Local learning review"
    NO_FURTHER = "no_further", "No further review"
    NATIONAL = "national", "National review by the Panel"


class PanelAgreement(models.TextChoices):
    PENDING = "", "No response yet"
    AGREED = "agreed", "Agreed with the decision"
    DISAGREED = "disagreed", "Did not agree with the decision"


class ReviewQuerySet(models.QuerySet["Review"]):
    def with_age_band(self) -> ReviewQuerySet:
        return self.annotate(
            age_band=age_band_label(age="case__age_years", partnership="partnership")
        )

    def of_kind(self, kind: str) -> ReviewQuerySet:
        return self.filter(kind=kind)

    def started_between(self, start: dt.date, end: dt.date) -> ReviewQuerySet:
        """Reviews begun in the period: commissioned (CSPRs, local reviews) or opened."""
        return self.annotate(started_on=Coalesce("commissioned_on", "opened_on")).filter(
            started_on__gte=start, started_on__lte=end
        )


class Review(models.Model):
    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="reviews"
    )
    kind = models.CharField(max_length=20, choices=ReviewKind.choices)
    title = models.CharField(max_length=200)
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="reviews"
    )
    incident = models.ForeignKey(
        Incident, on_delete=models.PROTECT, null=True, blank=True, related_name="reviews"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="The rapid review that led to this review.",
    )
    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.OPEN
    )
    opened_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    agencies = models.ManyToManyField(
        "accounts.Agency",
        blank=True,
        related_name="reviews",
        help_text="Agencies taking part in the review.",
    )

    # Rapid review: what the national Panel expects to see.
    facts = models.TextField(blank=True)
    agency_involvement = models.TextField(blank=True)
    key_practice_episodes = models.TextField(blank=True)
    immediate_actions = models.TextField(blank=True)
    inequalities = models.TextField(
        "how racism, inequalities and disability were considered", blank=True
    )
    decision = models.CharField(max_length=20, choices=RapidReviewDecision.choices, blank=True)
    decision_rationale = models.TextField(
        "rationale against the Regulation 11 criteria", blank=True
    )
    decision_on = models.DateField(null=True, blank=True)
    sent_to_panel_on = models.DateField(null=True, blank=True)
    panel_response = models.TextField(blank=True)
    panel_response_on = models.DateField(null=True, blank=True)
    panel_agreed = models.CharField(max_length=10, choices=PanelAgreement.choices, blank=True)

    # CSPR and local learning review.
    commissioned_on = models.DateField(null=True, blank=True)
    author = models.CharField("reviewer or author", max_length=200, blank=True)
    panel_notified_before_publication_on = models.DateField(null=True, blank=True)
    published_on = models.DateField(null=True, blank=True)
    publication_url = models.URLField(blank=True)

    # Multi-agency audit.
    audit_topic = models.CharField(max_length=200, blank=True)
    audit_questions = models.TextField(blank=True)
    audit_summary = models.TextField(blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(m2m_fields=[agencies])

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-pk"]
        indexes = [models.Index(fields=["partnership", "kind", "opened_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_rapid_review(self) -> bool:
        return self.kind == ReviewKind.RAPID_REVIEW


class ReviewSignoff(models.Model):
    """A statutory partner's sign-off of a rapid review decision."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="signoffs")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    signed_by = models.CharField(max_length=200)
    signed_on = models.DateField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["signed_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "agency"], name="signoff_once_per_agency")
        ]

    def __str__(self) -> str:
        return f"{self.agency} signed off {self.review} on {self.signed_on:%d %B %Y}"


class ReviewPause(models.Model):
    """A pause in a review's clock, for example for parallel criminal proceedings."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="pauses")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=300)
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_on", "pk"]

    def __str__(self) -> str:
        return f"Paused from {self.starts_on:%d %B %Y}: {self.reason}"
