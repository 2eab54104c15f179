"""Actions, learning products and events, and assurance records."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action as route
from rest_framework.request import Request
from rest_framework.response import Response

from safeguarding.accounts import access
from safeguarding.actionplans import services
from safeguarding.actionplans.forms import ActionStatusForm
from safeguarding.actionplans.models import Action
from safeguarding.api import filters
from safeguarding.api.serializers.practice import (
    ActionSerializer,
    ActionStatusInputSerializer,
    AssuranceRecordSerializer,
    LearningEventSerializer,
    LearningProductSerializer,
)
from safeguarding.api.views.base import (
    ScopedViewSet,
    check_if_match,
    cleaned,
    id_or_404,
    valid_data,
    with_etag,
)
from safeguarding.dissemination.models import AssuranceRecord, LearningEvent, LearningProduct

WORKING_DENIED = "Your role sees aggregate figures only, not individual records."


def _may_update_actions(user: Any) -> bool:
    # The business unit, or an agency lead (for their own agency's actions: checked per action).
    return access.can_user_manage_actions(user) or access.is_agency_lead(user)


@extend_schema_view(
    list=extend_schema(summary="Actions you may see (an agency lead: their own agency's)"),
    retrieve=extend_schema(summary="One action"),
)
class ActionViewSet(ScopedViewSet):
    serializer_class = ActionSerializer
    filterset_class = filters.ActionFilter
    queryset = Action.objects.none()
    read_rule = staticmethod(access.can_user_read_actions)
    read_denied = WORKING_DENIED
    write_rule = staticmethod(_may_update_actions)
    write_denied = "Only the business unit and the owner agency's lead move actions on."

    def scope(self) -> QuerySet[Any]:
        actions = access.get_actions_for_user(self.request.user)
        return actions.with_evidence_count().order_by("due_on", "pk")

    @extend_schema(
        summary="Move an action on (business unit, or the owner agency's lead)",
        request=ActionStatusInputSerializer,
        responses={200: ActionSerializer},
    )
    @route(detail=True, methods=["post"], url_path="status")
    def set_status(self, request: Request, pk: str, format: str | None = None) -> Response:
        user = request.user
        found = access.get_action_for_update(user, id_or_404(pk))  # 404 out of scope, 403 read only
        check_if_match(request, found)  # 428 without the action's ETag, 412 with an old one
        data = valid_data(ActionStatusInputSerializer, request.data)
        form = cleaned(ActionStatusForm(data))
        services.action_set_status(
            actor=user,
            action=found,
            status=form["status"],
            on=form["on"],
            note=form.get("note") or "",
        )
        changed = self.get_queryset().get(pk=found.pk)
        return with_etag(Response(ActionSerializer(changed).data), changed)


@extend_schema_view(
    list=extend_schema(summary="Learning products of your partnership"),
    retrieve=extend_schema(summary="One learning product"),
)
class LearningProductViewSet(ScopedViewSet):
    serializer_class = LearningProductSerializer
    filterset_class = filters.LearningProductFilter
    queryset = LearningProduct.objects.none()
    read_rule = staticmethod(access.can_user_read_dissemination)
    read_denied = WORKING_DENIED

    def scope(self) -> QuerySet[Any]:
        user = self.request.user
        products = access.get_products_for_user(user)
        # Only the reviews the user may read, as on the product's page (an agency lead's scope).
        readable = Prefetch("reviews", queryset=access.get_reviews_for_user(user).order_by("pk"))
        return products.prefetch_related(readable, "themes").order_by("-issued_on", "pk")


@extend_schema_view(
    list=extend_schema(summary="Learning events (sessions, briefings) of your partnership"),
    retrieve=extend_schema(summary="One learning event"),
)
class LearningEventViewSet(ScopedViewSet):
    serializer_class = LearningEventSerializer
    filterset_class = filters.LearningEventFilter
    queryset = LearningEvent.objects.none()
    read_rule = staticmethod(access.can_user_read_dissemination)
    read_denied = WORKING_DENIED

    def scope(self) -> QuerySet[Any]:
        events = access.get_events_for_user(self.request.user)
        return events.prefetch_related("audience_agencies").order_by("held_on", "pk")


@extend_schema_view(
    list=extend_schema(
        summary="Assurance records: how far learning has got in each agency "
        "(an agency lead: their own agency's)"
    ),
    retrieve=extend_schema(summary="One assurance record"),
)
class AssuranceRecordViewSet(ScopedViewSet):
    serializer_class = AssuranceRecordSerializer
    filterset_class = filters.AssuranceRecordFilter
    queryset = AssuranceRecord.objects.none()
    read_rule = staticmethod(access.can_user_read_dissemination)
    read_denied = WORKING_DENIED

    def scope(self) -> QuerySet[Any]:
        records = access.get_assurance_records_for_user(self.request.user)
        return records.order_by("product_id", "agency_id", "pk")
