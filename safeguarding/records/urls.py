from django.urls import path

from safeguarding.records import views

app_name = "records"
urlpatterns = [
    path("retention/", views.retention, name="retention"),
    path("holds/new/", views.hold_place, name="hold_place"),
    path("holds/<int:pk>/lift/", views.hold_lift, name="hold_lift"),
]
