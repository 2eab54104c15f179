from django.urls import path

from safeguarding.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.import_page, name="import"),
    path("<int:pk>/", views.job_page, name="job"),
    path("<int:pk>/progress", views.job_progress, name="progress"),
    path("templates/<str:record_type>.<str:fmt>", views.template_download, name="template"),
]
