"""Forms of the retention page: the schedule's periods, placing and lifting a legal hold."""

from __future__ import annotations

from typing import Any

from django import forms

from safeguarding.core.forms import GovukForm
from safeguarding.records.models import RetentionRule


class ScheduleForm(GovukForm):
    """One period field per record type of the partnership's schedule."""

    version_record_name = "retention schedule"

    def __init__(self, *args: Any, rules: list[RetentionRule], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rules = rules
        for rule in rules:
            name = f"years_{rule.record_type}"
            self.fields[name] = forms.IntegerField(
                label=f"{rule.get_record_type_display()} (years)",
                help_text=f"Counted from {rule.counted_from}.",
                min_value=1,
                max_value=100,
                error_messages={
                    "invalid": "Enter the period as a whole number of years",
                    "min_value": "Enter a period of at least 1 year",
                    "max_value": "Enter a period of at most 100 years",
                },
            )
            self.fields[name].error_messages["required"] = (
                f"Enter the period for {rule.get_record_type_display().lower()}"
            )
            self.initial.setdefault(name, rule.years)

    def changed_periods(self) -> list[tuple[RetentionRule, int]]:
        return [
            (rule, self.cleaned_data[f"years_{rule.record_type}"])
            for rule in self.rules
            if self.cleaned_data[f"years_{rule.record_type}"] != rule.years
        ]


class HoldPlaceForm(GovukForm):
    case: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None,  # type: ignore[arg-type]
        required=False,
        label="Case",
        help_text="Choose a case, or a review below: not both.",
    )
    review: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None,  # type: ignore[arg-type]
        required=False,
        label="Review",
    )
    reason = forms.CharField(
        label="Reason for the hold",
        help_text="For example the proceedings, inquiry or request it is for. No names.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def __init__(self, *args: Any, cases: Any, reviews: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases  # type: ignore[attr-defined]
        self.fields["case"].empty_label = "Not a case"  # type: ignore[attr-defined]
        self.fields["review"].queryset = reviews  # type: ignore[attr-defined]
        self.fields["review"].empty_label = "Not a review"  # type: ignore[attr-defined]
        self.fields["reason"].error_messages["required"] = "Enter the reason for the hold"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "case" in self.errors or "review" in self.errors:
            return data
        if bool(data.get("case")) == bool(data.get("review")):
            self.add_error("case", "Choose either a case or a review to hold")
        return data


class HoldLiftForm(GovukForm):
    version_record_name = "legal hold"

    reason = forms.CharField(
        label="Reason for lifting the hold",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "Enter the reason for lifting the hold"
