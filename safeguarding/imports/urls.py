from django.urls import path

from safeguarding.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.import_page, name="import"),
    path("templates/<str:record_type>.<str:fmt>", views.template_download, name="template"),
]
