"""The columns of each import template: one definition that the reader, the validator, the
templates, the list exports and docs/IMPORT.md all use, so a list exported by the business unit
is itself a valid import file."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import models

from safeguarding.actionplans.models import ActionStatus
from safeguarding.learning.models import FindingKind
from safeguarding.reviews.models import (
    AbuseCategory,
    Disability,
    Ethnicity,
    Outcome,
    RapidReviewDecision,
    ReviewKind,
    ReviewStatus,
    Sex,
)


class RecordType(models.TextChoices):
    CASES = "cases", "Cases"
    REVIEWS = "reviews", "Reviews"
    FINDINGS = "findings", "Findings"
    ACTIONS = "actions", "Actions"


# Value kinds a column may hold.
TEXT, INTEGER, DATE, CHOICE, AGENCIES, THEMES, AGENCY, THEME = (
    "text",
    "integer",
    "date",
    "choice",
    "agencies",
    "themes",
    "agency",
    "theme",
)


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    required: bool
    kind: str
    help: str
    example: str
    choices: type[models.Choices] | None = None
    max_length: int | None = None

    @property
    def format(self) -> str:
        """What the cell must hold, for the documentation and the template page."""
        if self.kind == DATE:
            return "a date: 2024-03-31 (or 31/03/2024, or a date cell)"
        if self.kind == INTEGER:
            return "a whole number from 0 to 25"
        if self.kind == CHOICE and self.choices is not None:
            labels = [str(label) for value, label in self.choices.choices if value != ""]
            return "one of: " + "; ".join(labels)
        if self.kind == AGENCIES:
            return "agency names separated by semicolons"
        if self.kind == THEMES:
            return "theme names separated by semicolons"
        if self.kind == AGENCY:
            return "an agency name"
        if self.kind == THEME:
            return "a theme name"
        return f"text, up to {self.max_length} characters" if self.max_length else "text"


def _c(
    key: str,
    heading: str,
    kind: str,
    help: str,
    example: str,
    *,
    required: bool = False,
    choices: type[models.Choices] | None = None,
    max_length: int | None = None,
) -> Column:
    return Column(key, heading, required, kind, help, example, choices, max_length)


CASE_COLUMNS = (
    _c(
        "reference",
        "Reference",
        TEXT,
        "Pseudonymous, never a name; unique in the partnership.",
        "Child Z (fictional)",
        required=True,
        max_length=40,
    ),
    _c("age_years", "Age in years", INTEGER, "Whole years at the incident; 0 for under 1.", "3"),
    _c("sex", "Sex", CHOICE, "Blank means not known.", "Female", choices=Sex),
    _c(
        "ethnicity",
        "Ethnicity",
        CHOICE,
        "ONS 2021 high-level group; blank means not known.",
        "Not known",
        choices=Ethnicity,
    ),
    _c("disability", "Disability", CHOICE, "Blank means not known.", "No", choices=Disability),
    _c(
        "outcome",
        "Outcome",
        CHOICE,
        "What happened to the child.",
        "Seriously harmed",
        required=True,
        choices=Outcome,
    ),
    _c(
        "category",
        "Category of abuse",
        CHOICE,
        "Blank means not yet known.",
        "Neglect",
        choices=AbuseCategory,
    ),
    _c("incident_date", "Incident date", DATE, "When the incident happened.", "2024-01-15"),
    _c(
        "agencies",
        "Agencies involved",
        AGENCIES,
        "Agencies of this partnership, by name.",
        "Police; Schools",
    ),
)

REVIEW_COLUMNS = (
    _c(
        "kind",
        "Type",
        CHOICE,
        "The kind of review.",
        "Rapid review",
        required=True,
        choices=ReviewKind,
    ),
    _c(
        "title",
        "Title",
        TEXT,
        "Without names; with the type and opened date it identifies the review.",
        "Rapid review: Child Z (fictional)",
        required=True,
        max_length=200,
    ),
    _c("opened_on", "Opened", DATE, "The date the review was opened.", "2024-01-22", required=True),
    _c(
        "case",
        "Case reference",
        TEXT,
        "A case already recorded (import cases first); blank for audits and thematic reviews.",
        "Child Z (fictional)",
        max_length=40,
    ),
    _c("status", "Status", CHOICE, "Blank means in progress.", "In progress", choices=ReviewStatus),
    _c("completed_on", "Completed", DATE, "When the review was completed.", ""),
    _c("agencies", "Agencies", AGENCIES, "Agencies taking part.", "Police; Schools"),
    _c(
        "decision",
        "Decision",
        CHOICE,
        "Rapid reviews only: the decision after the review.",
        "",
        choices=RapidReviewDecision,
    ),
    _c("decision_on", "Decision date", DATE, "Rapid reviews only.", ""),
    _c("sent_to_panel_on", "Sent to the Panel", DATE, "Rapid reviews only.", ""),
    _c("commissioned_on", "Commissioned", DATE, "CSPRs and local learning reviews.", ""),
    _c(
        "author",
        "Reviewer or author",
        TEXT,
        "CSPRs and local learning reviews.",
        "",
        max_length=200,
    ),
    _c("published_on", "Published", DATE, "When the report was published.", ""),
)

FINDING_COLUMNS = (
    _c(
        "review_title",
        "Review title",
        TEXT,
        "The review the finding comes from (import reviews first).",
        "Rapid review: Child Z (fictional)",
        required=True,
        max_length=200,
    ),
    _c(
        "review_opened_on",
        "Review opened",
        DATE,
        "The review's opened date, to tell apart reviews with the same title.",
        "2024-01-22",
        required=True,
    ),
    _c(
        "kind",
        "Kind",
        CHOICE,
        "Good practice or an area for improvement.",
        "Good practice",
        required=True,
        choices=FindingKind,
    ),
    _c(
        "text",
        "Finding",
        TEXT,
        "The learning, without names.",
        "A fictional example finding.",
        required=True,
        max_length=10000,
    ),
    _c(
        "themes",
        "Themes",
        THEMES,
        "Themes in use in this partnership, by name.",
        "Professional curiosity",
    ),
    _c("agencies", "Agencies", AGENCIES, "Agencies the finding is about.", "Police"),
    _c(
        "source_passage",
        "Source passage",
        TEXT,
        "The passage of the review it comes from.",
        "",
        max_length=10000,
    ),
)

ACTION_COLUMNS = (
    _c(
        "title",
        "Title",
        TEXT,
        "What is to be done; with the owner agency and the date agreed it identifies the action.",
        "Refresh the fictional training",
        required=True,
        max_length=200,
    ),
    _c(
        "owner_agency",
        "Owner agency",
        AGENCY,
        "The agency that owns the action.",
        "Police",
        required=True,
    ),
    _c(
        "lead",
        "Lead",
        TEXT,
        "The person who leads it, with their role (no personal contact details).",
        "Safeguarding lead",
        required=True,
        max_length=200,
    ),
    _c(
        "agreed_on",
        "Date agreed",
        DATE,
        "The action's clock starts here.",
        "2024-02-01",
        required=True,
    ),
    _c("due_on", "Due date", DATE, "On or after the date agreed.", "2024-05-01", required=True),
    _c("status", "Status", CHOICE, "Blank means not started.", "Not started", choices=ActionStatus),
    _c("completed_on", "Date completed", DATE, "Needed when the status is Completed.", ""),
    _c(
        "evidence",
        "Evidence",
        TEXT,
        "Needed when the status is Completed: recorded as a note.",
        "",
        max_length=10000,
    ),
    _c("description", "Description", TEXT, "More detail.", "", max_length=10000),
    _c(
        "review_title",
        "Review title",
        TEXT,
        "Optional: the review the action answers.",
        "",
        max_length=200,
    ),
    _c("review_opened_on", "Review opened", DATE, "Needed with a review title.", ""),
    _c("theme", "Theme", THEME, "Optional: the theme the action answers.", ""),
)

COLUMNS: dict[str, tuple[Column, ...]] = {
    RecordType.CASES: CASE_COLUMNS,
    RecordType.REVIEWS: REVIEW_COLUMNS,
    RecordType.FINDINGS: FINDING_COLUMNS,
    RecordType.ACTIONS: ACTION_COLUMNS,
}

# What makes a row the same record as one already held: a re-import creates nothing new.
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    RecordType.CASES: ("reference",),
    RecordType.REVIEWS: ("kind", "title", "opened_on"),
    RecordType.FINDINGS: ("review_title", "review_opened_on", "kind", "text"),
    RecordType.ACTIONS: ("title", "owner_agency", "agreed_on"),
}


def normalise_heading(text: str) -> str:
    """Headings match whatever their case, spacing and punctuation."""
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def headings(kind: str) -> list[str]:
    return [c.heading for c in COLUMNS[kind]]
