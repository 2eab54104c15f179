from django.urls import path

from safeguarding.accounts import service_views

app_name = "service"
urlpatterns = [
    path("partnerships/", service_views.partnership_list, name="partnerships"),
    path("partnerships/new/", service_views.partnership_create, name="partnership_create"),
    path("partnerships/<int:pk>/", service_views.partnership_detail, name="partnership_detail"),
    path(
        "partnerships/<int:pk>/invite/",
        service_views.business_unit_invite,
        name="business_unit_invite",
    ),
    path(
        "partnerships/<int:pk>/people/<int:user_pk>/<slug:action>/",
        service_views.business_unit_action,
        name="business_unit_action",
    ),
    path("partnerships/<int:pk>/close/", service_views.partnership_close, name="partnership_close"),
]
