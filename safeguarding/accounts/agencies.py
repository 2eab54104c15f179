"""Which agencies a form offers. A retired agency (Agency.retired_at) stays on every record that
names it and is absent from every new choice: a form for a new record offers, and accepts, only
the partnership's current agencies; a form editing a saved record also keeps the retired
agencies that record already names, so it can be saved without losing them.

Filters and report scopes that read old records (findings about an agency, a report's agencies)
keep every agency, the retired ones labelled "(retired)": the records they find still name them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from safeguarding.accounts.models import Agency, Partnership, User


def agency_label(agency: Agency) -> str:
    return agency.label


def _ids(value: Any) -> set[int]:
    values = value if isinstance(value, list | tuple | set | QuerySet) else [value]
    found: set[int] = set()
    for v in values:
        pk = getattr(v, "pk", v)
        if isinstance(pk, int) or (isinstance(pk, str) and pk.isdigit()):
            found.add(int(pk))
    return found


def _editing(form: forms.BaseForm) -> bool:
    """Whether the form edits a saved record (a model form's instance, or the record a
    versioned form was given): only then may it keep a retired agency."""
    instance = getattr(form, "instance", None)
    if instance is not None and getattr(instance, "pk", None) is not None:
        return True
    return getattr(form, "version_record", None) is not None


def limit_agency_choices(
    form: forms.BaseForm,
    name: str,
    partnership: Partnership,
    *,
    queryset: QuerySet[Agency] | None = None,
    keep: Iterable[Any] | None = None,
) -> None:
    """Offer in `form.fields[name]` the partnership's current agencies (of `queryset`, if
    given), and on a form editing a saved record the retired ones it already names (`keep`,
    by default the field's initial value)."""
    field = form.fields.get(name)
    if not isinstance(field, forms.ModelChoiceField):
        return
    base = queryset if queryset is not None else Agency.objects.all()
    base = base.filter(partnership=partnership)
    kept: set[int] = set()
    if _editing(form):
        kept = _ids(list(keep) if keep is not None else form.initial.get(name, []))
    field.queryset = base.filter(Q(retired_at__isnull=True) | Q(pk__in=kept))
    field.label_from_instance = agency_label  # type: ignore[method-assign,assignment]


def label_retired(form: forms.BaseForm, name: str) -> None:
    """A filter that keeps every agency: the retired ones say so."""
    field = form.fields.get(name)
    if isinstance(field, forms.ModelChoiceField):
        field.label_from_instance = agency_label  # type: ignore[method-assign,assignment]


def agency_active_people(agency: Agency) -> QuerySet[User]:
    """The accounts still switched on that belong to the agency (its agency leads)."""
    return agency.users.filter(is_active=True).order_by("last_name", "first_name", "username")
