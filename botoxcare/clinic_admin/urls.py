from django.urls import path

from . import views

app_name = "clinic_admin"

urlpatterns = [
    path("clinic/staff/", views.staff_list, name="staff"),
    path("clinic/staff/new/", views.staff_add, name="staff-add"),
    path("clinic/staff/<int:pk>/", views.staff_member, name="staff-member"),
    path("clinic/staff/<int:pk>/hours/", views.staff_hours, name="staff-hours"),
    path("clinic/staff/<int:pk>/active/", views.staff_active, name="staff-active"),
    path(
        "clinic/staff/<int:pk>/set-password/",
        views.staff_set_password,
        name="staff-set-password",
    ),
    path("clinic/staff/<int:pk>/unlock/", views.staff_unlock, name="staff-unlock"),
    path(
        "clinic/staff/<int:pk>/two-factor/reset/",
        views.staff_two_factor_reset,
        name="staff-two-factor-reset",
    ),
    path("clinic/settings/", views.clinic_settings, name="settings"),
]
