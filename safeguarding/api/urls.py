"""The REST API: version 1 under /api/v1/, its OpenAPI 3 schema at /api/schema/, the
documentation at /api/docs/, and the business unit's token page at /api/tokens/."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from safeguarding.api import tokens
from safeguarding.api.views.escalations import EscalationStageViewSet, EscalationViewSet
from safeguarding.api.views.learning import FindingViewSet, ThemeViewSet
from safeguarding.api.views.practice import (
    ActionViewSet,
    AssuranceRecordViewSet,
    LearningEventViewSet,
    LearningProductViewSet,
)
from safeguarding.api.views.reviews import (
    AgencyViewSet,
    CaseViewSet,
    IncidentViewSet,
    ReviewViewSet,
)

app_name = "api"


class Router(DefaultRouter):
    include_root_view = False  # the schema and the docs describe the API


router = Router(trailing_slash="/")
router.register("agencies", AgencyViewSet, basename="agency")
router.register("incidents", IncidentViewSet, basename="incident")
router.register("cases", CaseViewSet, basename="case")
router.register("reviews", ReviewViewSet, basename="review")
router.register("findings", FindingViewSet, basename="finding")
router.register("themes", ThemeViewSet, basename="theme")
router.register("actions", ActionViewSet, basename="action")
router.register("learning-products", LearningProductViewSet, basename="learning-product")
router.register("learning-events", LearningEventViewSet, basename="learning-event")
router.register("assurance-records", AssuranceRecordViewSet, basename="assurance-record")
router.register("escalations", EscalationViewSet, basename="escalation")
router.register("escalation-stages", EscalationStageViewSet, basename="escalation-stage")


def not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    """Any other address under /api/v1/: the API's JSON 404, not the site's HTML page."""
    return JsonResponse({"detail": "Not found."}, status=404)


class DocsView(SpectacularSwaggerSplitView):
    # Our own page template: the packaged one has an inline <style>, which the CSP refuses.
    template_name = "api/swagger_ui.html"


urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
    path("tokens/", tokens.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", tokens.token_revoke, name="token_revoke"),
    # Only addresses ending in "/": one without it is first redirected to it (APPEND_SLASH).
    re_path(r"^v1/(?P<rest>.*/)?$", not_found),
]
