from django.urls import path

from . import views

app_name = "patients"

urlpatterns = [
    path("patients/<int:pk>/appointments/new/", views.appointment_new, name="appointment-new"),
    path("callbacks/", views.callbacks, name="callbacks"),
    path("callbacks/<int:pk>/", views.callback_detail, name="callback"),
]
