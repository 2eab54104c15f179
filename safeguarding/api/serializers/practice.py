"""Actions, learning products and events, and assurance records."""

from __future__ import annotations

from rest_framework import serializers

from safeguarding.actionplans.models import Action, ActionStatus
from safeguarding.api.fields import StrictCharField, StrictChoiceField, StrictDateField
from safeguarding.dissemination.models import AssuranceRecord, LearningEvent, LearningProduct


class ActionSerializer(serializers.ModelSerializer):
    evidence_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Action
        fields = [
            "id",
            "title",
            "description",
            "owner_agency",
            "lead",
            "agreed_on",
            "due_on",
            "status",
            "completed_on",
            "progress_note",
            "recommendation",
            "review",
            "finding",
            "theme",
            "theme_response",
            "evidence_count",
        ]


class ActionStatusInputSerializer(serializers.Serializer):
    """Move an action on, as the action's page does. Completing it needs evidence already
    attached (added on the action's page)."""

    status = StrictChoiceField(choices=ActionStatus.choices)
    on = StrictDateField(help_text="For a completed action, the date completed.")
    note = StrictCharField(required=False, allow_blank=True, help_text="Progress note.")


class LearningProductSerializer(serializers.ModelSerializer):
    class Meta:
        model = LearningProduct
        fields = ["id", "kind", "title", "summary", "issued_on", "reviews", "themes"]


class LearningEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = LearningEvent
        fields = ["id", "product", "title", "held_on", "status", "capacity", "audience_agencies"]


class AssuranceRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = AssuranceRecord
        fields = ["id", "product", "agency", "stage", "stage_on", "requested_on"]
