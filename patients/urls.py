from django.urls import path

from . import views

app_name = "patients"

urlpatterns = [
    path("patients/<int:pk>/appointments/new/", views.appointment_new, name="appointment-new"),
]
