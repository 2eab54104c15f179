from django.urls import path

from safeguarding.learning import views, views_themes

app_name = "learning"
urlpatterns = [
    path("analysis/", views.analysis, name="analysis"),
    path(
        "analysis/themes.csv",
        views.analysis_export,
        {"what": "themes", "fmt": "csv"},
        name="themes_csv",
    ),
    path(
        "analysis/themes.xlsx",
        views.analysis_export,
        {"what": "themes", "fmt": "xlsx"},
        name="themes_xlsx",
    ),
    path(
        "analysis/matrix.csv",
        views.analysis_export,
        {"what": "matrix", "fmt": "csv"},
        name="matrix_csv",
    ),
    path(
        "analysis/matrix.xlsx",
        views.analysis_export,
        {"what": "matrix", "fmt": "xlsx"},
        name="matrix_xlsx",
    ),
    path("findings/", views.finding_list, name="finding_list"),
    path("findings/<int:pk>/", views.finding_detail, name="finding_detail"),
    path("findings/<int:pk>/edit/", views.finding_edit, name="finding_edit"),
    path("findings/<int:pk>/withdraw/", views.finding_withdraw, name="finding_withdraw"),
    path("findings/<int:pk>/comment/", views.finding_comment, name="finding_comment"),
    path("reviews/<int:pk>/findings/", views.review_findings_add, name="review_findings_add"),
    path("themes/", views_themes.theme_list, name="theme_list"),
    path("themes/new/", views_themes.theme_create, name="theme_create"),
    path("themes/export.csv", views_themes.taxonomy_export, name="taxonomy_export"),
    path("themes/import/", views_themes.taxonomy_import, name="taxonomy_import"),
    path("themes/versions/", views_themes.taxonomy_versions, name="taxonomy_versions"),
    path("themes/<int:pk>/", views_themes.theme_detail, name="theme_detail"),
    path("themes/<int:pk>/edit/", views_themes.theme_edit, name="theme_edit"),
    path("themes/<int:pk>/merge/", views_themes.theme_merge, name="theme_merge"),
    path("themes/<int:pk>/retire/", views_themes.theme_retire, name="theme_retire"),
    path("themes/<int:pk>/response/", views.theme_response, name="theme_response"),
    path("settings/", views_themes.learning_settings, name="settings"),
]
