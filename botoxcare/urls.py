from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import idle, views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # The idle warning's "Stay signed in" (static/js/idle.js): activity, no patient data.
    path("session/ping/", idle.session_ping, name="session-ping"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Django's own views: a reset page that answers the same whether or not an address is
    # known, and a password change that keeps this session and ends every other one.
    path(
        "accounts/password/reset/",
        auth_views.PasswordResetView.as_view(
            subject_template_name="registration/password_reset_subject.txt",
            email_template_name="registration/password_reset_email.txt",
        ),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "accounts/password/change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("after-login/", views.after_login, name="after-login"),
    path("", include("botoxcare.two_factor.urls")),
    # Before admin.site.urls: /admin/'s own login form (password only) is never served; its
    # operators sign in on the app's page and give a two-factor code like staff.
    path("admin/login/", views.admin_sign_in, name="admin-sign-in"),
    path("admin/", admin.site.urls),
    path("", include("botoxcare.clinic_admin.urls")),
    path("", include("pages.public.urls")),
    path("", include("pages.staff.urls")),
    path("", include("pages.portal.urls")),
    path("", include("patients.urls")),
    path("", include("treatments.urls")),
]
