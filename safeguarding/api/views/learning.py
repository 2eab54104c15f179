"""Findings and the theme taxonomy."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from safeguarding.accounts import access
from safeguarding.api import filters
from safeguarding.api.serializers.learning import (
    FindingInputSerializer,
    FindingSerializer,
    ThemeSerializer,
)
from safeguarding.api.views.base import (
    ScopedViewSet,
    cleaned,
    field_error,
    id_or_404,
    valid_data,
)
from safeguarding.learning import services
from safeguarding.learning.forms import FindingForm
from safeguarding.learning.models import Finding, FindingTheme, Theme


@extend_schema_view(
    list=extend_schema(summary="Findings of the reviews you may see"),
    retrieve=extend_schema(summary="One finding"),
    create=extend_schema(
        summary="Record a finding of a review (business unit)",
        request=FindingInputSerializer,
        responses={201: FindingSerializer},
    ),
)
class FindingViewSet(ScopedViewSet):
    serializer_class = FindingSerializer
    filterset_class = filters.FindingFilter
    queryset = Finding.objects.none()
    read_rule = staticmethod(access.can_user_read_findings)
    read_denied = "Your role sees aggregate theme counts only, not the findings."
    write_rule = staticmethod(access.can_user_edit_learning)
    write_denied = "Only the business unit records findings."

    def scope(self) -> QuerySet[Any]:
        tags = FindingTheme.objects.only("finding_id", "counts_as_id")
        return (
            access.get_findings_for_user(self.request.user)
            .prefetch_related(Prefetch("theme_tags", queryset=tags), "agencies")
            .order_by("review_id", "kind", "pk")
        )

    def get_object(self) -> Finding:
        # A withdrawn finding can still be read by its id (the list leaves it out by default).
        return access.get_object_for_user(self.scope(), id_or_404(self.kwargs["pk"]))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = request.user
        partnership = access.get_partnership_for_user(user)
        data = valid_data(FindingInputSerializer, request.data)
        review = access.get_reviews_for_user(user).filter(pk=data.pop("review")).first()
        form = FindingForm(data, partnership=partnership)
        cleaned(form)
        if review is None:
            field_error("review", "Choose a review of your partnership.")
        finding = services.finding_create(
            actor=user,
            review=review,
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
            source_passage=form.cleaned_data.get("source_passage") or "",
            themes=form.cleaned_data["themes"],
            agencies=form.cleaned_data["agencies"],
        )
        finding = self.scope().get(pk=finding.pk)
        return Response(FindingSerializer(finding).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="The themes of your partnership's taxonomy"),
    retrieve=extend_schema(summary="One theme"),
)
class ThemeViewSet(ScopedViewSet):
    serializer_class = ThemeSerializer
    filterset_class = filters.ThemeFilter
    queryset = Theme.objects.none()
    read_rule = staticmethod(access.can_user_read_taxonomy)
    read_denied = "You do not belong to a partnership."

    def scope(self) -> QuerySet[Any]:
        return access.get_themes_for_user(self.request.user).order_by("name", "pk")
