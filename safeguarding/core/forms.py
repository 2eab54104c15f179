"""One GOV.UK base for every form: error summary, labels, hints, error messages.

`{{ form }}` renders the whole form in GOV.UK markup through the renderer below, so no page
writes its own field markup.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import DjangoTemplates


class GovukFormRenderer(DjangoTemplates):
    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"


class GovukDateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class GovukFormMixin:
    """Use GOV.UK widgets and clear messages for every field."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            if isinstance(field, forms.DateField) and not isinstance(field.widget, GovukDateInput):
                field.widget = GovukDateInput()
                field.error_messages["invalid"] = "Enter a real date"
            if isinstance(field, forms.ModelMultipleChoiceField) and isinstance(
                field.widget, forms.SelectMultiple
            ):
                field.widget = forms.CheckboxSelectMultiple(choices=field.choices)
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            label = str(field.label or name.replace("_", " ")).lower()
            choosing = isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
            field.error_messages["required"] = f"Select {label}" if choosing else f"Enter {label}"
        self.use_required_attribute = False  # GOV.UK: the server says what is missing

    def get_context(self) -> dict[str, Any]:
        context = super().get_context()  # type: ignore[misc]
        context["form_list"] = [self]
        return context

    def render_fields(self) -> str:
        """The fields alone, for a page that puts one error summary over several forms."""
        return "".join(str(field.as_field_group()) for field in self.visible_fields())  # type: ignore[attr-defined]


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    pass
