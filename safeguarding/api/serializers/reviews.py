"""Agencies, cases (never their identifying details), incidents and reviews."""

from __future__ import annotations

from rest_framework import serializers

from safeguarding.accounts.models import Agency
from safeguarding.api.fields import (
    IdField,
    StrictCharField,
    StrictChoiceField,
    StrictDateField,
    StrictIntegerField,
)
from safeguarding.api.fields import id_list as _ids
from safeguarding.reviews.models import (
    AbuseCategory,
    Case,
    Disability,
    Ethnicity,
    Incident,
    NotificationDecision,
    Outcome,
    Review,
    ReviewKind,
    Sex,
)


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name", "short_name", "is_statutory_partner", "workforce_size"]


class CaseSerializer(serializers.ModelSerializer):
    """A case by its pseudonymous reference. Identifying details (name, date of birth,
    address, agency record numbers) are never part of the API, not even as a link."""

    age_band = serializers.CharField(read_only=True, help_text="The partnership's age band.")

    class Meta:
        model = Case
        fields = [
            "id",
            "reference",
            "age_years",
            "age_band",
            "sex",
            "ethnicity",
            "disability",
            "outcome",
            "category",
            "incident_date",
            "agencies_involved",
        ]


class CaseInputSerializer(serializers.Serializer):
    reference = StrictCharField(max_length=40, help_text='Pseudonymous, for example "Child A".')
    age_years = StrictIntegerField(
        required=False, allow_null=True, min_value=0, max_value=32767, help_text="0 for under 1."
    )
    sex = StrictChoiceField(choices=Sex.choices, default=Sex.UNKNOWN)
    ethnicity = StrictChoiceField(choices=Ethnicity.choices, default=Ethnicity.UNKNOWN)
    disability = StrictChoiceField(choices=Disability.choices, default=Disability.UNKNOWN)
    outcome = StrictChoiceField(choices=Outcome.choices)
    category = StrictChoiceField(choices=AbuseCategory.choices, default=AbuseCategory.NOT_KNOWN)
    incident_date = StrictDateField(required=False, allow_null=True)
    agencies_involved = _ids(help_text="Ids of agencies of your partnership.")


class IncidentSerializer(serializers.ModelSerializer):
    case_reference = serializers.CharField(source="case.reference", read_only=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "case",
            "case_reference",
            "summary",
            "la_aware_on",
            "decision",
            "decision_rationale",
            "notified_on",
            "created_at",
        ]


class IncidentInputSerializer(serializers.Serializer):
    case = IdField(help_text="The id of a case of your partnership (see /api/v1/cases/).")
    summary = StrictCharField(help_text="What happened, without names or addresses.")
    la_aware_on = StrictDateField(help_text="Date the local authority became aware.")
    decision = StrictChoiceField(
        choices=NotificationDecision.choices, default=NotificationDecision.PENDING
    )
    decision_rationale = StrictCharField(required=False, allow_blank=True)
    notified_on = StrictDateField(required=False, allow_null=True)


class ReviewSerializer(serializers.ModelSerializer):
    # Blank until published, so not a "uri" in the schema's sense.
    publication_url = serializers.CharField(read_only=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "kind",
            "title",
            "case",
            "incident",
            "status",
            "opened_on",
            "completed_on",
            "agencies",
            "decision",
            "decision_rationale",
            "decision_on",
            "sent_to_panel_on",
            "panel_agreed",
            "panel_response_on",
            "commissioned_on",
            "author",
            "published_on",
            "publication_url",
            "audit_topic",
        ]


# A rapid review opens from an incident (POST /incidents/ with decision "notify"), as on the pages.
OPENABLE_KINDS = [c for c in ReviewKind.choices if c[0] != ReviewKind.RAPID_REVIEW]


class ReviewInputSerializer(serializers.Serializer):
    kind = StrictChoiceField(choices=OPENABLE_KINDS)
    title = StrictCharField(max_length=200)
    case = IdField(required=False, allow_null=True)
    opened_on = StrictDateField()
    commissioned_on = StrictDateField(required=False, allow_null=True)
    author = StrictCharField(max_length=200, required=False, allow_blank=True)
    audit_topic = StrictCharField(max_length=200, required=False, allow_blank=True)
    audit_questions = StrictCharField(required=False, allow_blank=True)
    agencies = _ids(help_text="Ids of the agencies taking part.")
