"""One GOV.UK base for every form: error summary, labels, hints, error messages.

`{{ form }}` renders the whole form in GOV.UK markup through the renderer below, so no page
writes its own field markup.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.renderers import TemplatesSetting
from django.http import HttpRequest, QueryDict
from django.utils.safestring import SafeString, mark_safe

from safeguarding.core.concurrency import VersionedFormMixin
from safeguarding.core.query import is_id
from safeguarding.core.text import TEXT_MAX_LENGTH, strip_controls

if TYPE_CHECKING:
    # Mixins below are only ever mixed into a form; type-check them as one.
    FormBase = forms.BaseForm
else:
    FormBase = object


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"


class GovukDateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


_INTEGER_KEYS = ("AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField")


def _takes_record_ids(field: forms.Field) -> bool:
    if not isinstance(field, forms.ModelChoiceField) or field.to_field_name:
        return False
    queryset = field.queryset
    return queryset is not None and queryset.model._meta.pk.get_internal_type() in _INTEGER_KEYS


def _ids_checked(field: forms.ModelChoiceField) -> Any:
    """The field's clean(), refusing an id the database cannot hold before any query runs
    (beyond 64 bits SQLite raises OverflowError and PostgreSQL a DataError: a 500)."""
    clean = field.clean

    def checked(value: Any) -> Any:
        values = value if isinstance(value, list | tuple) else [value]
        for v in values:
            if v not in field.empty_values and not is_id(str(v).strip()):
                raise forms.ValidationError(
                    "Select a valid choice. %(value)s is not one of the available choices.",
                    code="invalid_choice",
                    params={"value": str(v)[:40]},
                )
        return clean(value)

    return checked


class GovukFormMixin(FormBase):
    """Use GOV.UK widgets and clear messages for every field; text without control characters;
    record ids the database can hold."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if (
                isinstance(field, forms.CharField)
                and isinstance(field.widget, forms.Textarea)
                and field.max_length is None
            ):
                # A text area with no maximum of its own (a model TextField) takes the one the
                # API takes too (safeguarding.core.text.TEXT_MAX_LENGTH).
                field.max_length = TEXT_MAX_LENGTH
                field.validators.append(validators.MaxLengthValidator(TEXT_MAX_LENGTH))
                field.error_messages["max_length"] = (
                    f"Enter no more than {TEXT_MAX_LENGTH:,} characters"
                )
            if isinstance(field, forms.ModelChoiceField) and _takes_record_ids(field):
                field.clean = _ids_checked(field)  # type: ignore[method-assign]
            if isinstance(field, forms.DateField) and not isinstance(field.widget, GovukDateInput):
                field.widget = GovukDateInput()
                field.error_messages["invalid"] = "Enter a real date"
            if isinstance(field, forms.ModelMultipleChoiceField) and isinstance(
                field.widget, forms.SelectMultiple
            ):
                # The select widget already holds the field's (lazy) choices.
                field.widget = forms.CheckboxSelectMultiple(choices=field.widget.choices)
            if (
                isinstance(field, forms.TypedChoiceField | forms.ChoiceField)
                and not isinstance(field, forms.ModelChoiceField)
                and isinstance(field.widget, forms.RadioSelect)
                and field.required
            ):
                # A radio list needs no "---------" choice: nothing checked means no answer.
                # (The widget holds the same normalised choices, with a type mypy can index.)
                field.choices = [c for c in field.widget.choices if c[0] != ""]
        for name, field in self.fields.items():
            label = str(field.label or name.replace("_", " ")).lower()
            choosing = isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
            field.error_messages["required"] = f"Select {label}" if choosing else f"Enter {label}"
        self.use_required_attribute = False  # GOV.UK: the server says what is missing

    def _widget_data_value(self, widget: forms.Widget, html_name: str) -> Any:
        # Every value the form reads from the request passes here (Django's BaseForm hook
        # behind BoundField.data), so no field of any GOV.UK form stores a control character:
        # a workbook or a Word file cannot hold one (safeguarding.core.text). A text area keeps
        # its tabs and line breaks; in a one-line field they become spaces. Passwords as typed.
        value = super()._widget_data_value(widget, html_name)  # type: ignore[misc]
        if isinstance(widget, forms.PasswordInput):
            return value
        multiline = isinstance(widget, forms.Textarea)
        if isinstance(value, str):
            return strip_controls(value, multiline=multiline)
        if isinstance(value, list | tuple):
            return [
                strip_controls(v, multiline=multiline) if isinstance(v, str) else v for v in value
            ]
        return value

    def get_context(self) -> dict[str, Any]:
        context = super().get_context()
        context["form_list"] = [self]
        return context

    def render_fields(self) -> SafeString:
        """The fields alone, for a page that puts one error summary over several forms."""
        # Each field group is rendered (and escaped) by the field template.
        # The hidden fields too: an edit form's record version (safeguarding.core.concurrency).
        hidden = "".join(str(f) for f in self.hidden_fields())
        return mark_safe(  # noqa: S308
            hidden + "".join(str(f.as_field_group()) for f in self.visible_fields())
        )


class GovukForm(VersionedFormMixin, GovukFormMixin, forms.Form):
    """Given the `record=` it changes, a form carries that record's version and refuses a change
    made on an out-of-date version (safeguarding.core.concurrency)."""


class GovukModelForm(VersionedFormMixin, GovukFormMixin, forms.ModelForm):
    """An edit form of a saved record carries its version, and refuses a change made on an
    out-of-date version (safeguarding.core.concurrency)."""


def posted(request: HttpRequest) -> QueryDict | None:
    """The form data of a POST (even an empty one), or None to show an unbound form.

    Not `request.POST or None`: an empty POST is falsy, so a form sent with nothing filled in
    would come back blank instead of saying what is missing.
    """
    return request.POST if request.method == "POST" else None


def add_service_errors(error: ValidationError, *forms_shown: forms.BaseForm) -> None:
    """Show a service's refusal on the page's forms: each message on the first form with that
    field (so the error summary links to it), the rest above the fields."""
    if not forms_shown:
        raise ValueError("Name at least one form")
    if not hasattr(error, "error_dict"):
        forms_shown[0].add_error(None, error.messages)
        return
    for name, errors in error.error_dict.items():
        target = next((f for f in forms_shown if name in f.fields), None)
        if target is None:
            forms_shown[0].add_error(None, errors)
        else:
            target.add_error(name, errors)


@contextmanager
def refusals_shown(*forms_shown: forms.BaseForm) -> Iterator[None]:
    """Run a view's writes in one transaction; if a service refuses them (ValidationError),
    undo them all and show why on the forms (`add_service_errors`) instead of failing:

        with refusals_shown(form):
            services.review_pause(...)
            return redirect(...)
        return render(...)  # reached only when refused
    """
    try:
        with transaction.atomic():
            yield
    except ValidationError as error:
        add_service_errors(error, *forms_shown)
