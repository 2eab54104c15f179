"""Forms for learning products, events, attendance, the planner and the assurance chain."""

from __future__ import annotations

from typing import Any

from django import forms

from safeguarding.accounts.agencies import limit_agency_choices
from safeguarding.accounts.models import Agency, Partnership
from safeguarding.core.forms import GovukForm
from safeguarding.dissemination.models import EventStatus, LearningProduct, ProductKind, Stage
from safeguarding.learning.models import Theme, ThemeStatus
from safeguarding.reviews.models import Review, ReviewKind

STAGE_CHOICES = [(s.value, s.label) for s in Stage if s != Stage.NONE]


class _Choice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        text = str(obj)
        return text if len(text) <= 90 else text[:87] + "..."


class ProductForm(GovukForm):
    kind = forms.ChoiceField(label="Kind", choices=[("", "Choose a kind"), *ProductKind.choices])
    title = forms.CharField(label="Title", max_length=200)
    summary = forms.CharField(label="Summary", widget=forms.Textarea)
    issued_on = forms.DateField(label="Date issued (optional)", required=False)
    reviews = forms.ModelMultipleChoiceField(
        queryset=Review.objects.none(), required=False, label="Reviews it draws on (optional)"
    )
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.none(), required=False, label="Themes (optional)"
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reviews = self.fields["reviews"]
        themes = self.fields["themes"]
        assert isinstance(reviews, forms.ModelMultipleChoiceField)
        assert isinstance(themes, forms.ModelMultipleChoiceField)
        reviews.queryset = Review.objects.filter(partnership=partnership).order_by("title")
        themes.queryset = Theme.objects.filter(partnership=partnership, status=ThemeStatus.ACTIVE)


class EventForm(GovukForm):
    title = forms.CharField(label="Title", max_length=200)
    held_on = forms.DateField(label="Date")
    status = forms.ChoiceField(
        label="Status", choices=EventStatus.choices, widget=forms.RadioSelect
    )
    capacity = forms.IntegerField(label="Places (optional)", required=False, min_value=1)
    audience_agencies = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.none(), label="Audience agencies"
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_agency_choices(self, "audience_agencies", partnership)


class AttendanceForm(GovukForm):
    """One number per agency the user may record attendance for."""

    def __init__(self, *args: Any, agencies: list[Agency], current: dict[int, int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.agencies = agencies
        for agency in agencies:
            self.fields[f"agency_{agency.pk}"] = forms.IntegerField(
                label=f"{agency.name}",
                min_value=0,
                required=False,
                initial=current.get(agency.pk),
                help_text=f"Workforce {agency.workforce_size:,}.",
            )

    def counts(self) -> list[tuple[Agency, int]]:
        return [
            (agency, self.cleaned_data[f"agency_{agency.pk}"])
            for agency in self.agencies
            if self.cleaned_data.get(f"agency_{agency.pk}") is not None
        ]


class PlanForm(GovukForm):
    product = _Choice(
        queryset=LearningProduct.objects.none(), label="Learning product", empty_label="Choose one"
    )
    agencies = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.none(), label="Agencies whose staff need it"
    )
    session_capacity = forms.IntegerField(
        label="Places per session",
        help_text="Must be at least 1.",
        error_messages={"min_value": "Places per session must be at least 1"},
        min_value=1,
    )
    workforce_to_reach = forms.IntegerField(
        label="Workforce to reach (optional)",
        required=False,
        min_value=0,
        help_text="Leave empty to use the chosen agencies' workforce.",
    )
    note = forms.CharField(label="Note (optional)", max_length=300, required=False)

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        product = self.fields["product"]
        agencies = self.fields["agencies"]
        assert isinstance(product, forms.ModelChoiceField)
        assert isinstance(agencies, forms.ModelMultipleChoiceField)
        product.queryset = LearningProduct.objects.filter(partnership=partnership)
        limit_agency_choices(self, "agencies", partnership)


class RequestForm(GovukForm):
    agencies = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.none(), label="Agencies to ask for assurance"
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_agency_choices(self, "agencies", partnership)


class SubmissionForm(GovukForm):
    stage = forms.TypedChoiceField(
        label="Stage reached", choices=STAGE_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    achieved_on = forms.DateField(label="Date reached")
    evidence = forms.CharField(
        label="Evidence",
        widget=forms.Textarea,
        help_text="What shows the stage was reached: for example, the training record, the "
        "audit result or the briefing's circulation list.",
    )
    evidence_url = forms.URLField(
        label="Link to the evidence (optional)", required=False, assume_scheme="https"
    )
    reason = forms.CharField(
        label="Reason, if this is not a step on (optional)",
        widget=forms.Textarea,
        required=False,
        help_text="Needed when the stage is the same as or earlier than the one accepted.",
    )


class DecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("accept", "Accept"), ("return", "Return to the agency")],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="Note to the agency",
        widget=forms.Textarea,
        required=False,
        help_text="Needed when you return it: say what is missing.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "return" and not (data.get("note") or "").strip():
            self.add_error("note", "Say why the submission is returned")
        return data


class AuditResultForm(GovukForm):
    audit = _Choice(
        queryset=Review.objects.none(), label="Multi-agency audit", empty_label="Choose an audit"
    )
    agency = _Choice(queryset=Agency.objects.none(), label="Agency", empty_label="Choose an agency")
    stage = forms.TypedChoiceField(
        label="What the audit showed", choices=STAGE_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    on = forms.DateField(label="Date of the audit result")
    finding = forms.CharField(label="What the audit found", widget=forms.Textarea)
    reason = forms.CharField(
        label="Reason, if the chain goes back (optional)",
        widget=forms.Textarea,
        required=False,
        help_text="Needed when the audit shows an earlier stage than the one accepted.",
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        audit = self.fields["audit"]
        agency = self.fields["agency"]
        assert isinstance(audit, forms.ModelChoiceField)
        assert isinstance(agency, forms.ModelChoiceField)
        audit.queryset = Review.objects.filter(partnership=partnership, kind=ReviewKind.AUDIT)
        limit_agency_choices(self, "agency", partnership)
