"""Template helpers for GOV.UK markup."""

from __future__ import annotations

import datetime as dt

from django import template
from django.forms import BoundField
from django.utils import timezone
from django.utils.safestring import SafeString

register = template.Library()

_CLASSES = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "date": "govuk-input govuk-input--width-10",
    # Django names a widget type after its class: GovukDateInput is "govukdate".
    "govukdate": "govuk-input govuk-input--width-10",
    "number": "govuk-input govuk-input--width-5",
}


@register.simple_tag
def govuk_widget(field: BoundField, css_class: str = "") -> SafeString:
    """Render a field's widget with GOV.UK classes and the hint and error ids it needs."""
    classes = css_class or _CLASSES.get(field.widget_type, "govuk-input")
    if field.errors and not css_class:
        classes += (
            " govuk-textarea--error"
            if field.widget_type == "textarea"
            else (
                " govuk-select--error" if field.widget_type == "select" else " govuk-input--error"
            )
        )
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    attrs: dict[str, str | bool] = {"class": classes}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.widget_type == "textarea":
        attrs["rows"] = "4"
    return field.as_widget(attrs=attrs)


STATUS_TAGS = {
    "on_track": "govuk-tag--green",
    "due_soon": "govuk-tag--yellow",
    "overdue": "govuk-tag--red",
    "met": "govuk-tag--blue",
    "missed": "govuk-tag--orange",
    "paused": "govuk-tag--grey",
}


@register.filter
def status_tag_class(status: str) -> str:
    return STATUS_TAGS.get(status, "govuk-tag--grey")


@register.filter
def govuk_date(value: object) -> str:
    """27 March 2022, the GOV.UK style."""
    if not value:
        return ""
    return f"{value:%-d %B %Y}"


@register.filter
def govuk_datetime(value: object) -> str:
    """4 December 2026 at 3:56pm (UK time), the GOV.UK style."""
    if not isinstance(value, dt.datetime):
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    hour = local.hour % 12 or 12
    return f"{local:%-d %B %Y} at {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


@register.filter
def working_days_early_late(variance: int) -> str:
    """-2 -> "2 working days early", 1 -> "1 working day late", 0 -> "on the due date"."""
    if variance == 0:
        return "on the due date"
    days = abs(variance)
    unit = "working day" if days == 1 else "working days"
    return f"{days} {unit} {'early' if variance < 0 else 'late'}"
