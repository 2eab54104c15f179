from django.urls import path

from safeguarding.dissemination import views

app_name = "dissemination"
urlpatterns = [
    path("", views.home, name="home"),
    path("products/new/", views.product_create, name="product_create"),
    path("products/<int:pk>/", views.product_detail, name="product_detail"),
    path("products/<int:pk>/edit/", views.product_edit, name="product_edit"),
    path("products/<int:pk>/events/new/", views.event_create, name="event_create"),
    path(
        "products/<int:pk>/request-assurance/",
        views.assurance_request,
        name="assurance_request",
    ),
    path("products/<int:pk>/audit-result/", views.audit_result, name="audit_result"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("reach/", views.reach, name="reach"),
    path("planner/", views.planner, name="planner"),
    path("planner/new/", views.plan_create, name="plan_create"),
    path("assurance/", views.stall, name="stall"),
    path("assurance/<int:pk>/", views.record_detail, name="record_detail"),
    path(
        "assurance/submissions/<int:pk>/decide/",
        views.submission_decide,
        name="submission_decide",
    ),
]
