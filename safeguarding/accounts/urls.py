from django.urls import path

from safeguarding.accounts import auth_views, enrol_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", auth_views.login, name="login"),
    path("logout/", auth_views.logout, name="logout"),
    path("two-factor/", auth_views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/set-up/", auth_views.two_factor_setup, name="two_factor_setup"),
    path("account/", auth_views.account, name="account"),
    path("account/recovery-codes/", auth_views.recovery_codes, name="recovery_codes"),
    path("account/password/", auth_views.password_change, name="password_change"),
    path("account/enrol/<str:token>/", enrol_views.enrol, name="enrol"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/clocks/<int:pk>/", views.clock_rule_edit, name="clock_rule_edit"),
    path("settings/closures/new/", views.closure_add, name="closure_add"),
    path("settings/age-bands/new/", views.age_band_edit, name="age_band_add"),
    path("settings/age-bands/<int:pk>/", views.age_band_edit, name="age_band_edit"),
    path("settings/age-bands/<int:pk>/remove/", views.age_band_remove, name="age_band_remove"),
]
