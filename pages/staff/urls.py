from django.urls import path

from . import views

app_name = "staff"

urlpatterns = [
    path("patients/", views.patient_list, name="patients"),
    path("patients/new/", views.patient_register, name="register"),
    path("patients/<int:pk>/", views.patient_detail, name="patient"),
    path("patients/<int:pk>/appointments/new/", views.appointment_new, name="appointment-new"),
]
