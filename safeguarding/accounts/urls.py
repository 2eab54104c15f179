from django.urls import path

from safeguarding.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/clocks/<int:pk>/", views.clock_rule_edit, name="clock_rule_edit"),
    path("settings/closures/new/", views.closure_add, name="closure_add"),
    path("settings/age-bands/new/", views.age_band_edit, name="age_band_add"),
    path("settings/age-bands/<int:pk>/", views.age_band_edit, name="age_band_edit"),
]
