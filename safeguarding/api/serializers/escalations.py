"""The concerns resolution (escalation) register."""

from __future__ import annotations

from rest_framework import serializers

from safeguarding.api.fields import IdField, StrictCharField, StrictChoiceField, StrictDateField
from safeguarding.escalations.models import ConcernCategory, Escalation, EscalationStage


class EscalationSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    stage_number = serializers.IntegerField(source="stage.number", read_only=True)

    class Meta:
        model = Escalation
        fields = [
            "id",
            "reference",
            "raised_by_agency",
            "raised_by_name",
            "about_agency",
            "category",
            "child_reference",
            "raised_on",
            "stage",
            "stage_number",
            "status",
            "closed_on",
            "how_resolved",
            "outcome_note",
            "working_days_to_close",
            "summary",
            "themes",
        ]


class EscalationInputSerializer(serializers.Serializer):
    """The five things the record page asks for (plus two optional ones)."""

    raised_by_agency = IdField()
    about_agency = IdField(help_text="The agency whose decision is challenged.")
    category = StrictChoiceField(choices=ConcernCategory.choices)
    raised_on = StrictDateField(help_text="Today or in the past.")
    stage = IdField(help_text="The id of one of your partnership's escalation stages.")
    raised_by_name = StrictCharField(max_length=200, required=False, allow_blank=True)
    child_reference = StrictCharField(
        max_length=40, required=False, allow_blank=True, help_text="Pseudonymous; never a name."
    )


class EscalationStageSerializer(serializers.ModelSerializer):
    class Meta:
        model = EscalationStage
        fields = ["id", "number", "name", "working_days", "description"]
