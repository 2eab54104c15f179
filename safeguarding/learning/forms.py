"""Forms for findings, themes, the analysis and responses, all on the shared GOV.UK base."""

from __future__ import annotations

from typing import Any

from django import forms

from safeguarding.accounts.agencies import label_retired, limit_agency_choices
from safeguarding.accounts.models import Agency, Partnership
from safeguarding.core.forms import GovukForm, GovukModelForm
from safeguarding.learning.models import (
    Finding,
    FindingKind,
    LearningSettings,
    Theme,
    ThemeStatus,
)
from safeguarding.reviews.models import ReviewKind


def _themes_in_use(partnership: Partnership) -> Any:
    return Theme.objects.filter(partnership=partnership, status=ThemeStatus.ACTIVE).order_by("name")


def _model_choice(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    return field


class FindingForm(GovukModelForm):
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.none(),
        required=False,
        label="Themes",
        help_text="Select every theme the finding is about.",
    )
    agencies = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.none(), required=False, label="Agencies concerned"
    )

    class Meta:
        model = Finding
        fields = ["kind", "text", "source_passage"]
        labels = {
            "kind": "Type of finding",
            "text": "Finding",
            "source_passage": "Passage of the review it comes from (optional)",
        }
        help_texts = {
            "text": "Write it without names, dates of birth or addresses.",
            "source_passage": "Copy the sentence or paragraph of the review it is drawn from.",
        }
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        themes = _themes_in_use(partnership)
        if self.instance.pk:
            # A theme retired since the finding was tagged stays selectable, so that saving
            # the finding does not drop its tag.
            tagged = self.instance.theme_tags.values("counts_as")
            themes = Theme.objects.filter(partnership=partnership, pk__in=tagged) | themes
            self.initial.setdefault("themes", list(tagged.values_list("counts_as", flat=True)))
            self.initial.setdefault("agencies", list(self.instance.agencies.all()))
        _model_choice(self, "themes").queryset = themes.distinct().order_by("name")
        limit_agency_choices(self, "agencies", partnership)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = list(FindingKind.choices)


class BaseQuickEntryFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    """Several findings at once; rows left blank are ignored."""

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        self.partnership = partnership
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {"partnership": self.partnership}

    def clean(self) -> None:
        if any(self.errors):
            return
        if not any(f.has_changed() for f in self.forms):
            raise forms.ValidationError("Enter at least one finding")


class _QuickFindingForm(FindingForm):
    class Meta(FindingForm.Meta):
        pass


MAX_ROWS = 20  # rows of quick entry at most
MORE_ROWS = 3  # blank rows that "Add more rows" adds


def quick_entry_formset(
    data: Any = None, *, partnership: Partnership, rows: int = 3
) -> BaseQuickEntryFormSet:
    formset_class = forms.formset_factory(
        _QuickFindingForm, formset=BaseQuickEntryFormSet, extra=rows, max_num=MAX_ROWS
    )
    formset = formset_class(data, partnership=partnership, prefix="findings")  # type: ignore[call-arg]
    assert isinstance(formset, BaseQuickEntryFormSet)
    return formset


class WithdrawForm(GovukForm):
    reason = forms.CharField(label="Why is the finding being withdrawn?", max_length=300)


class CommentForm(GovukForm):
    text = forms.CharField(label="Comment", widget=forms.Textarea, max_length=4000)


class ThemeForm(GovukModelForm):
    class Meta:
        model = Theme
        fields = ["name", "definition", "keywords", "parent"]
        labels = {"parent": "Sits under (optional)"}
        help_texts = {"definition": "Say in a sentence or two what belongs under this theme."}

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = _themes_in_use(partnership)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        _model_choice(self, "parent").queryset = parents


class MergeForm(GovukForm):
    target = forms.ModelChoiceField(
        queryset=Theme.objects.none(),
        label="Merge into",
        help_text="Its findings will count under the theme you choose. Past tags are kept.",
    )

    def __init__(self, *args: Any, theme: Theme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "target").queryset = _themes_in_use(theme.partnership).exclude(
            pk=theme.pk
        )


class TaxonomyImportForm(GovukForm):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: name, definition, keywords, parent, status. The whole file is "
        "imported, or nothing is.",
    )


class PeriodFieldsMixin(GovukForm):
    start = forms.DateField(label="From")
    end = forms.DateField(label="To")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end of the period must be on or after its start")
        return data


class AnalysisForm(PeriodFieldsMixin):
    review_kinds = forms.MultipleChoiceField(
        choices=ReviewKind.choices,
        required=False,
        label="Types of review",
        help_text="Leave all unticked for every type.",
        widget=forms.CheckboxSelectMultiple,
    )
    agencies = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.none(),
        required=False,
        label="Agencies",
        help_text="Only findings about these agencies. Leave all unticked for every agency.",
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A filter of old records: every agency, the retired ones labelled.
        _model_choice(self, "agencies").queryset = partnership.agencies.all()
        label_retired(self, "agencies")


class FindingSearchForm(GovukForm):
    q = forms.CharField(label="Words", required=False, max_length=200)
    theme = forms.ModelChoiceField(queryset=Theme.objects.none(), required=False, label="Theme")
    kind = forms.ChoiceField(
        choices=[("", "Good practice and improvement"), *FindingKind.choices],
        required=False,
        label="Type of finding",
    )
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(), required=False, label="Agency concerned"
    )
    start = forms.DateField(label="Reviews begun from", required=False)
    end = forms.DateField(label="Reviews begun up to", required=False)

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "theme").queryset = Theme.objects.filter(
            partnership=partnership
        ).exclude(status=ThemeStatus.MERGED)
        _model_choice(self, "agency").queryset = partnership.agencies.all()
        label_retired(self, "agency")
        for name in ("theme", "agency"):
            _model_choice(self, name).empty_label = "Any"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end of the period must be on or after its start")
        return data


class ResponseForm(GovukForm):
    narrative = forms.CharField(
        label="The partnership's response",
        widget=forms.Textarea,
        help_text="What the partnership has done or will do about this theme.",
    )


class LearningSettingsForm(GovukModelForm):
    class Meta:
        model = LearningSettings
        fields = ["cross_cutting_min_reviews", "year_starts_month"]
