from django.urls import path

from safeguarding.escalations import views

app_name = "escalations"
urlpatterns = [
    path("", views.register, name="register"),
    path("new/", views.record, name="record"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/move-up/", views.move_up, name="move_up"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("stage-clocks/<int:pk>/", views.step_clock, name="step_clock"),
    path("stages/", views.stages, name="stages"),
    path("stages/new/", views.stage_edit, name="stage_add"),
    path("stages/<int:pk>/", views.stage_edit, name="stage_edit"),
    path("analysis/", views.analysis, name="analysis"),
    path("analysis/export.csv", views.analysis_export, {"fmt": "csv"}, name="analysis_csv"),
    path("analysis/export.xlsx", views.analysis_export, {"fmt": "xlsx"}, name="analysis_xlsx"),
]
