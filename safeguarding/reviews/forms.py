"""Forms for the review register, all on the shared GOV.UK base."""

from __future__ import annotations

from typing import Any

from django import forms

from safeguarding.accounts.agencies import limit_agency_choices
from safeguarding.accounts.models import Agency, Partnership
from safeguarding.core.forms import FormBase, GovukForm, GovukModelForm
from safeguarding.reviews.models import (
    Case,
    CaseIdentity,
    Incident,
    NotificationDecision,
    RapidReviewDecision,
    Review,
    ReviewKind,
)

CASE_FIELDS = [
    "reference",
    "age_years",
    "sex",
    "ethnicity",
    "disability",
    "outcome",
    "category",
    "incident_date",
    "agencies_involved",
]


def _choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    return field


class PartnershipScopedMixin(FormBase):
    """Limit every agency choice to the user's own partnership, without retired agencies
    (but with those a saved record already names)."""

    agency_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        self.partnership = partnership
        super().__init__(*args, **kwargs)
        for name in self.agency_fields:
            limit_agency_choices(self, name, partnership)


class CaseForm(PartnershipScopedMixin, GovukModelForm):
    agency_fields = ("agencies_involved",)

    class Meta:
        model = Case
        fields = CASE_FIELDS
        labels = {
            "reference": "Case reference",
            "age_years": "Age at the incident, in years",
            "category": "Category of abuse or neglect",
            "agencies_involved": "Agencies involved with the child or family",
        }
        widgets = {
            "sex": forms.RadioSelect,
            "disability": forms.RadioSelect,
            "outcome": forms.RadioSelect,
        }

    def clean_reference(self) -> str:
        reference = self.cleaned_data["reference"].strip()
        clash = Case.objects.filter(partnership=self.partnership, reference__iexact=reference)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(f"There is already a case with reference {reference}")
        return reference


class IncidentForm(GovukModelForm):
    class Meta:
        model = Incident
        fields = ["summary", "la_aware_on", "decision", "decision_rationale", "notified_on"]
        labels = {
            "summary": "What happened",
            "la_aware_on": "Date the local authority became aware",
            "decision": "Notification decision",
            "decision_rationale": "Reasons for the decision",
            "notified_on": "Date the national Panel was notified",
        }
        help_texts = {"summary": "Do not include names, dates of birth or addresses."}
        widgets = {"decision": forms.RadioSelect}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        decision = data.get("decision")
        notified = data.get("notified_on")
        if decision == NotificationDecision.NOTIFY and not data.get("decision_rationale"):
            self.add_error("decision_rationale", "Enter the reasons for the decision to notify")
        if decision == NotificationDecision.DO_NOT_NOTIFY and not data.get("decision_rationale"):
            self.add_error("decision_rationale", "Enter the reasons for not notifying")
        if notified and decision != NotificationDecision.NOTIFY:
            self.add_error(
                "notified_on", "Only enter a notification date if the decision is to notify"
            )
        # The order of the dates is the services' rule (safeguarding.reviews.dates).
        return data


class ReviewForm(PartnershipScopedMixin, GovukModelForm):
    """Opening a review that does not come from an incident (local review, audit, other)."""

    agency_fields = ("agencies",)

    class Meta:
        model = Review
        fields = [
            "kind",
            "title",
            "case",
            "opened_on",
            "commissioned_on",
            "author",
            "audit_topic",
            "audit_questions",
            "agencies",
        ]
        labels = {
            "kind": "Type of review",
            "opened_on": "Date opened",
            "case": "Case (leave blank for an audit or thematic review)",
            "agencies": "Agencies taking part",
        }
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "case").queryset = Case.objects.filter(partnership=self.partnership)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [c for c in ReviewKind.choices if c[0] != ReviewKind.RAPID_REVIEW]


class RapidReviewForm(PartnershipScopedMixin, GovukModelForm):
    """What the national Panel expects in a rapid review."""

    agency_fields = ("agencies",)

    class Meta:
        model = Review
        fields = [
            "title",
            "status",
            "agencies",
            "facts",
            "agency_involvement",
            "key_practice_episodes",
            "immediate_actions",
            "inequalities",
            "sent_to_panel_on",
            "panel_response",
            "panel_response_on",
            "panel_agreed",
        ]
        labels = {
            "sent_to_panel_on": "Date sent to the national Panel",
            "panel_response_on": "Date of the Panel's response",
            "panel_agreed": "Did the Panel agree with the decision?",
            "agencies": "Agencies taking part",
        }


class ReviewEditForm(PartnershipScopedMixin, GovukModelForm):
    agency_fields = ("agencies",)
    publication_url = forms.URLField(
        label="Web address of the published report", required=False, assume_scheme="https"
    )

    class Meta:
        model = Review
        fields = [
            "title",
            "status",
            "agencies",
            "opened_on",
            "commissioned_on",
            "author",
            "completed_on",
            "audit_topic",
            "audit_questions",
            "audit_summary",
            "panel_notified_before_publication_on",
            "published_on",
            "publication_url",
        ]
        labels = {
            "panel_notified_before_publication_on": (
                "Date the Panel and Secretary of State were told of publication"
            )
        }


class DecisionForm(GovukModelForm):
    class Meta:
        model = Review
        fields = ["decision", "decision_rationale", "decision_on"]
        labels = {"decision": "Decision after the rapid review", "decision_on": "Date of decision"}
        widgets = {"decision": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        decision = self.fields["decision"]
        assert isinstance(decision, forms.ChoiceField)
        # A decision form must record a decision: drop the "not yet decided" choice.
        decision.choices = [c for c in RapidReviewDecision.choices if c[0]]
        decision.required = True
        self.fields["decision_rationale"].required = True
        self.fields["decision_on"].required = True


class SignoffForm(GovukForm):
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label="Statutory partner")
    signed_by = forms.CharField(label="Signed off by (name and role)", max_length=200)
    signed_on = forms.DateField(label="Date signed off")

    def __init__(self, *args: Any, review: Review, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        signed = review.signoffs.values("agency")
        # A retired statutory partner signs nothing new.
        _choice_field(self, "agency").queryset = (
            review.partnership.agencies.current()
            .filter(is_statutory_partner=True)
            .exclude(pk__in=signed)
        )


class PauseForm(GovukForm):
    starts_on = forms.DateField(label="Date paused")
    reason = forms.CharField(
        label="Reason", max_length=300, help_text="For example, parallel criminal proceedings."
    )


class ResumeForm(GovukForm):
    ends_on = forms.DateField(label="Date resumed")


class CommissionForm(GovukForm):
    commissioned_on = forms.DateField(label="Date commissioned")
    author = forms.CharField(label="Independent reviewer or author", max_length=200, required=False)


class IdentityForm(GovukModelForm):
    version_record_name = "case's identifying details"

    class Meta:
        model = CaseIdentity
        fields = ["child_name", "date_of_birth", "address", "agency_record_numbers"]
        labels = {"child_name": "Child's name"}


class PeriodForm(GovukForm):
    start = forms.DateField(label="From")
    end = forms.DateField(label="To")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end of the period must be on or after its start")
        return data
