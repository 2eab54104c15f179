"""Partnerships (the tenants), their agencies and the people who use the system."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    BUSINESS_UNIT = "business_unit", "Business unit"
    RAG_MEMBER = "rag_member", "Review advisory group member"
    AGENCY_LEAD = "agency_lead", "Agency lead"
    SCRUTINEER = "scrutineer", "Independent scrutineer"
    SCRUTINY_READER = "scrutiny_reader", "Scrutiny reader"
    ANALYST = "analyst", "Regional or national analyst"
    # Runs the installation (partnerships and their first business unit user): belongs to no
    # partnership and sees no child's record (DESIGN.md; accounts/service_views.py).
    SERVICE_ADMIN = "service_admin", "Service administrator"


# The roles a business unit gives people of its partnership (Settings -> People).
PARTNERSHIP_ROLES = (
    Role.BUSINESS_UNIT,
    Role.RAG_MEMBER,
    Role.AGENCY_LEAD,
    Role.SCRUTINEER,
    Role.SCRUTINY_READER,
)


class Partnership(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    small_number_threshold = models.PositiveSmallIntegerField(
        default=5,
        help_text="Published outputs and every figure shown to someone who may not see records "
        "show each count from 1 to this number as [c] (at least 1).",
    )
    # Closed by a service administrator: its people are switched off, its records kept.
    closed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AgencyQuerySet(models.QuerySet["Agency"]):
    def current(self) -> AgencyQuerySet:
        """Agencies not retired: the only ones a new record may name."""
        return self.filter(retired_at__isnull=True)


class Agency(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=40, blank=True)
    is_statutory_partner = models.BooleanField(default=False)
    workforce_size = models.PositiveIntegerField(default=0)
    # Retired: stays on the records that name it, absent from every new choice.
    retired_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["-is_statutory_partner", "name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="agency_unique_name")
        ]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The name as lists and choices show it: a retired agency says so."""
        return f"{self.name} (retired)" if self.retired_at else self.name


class User(AbstractUser):
    """A person with one role in one partnership (analysts may have none)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    role = models.CharField(max_length=30, choices=Role.choices, default=Role.SCRUTINY_READER)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="agency_lead") | models.Q(agency__isnull=False),
                name="agency_lead_has_agency",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="service_admin") | models.Q(partnership__isnull=True),
                name="service_admin_has_no_partnership",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class AgeBand(models.Model):
    """One band of the partnership's age banding; the default is under 1, 1-4, 5-11, 12+."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="age_bands")
    label = models.CharField(max_length=40)
    min_years = models.PositiveSmallIntegerField()
    max_years = models.PositiveSmallIntegerField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "min_years"]

    def __str__(self) -> str:
        return self.label


class ClosureDay(models.Model):
    """A day the partnership counts as not working, on top of weekends and bank holidays."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="closures")
    date = models.DateField()
    reason = models.CharField(max_length=200)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "date"], name="closure_unique_day")
        ]

    def __str__(self) -> str:
        return f"{self.date:%d %B %Y}: {self.reason}"


class EnrolmentPurpose(models.TextChoices):
    INVITATION = "invitation", "Invitation: choose a password, then set up two-factor"
    RESET = "reset", "Two-factor reset: sign in with the password, then set up two-factor again"


class EnrolmentLinkQuerySet(models.QuerySet["EnrolmentLink"]):
    def usable(self) -> EnrolmentLinkQuerySet:
        """Links that can still be opened: not used, not ended by a newer link, not expired."""
        return self.filter(
            used_at__isnull=True, ended_at__isnull=True, expires_at__gt=timezone.now()
        )


class EnrolmentLink(models.Model):
    """A one-time link to set up an authenticator app: the only way to a first app, or to a new
    one after a reset (safeguarding/accounts/enrolment.py). Only the SHA-256 digest of the
    token is kept; the token itself is in the link and nowhere else."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="enrolment_links")
    purpose = models.CharField(max_length=20, choices=EnrolmentPurpose.choices)
    token_digest = models.CharField(max_length=64, unique=True)
    # Empty when made on the command line (manage.py enrolment_link / reset_two_factor).
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    # When the link was exchanged for a set-up grant in one session (the password chosen, or
    # for a reset the password checked): it never opens again.
    used_at = models.DateTimeField(null=True, blank=True)
    # When it stopped giving anything: a newer link was issued, or the app was set up.
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = EnrolmentLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} for {self.user.username}"
