"""Filters for the list endpoints (django-filter). A value a filter cannot read is a 400 that
names the parameter, never a silently ignored filter and never a 500."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters as filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions
from rest_framework.request import Request

from safeguarding.actionplans.models import Action, ActionStatus
from safeguarding.dissemination.models import (
    AssuranceRecord,
    EventStatus,
    LearningEvent,
    LearningProduct,
    ProductKind,
    Stage,
)
from safeguarding.escalations.models import (
    ConcernCategory,
    Escalation,
    EscalationStatus,
)
from safeguarding.learning.models import Finding, FindingKind, FindingTheme, Theme, ThemeStatus
from safeguarding.reviews.models import (
    AbuseCategory,
    Case,
    Incident,
    NotificationDecision,
    Outcome,
    Review,
    ReviewKind,
    ReviewStatus,
    Sex,
)

MAX_ID = 2**63 - 1
_MIN_DATE, _MAX_DATE = dt.date.min, dt.date.max


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(filters.NumberFilter):
    """A record id: a whole number; an id that matches nothing gives an empty list."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "string", "format": "date"})
class DateMethodFilter(filters.DateFilter):
    """A date filter with a method (drf-spectacular cannot tell its type by itself)."""


def _date(field: str, lookup: str, text: str) -> filters.DateFilter:
    return filters.DateFilter(field_name=field, lookup_expr=lookup, label=text)


class StrictFilterBackend(DjangoFilterBackend):
    """Refuses an empty value for any filter other than free text (django-filter would
    otherwise ignore it, so a client's bug would pass unseen)."""

    def filter_queryset(self, request: Request, queryset: QuerySet, view: Any) -> QuerySet:
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            for name, flt in filterset_class.base_filters.items():
                values = request.query_params.getlist(name)
                # An empty ordering is the empty list the schema allows; empty text is text.
                free = isinstance(flt, filters.CharFilter | filters.OrderingFilter)
                if not free and any(v == "" for v in values):
                    raise exceptions.ValidationError({name: ["Enter a value."]})
        return super().filter_queryset(request, queryset, view)


class IncidentFilter(filters.FilterSet):
    decision = filters.ChoiceFilter(choices=NotificationDecision.choices)
    case = IdFilter()
    la_aware_from = _date("la_aware_on", "gte", "Became aware on or after")
    la_aware_to = _date("la_aware_on", "lte", "Became aware on or before")
    ordering = filters.OrderingFilter(fields=["la_aware_on", "notified_on", "id"])

    class Meta:
        model = Incident
        fields: list[str] = []


class CaseFilter(filters.FilterSet):
    sex = filters.ChoiceFilter(choices=Sex.choices)
    outcome = filters.ChoiceFilter(choices=Outcome.choices)
    category = filters.ChoiceFilter(choices=AbuseCategory.choices)
    agency = IdFilter(field_name="agencies_involved", distinct=True)
    incident_from = _date("incident_date", "gte", "Incident on or after")
    incident_to = _date("incident_date", "lte", "Incident on or before")
    ordering = filters.OrderingFilter(fields=["reference", "incident_date", "id"])

    class Meta:
        model = Case
        fields: list[str] = []


class ReviewFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=ReviewKind.choices)
    status = filters.ChoiceFilter(choices=ReviewStatus.choices)
    case = IdFilter()
    agency = IdFilter(field_name="agencies", distinct=True)
    opened_from = _date("opened_on", "gte", "Opened on or after")
    opened_to = _date("opened_on", "lte", "Opened on or before")
    ordering = filters.OrderingFilter(fields=["opened_on", "completed_on", "title", "id"])

    class Meta:
        model = Review
        fields: list[str] = []


class FindingFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=FindingKind.choices)
    review = IdFilter()
    review_kind = filters.ChoiceFilter(field_name="review__kind", choices=ReviewKind.choices)
    theme = IdFilter(method="filter_theme", label="Counted under this theme")
    agency = IdFilter(method="filter_agency", label="About this agency")
    period_from = DateMethodFilter(method="filter_from", label="Review begun on or after")
    period_to = DateMethodFilter(method="filter_to", label="Review begun on or before")
    withdrawn = filters.ChoiceFilter(
        choices=[("exclude", "Current findings only"), ("include", "Withdrawn ones too")],
        method="filter_withdrawn",
        label="Withdrawn findings (default: exclude)",
    )
    ordering = filters.OrderingFilter(fields=["created_at", "review", "kind", "id"])

    class Meta:
        model = Finding
        fields: list[str] = []

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        if self.form.cleaned_data.get("withdrawn") != "include":
            queryset = queryset.filter(withdrawn_at__isnull=True)
        return super().filter_queryset(queryset)

    def filter_withdrawn(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset  # applied in filter_queryset, so that "exclude" is also the default

    def filter_theme(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        tags = FindingTheme.objects.filter(finding=OuterRef("pk"), counts_as=value)
        return queryset.filter(Exists(tags))

    def filter_agency(self, queryset: Any, name: str, value: Any) -> QuerySet:
        return queryset.concerning([int(value)])

    def filter_from(self, queryset: Any, name: str, value: Any) -> QuerySet:
        return queryset.in_period(value, _MAX_DATE)

    def filter_to(self, queryset: Any, name: str, value: Any) -> QuerySet:
        return queryset.in_period(_MIN_DATE, value)


class ThemeFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=ThemeStatus.choices)
    ordering = filters.OrderingFilter(fields=["name", "id"])

    class Meta:
        model = Theme
        fields: list[str] = []


class ActionFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=ActionStatus.choices)
    agency = IdFilter(field_name="owner_agency")
    theme = IdFilter()
    review = IdFilter()
    due_from = _date("due_on", "gte", "Due on or after")
    due_to = _date("due_on", "lte", "Due on or before")
    ordering = filters.OrderingFilter(fields=["due_on", "agreed_on", "id"])

    class Meta:
        model = Action
        fields: list[str] = []


class LearningProductFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=ProductKind.choices)
    theme = IdFilter(field_name="themes", distinct=True)
    review = IdFilter(field_name="reviews", distinct=True)
    issued_from = _date("issued_on", "gte", "Issued on or after")
    issued_to = _date("issued_on", "lte", "Issued on or before")
    ordering = filters.OrderingFilter(fields=["issued_on", "title", "id"])

    class Meta:
        model = LearningProduct
        fields: list[str] = []


class LearningEventFilter(filters.FilterSet):
    product = IdFilter()
    status = filters.ChoiceFilter(choices=EventStatus.choices)
    agency = IdFilter(field_name="audience_agencies", distinct=True)
    held_from = _date("held_on", "gte", "Held on or after")
    held_to = _date("held_on", "lte", "Held on or before")
    ordering = filters.OrderingFilter(fields=["held_on", "id"])

    class Meta:
        model = LearningEvent
        fields: list[str] = []


class AssuranceRecordFilter(filters.FilterSet):
    product = IdFilter()
    agency = IdFilter()
    stage = filters.TypedChoiceFilter(choices=Stage.choices, coerce=int)
    ordering = filters.OrderingFilter(fields=["stage", "requested_on", "id"])

    class Meta:
        model = AssuranceRecord
        fields: list[str] = []


class EscalationFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=EscalationStatus.choices)
    category = filters.ChoiceFilter(choices=ConcernCategory.choices)
    raised_by_agency = IdFilter()
    about_agency = IdFilter()
    agency = IdFilter(method="filter_agency", label="Raised by or about this agency")
    raised_from = _date("raised_on", "gte", "Raised on or after")
    raised_to = _date("raised_on", "lte", "Raised on or before")
    ordering = filters.OrderingFilter(fields=["raised_on", "closed_on", "number", "id"])

    class Meta:
        model = Escalation
        fields: list[str] = []

    def filter_agency(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset.filter(Q(raised_by_agency=value) | Q(about_agency=value))
