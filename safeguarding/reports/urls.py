from django.urls import path

from safeguarding.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("scrutiny/new/", views.scrutiny_new, name="scrutiny_new"),
    path("versions/<int:pk>/", views.version_detail, name="version"),
    path("versions/<int:pk>/progress.json", views.version_progress, name="progress"),
    path("versions/<int:pk>/publish/", views.version_publish, name="publish"),
    path(
        "versions/<int:pk>/<str:rendition>.<str:fmt>",
        views.download,
        name="download",
    ),
    path("briefs/review/<int:review_pk>/", views.brief, name="brief"),
]
