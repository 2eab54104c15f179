"""The concerns resolution (escalation) register."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from safeguarding.accounts import access
from safeguarding.api import filters
from safeguarding.api.serializers.escalations import (
    EscalationInputSerializer,
    EscalationSerializer,
    EscalationStageSerializer,
)
from safeguarding.api.views.base import ScopedViewSet, cleaned, valid_data
from safeguarding.core.dates import today
from safeguarding.escalations import services
from safeguarding.escalations.forms import EscalationRecordForm
from safeguarding.escalations.models import Escalation, EscalationStage


@extend_schema_view(
    list=extend_schema(
        summary="Escalations you may see (an agency lead: raised by or about their agency)"
    ),
    retrieve=extend_schema(summary="One escalation"),
    create=extend_schema(
        summary="Record an escalation (business unit, or an agency lead for their own agency)",
        request=EscalationInputSerializer,
        responses={201: EscalationSerializer},
    ),
)
class EscalationViewSet(ScopedViewSet):
    serializer_class = EscalationSerializer
    filterset_class = filters.EscalationFilter
    queryset = Escalation.objects.none()
    read_rule = staticmethod(access.can_user_use_escalation_register)
    read_denied = "Your role sees the escalation analysis (aggregate figures) only."
    write_rule = staticmethod(access.can_user_use_escalation_register)

    def scope(self) -> QuerySet[Any]:
        escalations = access.get_escalations_for_user(self.request.user)
        return escalations.select_related("stage").order_by("-raised_on", "-pk")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = request.user
        partnership = access.get_partnership_for_user(user)
        data = valid_data(EscalationInputSerializer, request.data)
        form = EscalationRecordForm(data, partnership=partnership, user=user, today=today())
        escalation = services.escalation_record(
            actor=user, partnership=partnership, **cleaned(form)
        )
        escalation = self.get_queryset().get(pk=escalation.pk)
        return Response(EscalationSerializer(escalation).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="The stages of your partnership's concerns resolution process"),
    retrieve=extend_schema(summary="One stage"),
)
class EscalationStageViewSet(ScopedViewSet):
    serializer_class = EscalationStageSerializer
    queryset = EscalationStage.objects.none()
    read_rule = staticmethod(access.can_user_use_escalation_register)
    read_denied = "Your role sees the escalation analysis (aggregate figures) only."

    def scope(self) -> QuerySet[Any]:
        partnership = access.get_partnership_for_user(self.request.user)
        return EscalationStage.objects.filter(partnership=partnership).order_by("number")
