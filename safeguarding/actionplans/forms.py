"""Forms for recommendations, actions and evidence, on the shared GOV.UK base."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from safeguarding.accounts.agencies import limit_agency_choices
from safeguarding.accounts.models import Agency, Partnership
from safeguarding.actionplans.models import ActionStatus, EvidenceKind, Recommendation
from safeguarding.actionplans.services import ActionError, check_evidence_file
from safeguarding.core.forms import GovukForm
from safeguarding.learning.models import Finding, Theme, ThemeResponse, ThemeStatus
from safeguarding.reviews.models import Review


class _Choice(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A choice list whose labels are short enough to read."""

    def label_from_instance(self, obj: Any) -> str:
        text = str(obj)
        return text if len(text) <= 90 else text[:87] + "..."


class GovukFileInput(forms.FileInput):
    """A file input with the GOV.UK class (the shared widget tag would give it a text box's)."""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        attrs = dict(attrs or {})
        error = "--error" in attrs.get("class", "")
        attrs["class"] = "govuk-file-upload" + (" govuk-file-upload--error" if error else "")
        return super().get_context(name, value, attrs)


def _links(form: forms.BaseForm, partnership: Partnership) -> None:
    """Limit every link field to the partnership's own records."""
    querysets = {
        "recommendation": Recommendation.objects.filter(partnership=partnership),
        "review": Review.objects.filter(partnership=partnership).order_by("-opened_on"),
        "finding": Finding.objects.filter(partnership=partnership)
        .current()
        .select_related("review"),
        "theme": Theme.objects.filter(partnership=partnership, status=ThemeStatus.ACTIVE),
        "theme_response": ThemeResponse.objects.filter(partnership=partnership).select_related(
            "theme"
        ),
    }
    for name, queryset in querysets.items():
        field = form.fields.get(name)
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = queryset
    # Without retired agencies, but with the one an action being edited already names.
    limit_agency_choices(form, "owner_agency", partnership)


class RecommendationForm(GovukForm):
    title = forms.CharField(label="Short title", max_length=200)
    text = forms.CharField(label="Recommendation", widget=forms.Textarea)
    made_on = forms.DateField(label="Date made")
    review = _Choice(
        queryset=Review.objects.none(),
        required=False,
        label="Review it comes from (optional)",
        empty_label="None",
    )
    finding = _Choice(
        queryset=Finding.objects.none(),
        required=False,
        label="Finding it answers (optional)",
        help_text="The review is taken from the finding when none is chosen.",
        empty_label="None",
    )
    theme = _Choice(
        queryset=Theme.objects.none(), required=False, label="Theme (optional)", empty_label="None"
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _links(self, partnership)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        review, finding = data.get("review"), data.get("finding")
        if review and finding and finding.review_id != review.pk:
            self.add_error("finding", "Choose a finding of that review, or leave the review empty")
        return data


class ActionForm(GovukForm):
    title = forms.CharField(label="Action", max_length=200)
    description = forms.CharField(
        label="What will be done (optional)", widget=forms.Textarea, required=False
    )
    owner_agency = _Choice(
        queryset=Agency.objects.none(), label="Owner agency", empty_label="Choose an agency"
    )
    lead = forms.CharField(
        label="Lead", max_length=200, help_text="The person who leads it, and their role."
    )
    agreed_on = forms.DateField(label="Date agreed")
    due_on = forms.DateField(
        label="Due date (optional)",
        required=False,
        help_text="Leave empty for the partnership's standard time for an action.",
    )
    recommendation = _Choice(
        queryset=Recommendation.objects.none(),
        required=False,
        label="Recommendation it answers (optional)",
        empty_label="None",
    )
    theme_response = _Choice(
        queryset=ThemeResponse.objects.none(),
        required=False,
        label="Partnership response to a theme (optional)",
        empty_label="None",
    )
    review = _Choice(
        queryset=Review.objects.none(),
        required=False,
        label="Review (optional)",
        empty_label="None",
    )
    finding = _Choice(
        queryset=Finding.objects.none(),
        required=False,
        label="Finding (optional)",
        empty_label="None",
    )
    theme = _Choice(
        queryset=Theme.objects.none(), required=False, label="Theme (optional)", empty_label="None"
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _links(self, partnership)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        agreed, due = data.get("agreed_on"), data.get("due_on")
        if agreed and due and due < agreed:
            self.add_error("due_on", "The due date must be on or after the date agreed")
        response, theme = data.get("theme_response"), data.get("theme")
        if response and theme and response.theme_id != theme.pk:
            self.add_error("theme", "Choose the theme of the response, or leave it empty")
        return data


class ActionStatusForm(GovukForm):
    status = forms.ChoiceField(
        label="Status", choices=ActionStatus.choices, widget=forms.RadioSelect
    )
    on = forms.DateField(label="Date", help_text="For a completed action, the date completed.")
    note = forms.CharField(label="Progress note (optional)", widget=forms.Textarea, required=False)


class EvidenceForm(GovukForm):
    kind = forms.ChoiceField(
        label="Kind of evidence", choices=EvidenceKind.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label="What the evidence shows",
        widget=forms.Textarea,
        help_text="For example: the revised guidance was issued to all staff on 3 March.",
    )
    file = forms.FileField(
        label="File (for a file)",
        required=False,
        widget=GovukFileInput,
        help_text="PDF, Word, Excel, PowerPoint, OpenDocument text, PNG, JPEG, text or CSV; "
        "smaller than 10 MB.",
    )
    url = forms.URLField(
        label="Link (for a link)", required=False, max_length=500, assume_scheme="https"
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        upload = data.get("file")
        if kind == EvidenceKind.FILE:
            if not isinstance(upload, UploadedFile):
                self.add_error("file", "Choose a file")
            else:
                try:
                    check_evidence_file(upload)
                except ActionError as error:
                    self.add_error("file", str(error))
        if kind == EvidenceKind.LINK and not data.get("url") and "url" not in self.errors:
            self.add_error("url", "Enter the link")
        return data
