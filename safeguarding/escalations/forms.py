"""Forms for the escalation register, on the shared GOV.UK base.

The record form asks for five things only (who raised it, about whom, the concern, the date and
the stage); everything else can follow on the escalation's page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet

from safeguarding.accounts import access
from safeguarding.accounts.agencies import limit_agency_choices
from safeguarding.accounts.models import Agency, Partnership, Role, User
from safeguarding.core.forms import GovukForm, GovukModelForm
from safeguarding.escalations.models import (
    ConcernCategory,
    Escalation,
    EscalationStage,
    EscalationStatus,
    HowResolved,
)
from safeguarding.learning.models import Theme, ThemeStatus
from safeguarding.reviews.models import Review


def _model_choice(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    return field


class StageChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: EscalationStage) -> str:
        return f"{obj.number}. {obj.name} ({obj.working_days} working days)"


class EscalationRecordForm(GovukForm):
    raised_by_agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(), label="Raised by (agency)", empty_label="Choose an agency"
    )
    about_agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        label="About (the agency whose decision is challenged)",
        empty_label="Choose an agency",
    )
    category = forms.ChoiceField(
        label="Concern", choices=[("", "Choose the concern"), *ConcernCategory.choices]
    )
    raised_on = forms.DateField(label="Date raised")
    stage = StageChoiceField(
        queryset=EscalationStage.objects.none(),
        label="Stage reached",
        widget=forms.RadioSelect,
        empty_label=None,
    )
    raised_by_name = forms.CharField(
        label="Person who raised it (optional)",
        max_length=200,
        required=False,
        help_text="Name and role.",
    )
    child_reference = forms.CharField(
        label="Child's reference (optional)",
        max_length=40,
        required=False,
        help_text='Pseudonymous, for example "Child A". Never a name.',
    )

    def __init__(
        self, *args: Any, partnership: Partnership, user: User, today: dt.date, **kwargs: Any
    ) -> None:
        self.user = user
        self.today = today
        stages = EscalationStage.objects.filter(partnership=partnership).order_by("number")
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("raised_on", today)
        initial.setdefault("stage", stages.first())
        if user.role == Role.AGENCY_LEAD:
            initial.setdefault("raised_by_agency", user.agency_id)
        super().__init__(*args, **kwargs)
        agencies = partnership.agencies.order_by("name")
        for name in ("raised_by_agency", "about_agency"):
            limit_agency_choices(self, name, partnership, queryset=agencies)
        _model_choice(self, "stage").queryset = stages
        for name, message in (
            ("raised_by_agency", "Select the agency that raised it"),
            ("about_agency", "Select the agency whose decision is challenged"),
            ("category", "Select the concern"),
            ("raised_on", "Enter the date raised"),
            ("stage", "Select the stage reached"),
        ):
            self.fields[name].error_messages["required"] = message

    def clean_raised_on(self) -> dt.date:
        raised_on: dt.date = self.cleaned_data["raised_on"]
        if raised_on > self.today:
            raise forms.ValidationError("The date raised must be today or in the past")
        return raised_on

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        by, about = data.get("raised_by_agency"), data.get("about_agency")
        if by and about and by == about:
            self.add_error("about_agency", "Choose a different agency from the one that raised it")
        if (
            self.user.role == Role.AGENCY_LEAD
            and by
            and about
            and self.user.agency_id not in (by.pk, about.pk)
        ):
            self.add_error(
                "raised_by_agency",
                "You can record escalations raised by or about your own agency only",
            )
        return data


class MoveUpForm(GovukForm):
    on = forms.DateField(
        label="Date it moved up (optional)", required=False, help_text="Leave blank for today."
    )
    note = forms.CharField(label="Note (optional)", max_length=500, required=False)


class CloseForm(GovukForm):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[c for c in EscalationStatus.choices if c[0] != EscalationStatus.OPEN],
        widget=forms.RadioSelect,
    )
    how_resolved = forms.ChoiceField(
        label="If resolved, how",
        choices=HowResolved.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    note = forms.CharField(
        label="Note",
        widget=forms.Textarea,
        required=False,
        help_text="How it was resolved, why it was withdrawn, or where it was referred.",
    )
    on = forms.DateField(
        label="Date closed (optional)", required=False, help_text="Leave blank for today."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].error_messages["required"] = "Select the outcome"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        outcome = data.get("outcome")
        if outcome == EscalationStatus.RESOLVED and not data.get("how_resolved"):
            self.add_error("how_resolved", "Select how the escalation was resolved")
        if outcome == EscalationStatus.REFERRED_ON and not data.get("note"):
            self.add_error("note", "Enter where the escalation was referred")
        return data


class EscalationDetailForm(GovukModelForm):
    """The detail that can follow the first record."""

    class Meta:
        model = Escalation
        fields = [
            "summary",
            "raised_by_name",
            "child_reference",
            "category",
            "reviews",
            "themes",
        ]
        labels = {
            "summary": "What the concern is about (optional)",
            "raised_by_name": "Person who raised it (optional)",
            "child_reference": "Child's reference (optional)",
            "category": "Concern",
            "reviews": "Reviews it links to (optional)",
            "themes": "Themes (optional)",
        }
        help_texts = {"summary": "Do not include names, dates of birth or addresses."}

    def __init__(self, *args: Any, reviews: Any, themes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "reviews").queryset = reviews
        self.fields["reviews"].required = False
        if self.instance.pk:
            # A theme retired or merged since it was linked stays selectable, so that saving
            # the escalation does not drop it.
            themes = themes | self.instance.themes.all()
        _model_choice(self, "themes").queryset = themes.distinct().order_by("name")
        self.fields["themes"].required = False
        self.fields["themes"].help_text = "Select every theme of the partnership it bears on."


class StageForm(GovukModelForm):
    class Meta:
        model = EscalationStage
        fields = ["name", "working_days", "description"]
        labels = {"name": "Stage name", "description": "Who is involved (optional)"}


def theme_choices(user: User) -> QuerySet[Theme]:
    """Themes an escalation may be linked to: the partnership's themes in use."""
    return access.get_themes_for_user(user).filter(status=ThemeStatus.ACTIVE)


def review_choices(user: User) -> QuerySet[Review]:
    """Reviews an escalation may be linked to: those the user may see."""
    return access.get_reviews_for_user(user).order_by("-opened_on", "-pk")


class PeriodForm(GovukForm):
    start = forms.DateField(label="From")
    end = forms.DateField(label="To")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end of the period must be on or after its start")
        return data
