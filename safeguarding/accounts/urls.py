from django.urls import path

from safeguarding.accounts import (
    agency_views,
    auth_views,
    enrol_views,
    password_reset,
    people_views,
    sso_views,
    views,
)

app_name = "accounts"
urlpatterns = [
    path("login/", auth_views.login, name="login"),
    path("logout/", auth_views.logout, name="logout"),
    # Single sign-on (sso_views.py): 404 unless configured.
    path("login/sso/", sso_views.sso_start, name="sso_start"),
    path("login/sso/callback/", sso_views.sso_callback, name="sso_callback"),
    path("two-factor/", auth_views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/set-up/", auth_views.two_factor_setup, name="two_factor_setup"),
    path("account/", auth_views.account, name="account"),
    path("account/recovery-codes/", auth_views.recovery_codes, name="recovery_codes"),
    path("account/password/", auth_views.password_change, name="password_change"),
    path("account/enrol/<str:token>/", enrol_views.enrol, name="enrol"),
    path("password-reset/", password_reset.request_page, name="password_reset"),
    path("password-reset/sent/", password_reset.sent_page, name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        password_reset.confirm_page,
        name="password_reset_confirm",
    ),
    path("password-reset/done/", password_reset.complete_page, name="password_reset_complete"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/people/", people_views.people_list, name="people"),
    path("settings/people/invite/", people_views.person_invite, name="person_invite"),
    path("settings/people/<int:pk>/", people_views.person_detail, name="person_detail"),
    path(
        "settings/people/<int:pk>/<slug:action>/",
        people_views.person_action,
        name="person_action",
    ),
    path("settings/clocks/<int:pk>/", views.clock_rule_edit, name="clock_rule_edit"),
    path("settings/closures/new/", views.closure_add, name="closure_add"),
    path("settings/age-bands/new/", views.age_band_edit, name="age_band_add"),
    path("settings/age-bands/<int:pk>/", views.age_band_edit, name="age_band_edit"),
    path("settings/age-bands/<int:pk>/remove/", views.age_band_remove, name="age_band_remove"),
    path("settings/agencies/new/", agency_views.agency_add, name="agency_add"),
    path("settings/agencies/<int:pk>/", agency_views.agency_edit, name="agency_edit"),
    path("settings/agencies/<int:pk>/retire/", agency_views.agency_retire, name="agency_retire"),
]
