from django.urls import path

from . import views

app_name = "patients"

urlpatterns = [
    path("patients/", views.patient_list, name="list"),
    path("patients/new/", views.patient_register, name="register"),
    path("patients/<int:pk>/", views.patient_detail, name="detail"),
    path("patients/<int:pk>/appointments/new/", views.appointment_new, name="appointment-new"),
    path(
        "patients/<int:pk>/appointments/<int:appointment_pk>/status/",
        views.appointment_status,
        name="appointment-status",
    ),
    path("portal/", views.portal_home, name="portal"),
    path("portal/aftercare/<int:pk>/", views.portal_aftercare, name="portal-aftercare"),
]
