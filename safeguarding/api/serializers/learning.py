"""Findings and themes."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from safeguarding.api.fields import IdField, StrictCharField, StrictChoiceField
from safeguarding.api.fields import id_list as _ids
from safeguarding.learning.models import Finding, FindingKind, Theme


class FindingSerializer(serializers.ModelSerializer):
    themes = serializers.SerializerMethodField(
        help_text="Ids of the themes the finding counts under now (after any merges)."
    )

    class Meta:
        model = Finding
        fields = [
            "id",
            "review",
            "kind",
            "text",
            "source_passage",
            "themes",
            "agencies",
            "created_at",
            "withdrawn_at",
            "withdrawn_reason",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_themes(self, finding: Finding) -> list[int]:
        return sorted({tag.counts_as_id for tag in finding.theme_tags.all()})


class FindingInputSerializer(serializers.Serializer):
    review = IdField(help_text="The id of a review of your partnership.")
    kind = StrictChoiceField(choices=FindingKind.choices)
    text = StrictCharField(help_text="Without names, dates of birth or addresses.")
    source_passage = StrictCharField(required=False, allow_blank=True)
    themes = _ids(help_text="Ids of themes in use.")
    agencies = _ids(help_text="Ids of the agencies concerned.")


class ThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["id", "name", "definition", "keywords", "parent", "status", "merged_into"]
