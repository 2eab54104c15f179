from django.urls import path

from safeguarding.reviews import views

app_name = "reviews"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("incidents/", views.incident_list, name="incident_list"),
    path("incidents/new/", views.incident_create, name="incident_create"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident_detail"),
    path("incidents/<int:pk>/edit/", views.incident_edit, name="incident_edit"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("cases/<int:pk>/identifying-details/", views.case_identity, name="case_identity"),
    path(
        "cases/<int:pk>/identifying-details/edit/",
        views.case_identity_edit,
        name="case_identity_edit",
    ),
    path("reviews/", views.review_list, name="review_list"),
    path("reviews/new/", views.review_create, name="review_create"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("reviews/<int:pk>/edit/", views.review_edit, name="review_edit"),
    path("reviews/<int:pk>/decision/", views.review_decision, name="review_decision"),
    path("reviews/<int:pk>/sign-off/", views.review_signoff, name="review_signoff"),
    path("reviews/<int:pk>/pause/", views.review_pause, name="review_pause"),
    path(
        "reviews/<int:pk>/pauses/<int:pause_pk>/resume/", views.review_resume, name="review_resume"
    ),
    path("reviews/<int:pk>/commission/", views.review_commission, name="review_commission"),
    path("period-summary/", views.period_summary, name="period_summary"),
]
