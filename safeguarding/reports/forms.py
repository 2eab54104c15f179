"""Forms of the reports pages, on the shared GOV.UK base."""

from __future__ import annotations

from typing import Any

from django import forms

from safeguarding.accounts.agencies import label_retired
from safeguarding.accounts.models import Agency, Partnership
from safeguarding.core.forms import GovukForm
from safeguarding.reviews.models import ReviewKind

NO_IDENTIFYING = "Do not include names, dates of birth, addresses or record numbers."


class ScrutinyReportForm(GovukForm):
    start = forms.DateField(label="Period from")
    end = forms.DateField(label="Period to")
    review_kinds = forms.MultipleChoiceField(
        label="Review types (optional)",
        choices=ReviewKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Leave all unticked to include every type of review.",
    )
    agencies = forms.ModelMultipleChoiceField(
        label="Agencies (optional)",
        queryset=Agency.objects.none(),
        required=False,
        help_text="Only themes from findings about these agencies. Leave unticked for all.",
    )
    introduction = forms.CharField(
        label="Introduction (optional)",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text="Kept with the report. Separate paragraphs with a blank line. Leave blank "
        "for the standard introduction. " + NO_IDENTIFYING,
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agencies"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = partnership.agencies.order_by("name")
        label_retired(self, "agencies")  # a period's findings may name a retired agency
        self.fields["start"].error_messages["required"] = "Enter the start of the period"
        self.fields["end"].error_messages["required"] = "Enter the end of the period"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end of the period must be on or after its start")
        return data


class BriefForm(GovukForm):
    summary = forms.CharField(
        label="Summary",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What happened and what the review looked at, in a few sentences. Call the "
        "child by the case's pseudonym only. " + NO_IDENTIFYING,
        max_length=3000,
    )
    questions = forms.CharField(
        label="Questions for practitioners",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One question a line.",
        max_length=2000,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["summary"].error_messages["required"] = "Enter a summary"
        self.fields["questions"].error_messages["required"] = (
            "Enter at least one question for practitioners"
        )
