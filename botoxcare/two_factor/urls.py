from django.urls import path

from . import views

app_name = "two_factor"

urlpatterns = [
    path("accounts/two-factor/", views.verify, name="verify"),
    path("accounts/two-factor/set-up/", views.enrol, name="enrol"),
]
