"""Findings from reviews, the versioned theme taxonomy they are tagged with, and the
partnership's response to each theme.

A theme is a stable identity; what it was called and meant at each version of the taxonomy is
a `ThemeRevision`. A tag (`FindingTheme`) keeps the theme and the revision it was made with for
ever, and `counts_as` says which current theme it is counted under: merging a theme moves
`counts_as`, never the tag itself, so no past tag is lost.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce, Lower
from simple_history.models import HistoricalRecords


class FindingKind(models.TextChoices):
    GOOD_PRACTICE = "good_practice", "Good practice"
    IMPROVEMENT = "improvement", "Area for improvement"


class ThemeStatus(models.TextChoices):
    ACTIVE = "active", "In use"
    RETIRED = "retired", "Retired"
    MERGED = "merged", "Merged into another theme"


class TaxonomyVersion(models.Model):
    """One version of a partnership's theme taxonomy: every change to it makes a new one."""

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="taxonomy_versions"
    )
    number = models.PositiveIntegerField()
    summary = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["partnership", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "number"], name="taxonomy_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Version {self.number}"


class Theme(models.Model):
    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="themes"
    )
    name = models.CharField(max_length=100)
    definition = models.TextField()
    keywords = models.CharField(
        max_length=500, blank=True, help_text="Separate keywords with semicolons."
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    status = models.CharField(
        max_length=10, choices=ThemeStatus.choices, default=ThemeStatus.ACTIVE
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_from"
    )
    current_revision = models.ForeignKey(
        "ThemeRevision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "partnership", Lower("name"), name="theme_unique_name_per_partnership"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == ThemeStatus.ACTIVE

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.split(";") if k.strip()]


class ThemeRevision(models.Model):
    """A theme as it stood in one taxonomy version."""

    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="revisions")
    version = models.ForeignKey(TaxonomyVersion, on_delete=models.PROTECT, related_name="revisions")
    name = models.CharField(max_length=100)
    definition = models.TextField()
    keywords = models.CharField(max_length=500, blank=True)
    parent = models.ForeignKey(
        Theme, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=ThemeStatus.choices)

    class Meta:
        ordering = ["theme", "version__number"]
        constraints = [
            models.UniqueConstraint(fields=["theme", "version"], name="theme_revision_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version.number})"


class FindingQuerySet(models.QuerySet["Finding"]):
    def current(self) -> FindingQuerySet:
        """Findings not withdrawn."""
        return self.filter(withdrawn_at__isnull=True)

    def in_period(self, start: dt.date, end: dt.date) -> FindingQuerySet:
        """Findings of reviews begun in the period, by the same rule as the period summary
        (commissioned, else opened)."""
        return self.alias(
            review_started_on=Coalesce("review__commissioned_on", "review__opened_on")
        ).filter(review_started_on__gte=start, review_started_on__lte=end)

    def concerning(self, agency_ids: list[int]) -> FindingQuerySet:
        """Findings about any of these agencies."""
        through = Finding.agencies.through
        return self.filter(
            Exists(through.objects.filter(finding=OuterRef("pk"), agency__in=agency_ids))
        )


class Finding(models.Model):
    """One piece of learning from a review: good practice or an area for improvement."""

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="findings"
    )
    review = models.ForeignKey("reviews.Review", on_delete=models.PROTECT, related_name="findings")
    kind = models.CharField(max_length=20, choices=FindingKind.choices)
    text = models.TextField()
    source_passage = models.TextField(
        blank=True, help_text="Optional: the passage of the review this finding comes from."
    )
    agencies = models.ManyToManyField("accounts.Agency", blank=True, related_name="findings")
    themes = models.ManyToManyField(
        Theme, through="FindingTheme", through_fields=("finding", "theme"), related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords(m2m_fields=[agencies])

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["review", "kind", "pk"]
        indexes = [models.Index(fields=["partnership", "kind"], name="finding_partnership_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class FindingTheme(models.Model):
    """A finding's tag: the theme and revision it was tagged with, and the theme it counts as
    now (itself, or the theme it was merged into)."""

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="theme_tags")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="tags")
    revision = models.ForeignKey(ThemeRevision, on_delete=models.PROTECT, related_name="tags")
    counts_as = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="counted_tags")
    tagged_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["finding", "counts_as__name"]
        constraints = [
            models.UniqueConstraint(fields=["finding", "theme"], name="finding_theme_once")
        ]
        indexes = [models.Index(fields=["counts_as", "finding"], name="findingtheme_counts_as")]

    def __str__(self) -> str:
        return f"{self.finding_id} tagged {self.revision.name}"


class FindingComment(models.Model):
    """A comment on a finding, for example from a Review Advisory Group member."""

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.created_at:%d %B %Y}"


class ThemeResponse(models.Model):
    """The partnership's response to a theme found in a period.

    The seam for the action plan: actions (a later issue) point here with
    ``ForeignKey("learning.ThemeResponse", related_name="actions")``, and the response page
    lists ``response.actions`` when that relation exists.
    """

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="theme_responses"
    )
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="responses")
    period_start = models.DateField()
    period_end = models.DateField()
    narrative = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_end", "theme__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["theme", "period_start", "period_end"], name="theme_response_once"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="theme_response_period_order",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"Response to {self.theme} ({self.period_start:%d %B %Y} to {self.period_end:%d %B %Y})"
        )


# The least "reviews needed for a cross-cutting theme" a partnership may set.
MIN_CROSS_CUTTING_REVIEWS = 2
CROSS_CUTTING_TOO_FEW = (
    "Enter 2 or more: a theme found in one review is that review's theme, not a cross-cutting one"
)


class LearningSettings(models.Model):
    """A partnership's settings for the cross-cutting analysis."""

    partnership = models.OneToOneField(
        "accounts.Partnership", on_delete=models.CASCADE, related_name="learning_settings"
    )
    cross_cutting_min_reviews = models.PositiveSmallIntegerField(
        "reviews needed for a cross-cutting theme",
        default=2,
        # A theme of one review is that review's (and that child's) theme, not a cross-cutting
        # one: a public copy naming it would describe one child's review.
        validators=[MinValueValidator(MIN_CROSS_CUTTING_REVIEWS, message=CROSS_CUTTING_TOO_FEW)],
        help_text="A theme found in at least this many reviews of a period is cross-cutting "
        "(2 or more).",
    )
    year_starts_month = models.PositiveSmallIntegerField(
        "month the reporting year starts",
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="1 for calendar years, 4 for financial years (April to March).",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "learning settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(cross_cutting_min_reviews__gte=MIN_CROSS_CUTTING_REVIEWS),
                name="learning_settings_cross_cutting_at_least_2",
            )
        ]

    def __str__(self) -> str:
        return f"Learning settings of {self.partnership}"
