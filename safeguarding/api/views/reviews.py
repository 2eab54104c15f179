"""Agencies, cases, incidents and reviews."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from safeguarding.accounts import access
from safeguarding.accounts.models import Agency
from safeguarding.api import filters
from safeguarding.api.serializers.reviews import (
    AgencySerializer,
    CaseInputSerializer,
    CaseSerializer,
    IncidentInputSerializer,
    IncidentSerializer,
    ReviewInputSerializer,
    ReviewSerializer,
)
from safeguarding.api.views.base import (
    ScopedViewSet,
    cleaned,
    field_error,
    model_data,
    valid_data,
)
from safeguarding.reviews import services
from safeguarding.reviews.forms import CaseForm, IncidentForm, ReviewForm
from safeguarding.reviews.models import Case, Incident, Review

REGISTERS_DENIED = "Your role sees aggregate figures only, not individual records."
EDIT_DENIED = "Only the business unit records and changes incidents, cases and reviews."


@extend_schema_view(
    list=extend_schema(summary="The agencies of your partnership"),
    retrieve=extend_schema(summary="One agency"),
)
class AgencyViewSet(ScopedViewSet):
    serializer_class = AgencySerializer
    queryset = Agency.objects.none()
    read_rule = staticmethod(access.can_user_read_taxonomy)
    read_denied = "You do not belong to a partnership."

    def scope(self) -> QuerySet[Any]:
        return access.get_agencies_for_user(self.request.user).order_by("name", "pk")


class _RegisterViewSet(ScopedViewSet):
    read_rule = staticmethod(access.can_user_use_registers)
    read_denied = REGISTERS_DENIED
    write_rule = staticmethod(access.can_user_edit_reviews)
    write_denied = EDIT_DENIED


@extend_schema_view(
    list=extend_schema(summary="Cases you may see (pseudonymous; no identifying details)"),
    retrieve=extend_schema(summary="One case (no identifying details)"),
    create=extend_schema(
        summary="Record a case (business unit)",
        request=CaseInputSerializer,
        responses={201: CaseSerializer},
    ),
)
class CaseViewSet(_RegisterViewSet):
    serializer_class = CaseSerializer
    filterset_class = filters.CaseFilter
    queryset = Case.objects.none()

    def scope(self) -> QuerySet[Any]:
        cases = access.get_cases_for_user(self.request.user).with_age_band()
        return cases.prefetch_related("agencies_involved").order_by("reference", "pk")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = request.user
        partnership = access.get_partnership_for_user(user)
        data = valid_data(CaseInputSerializer, request.data)
        form = CaseForm(data, partnership=partnership)
        cleaned(form)
        case = services.case_create(
            actor=user,
            partnership=partnership,
            agencies=form.cleaned_data["agencies_involved"],
            **model_data(form, exclude=("agencies_involved",)),
        )
        case = self.get_queryset().get(pk=case.pk)
        return Response(CaseSerializer(case).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Serious incidents you may see"),
    retrieve=extend_schema(summary="One incident"),
    create=extend_schema(
        summary="Record an incident (business unit); a decision to notify opens its rapid review",
        request=IncidentInputSerializer,
        responses={201: IncidentSerializer},
    ),
)
class IncidentViewSet(_RegisterViewSet):
    serializer_class = IncidentSerializer
    filterset_class = filters.IncidentFilter
    queryset = Incident.objects.none()

    def scope(self) -> QuerySet[Any]:
        incidents = access.get_incidents_for_user(self.request.user)
        return incidents.select_related("case").order_by("-la_aware_on", "-pk")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = request.user
        partnership = access.get_partnership_for_user(user)
        data = valid_data(IncidentInputSerializer, request.data)
        case = access.get_cases_for_user(user).filter(pk=data.pop("case")).first()
        form = IncidentForm(data)
        cleaned(form)
        if case is None:
            field_error("case", "Choose a case of your partnership.")
        incident = services.incident_record(
            actor=user, partnership=partnership, case=case, **model_data(form)
        )
        return Response(IncidentSerializer(incident).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Reviews you may see"),
    retrieve=extend_schema(summary="One review"),
    create=extend_schema(
        summary="Open a review that does not come from an incident (business unit)",
        request=ReviewInputSerializer,
        responses={201: ReviewSerializer},
    ),
)
class ReviewViewSet(_RegisterViewSet):
    serializer_class = ReviewSerializer
    filterset_class = filters.ReviewFilter
    queryset = Review.objects.none()

    def scope(self) -> QuerySet[Any]:
        reviews = access.get_reviews_for_user(self.request.user)
        return reviews.prefetch_related("agencies").order_by("-opened_on", "-pk")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = request.user
        partnership = access.get_partnership_for_user(user)
        data = valid_data(ReviewInputSerializer, request.data)
        form = ReviewForm(data, partnership=partnership)
        cleaned(form)
        review = services.review_create(
            actor=user,
            partnership=partnership,
            agencies=form.cleaned_data["agencies"],
            **model_data(form, exclude=("agencies",)),
        )
        return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)
