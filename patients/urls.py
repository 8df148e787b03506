from django.urls import path

from . import views

app_name = "patients"

urlpatterns = [
    path("callbacks/", views.callbacks, name="callbacks"),
    path("callbacks/<int:pk>/", views.callback_detail, name="callback"),
    path("patients/<int:pk>/contact/", views.contact_edit, name="contact-edit"),
    path(
        "patients/<int:pk>/contact-attempts/new/",
        views.contact_attempt_new,
        name="contact-attempt-new",
    ),
    path("patients/<int:pk>/portal/invite/", views.portal_invite, name="portal-invite"),
    path("patients/<int:pk>/portal/revoke/", views.portal_revoke, name="portal-revoke"),
    path("patients/<int:pk>/portal/remove/", views.portal_remove, name="portal-remove"),
    path("portal/join/<str:token>/", views.portal_join, name="portal-join"),
]
