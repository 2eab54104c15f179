from django.urls import include, path

from safeguarding.core.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("safeguarding.accounts.urls")),
    path("learning/", include("safeguarding.learning.urls")),
    path("escalations/", include("safeguarding.escalations.urls")),
    path("actions/", include("safeguarding.actionplans.urls")),
    path("practice/", include("safeguarding.dissemination.urls")),
    path("reports/", include("safeguarding.reports.urls")),
    path("import/", include("safeguarding.imports.urls")),
    path("api/", include("safeguarding.api.urls")),
    path("records/", include("safeguarding.records.urls")),
    path("service/", include("safeguarding.accounts.service_urls")),
    path("", include("safeguarding.reviews.urls")),
]

handler400 = "safeguarding.core.views.bad_request"
handler403 = "safeguarding.core.views.forbidden"
handler404 = "safeguarding.core.views.not_found"
handler500 = "safeguarding.core.views.server_error"
