from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("after-login/", views.after_login, name="after-login"),
    path("admin/", admin.site.urls),
    path("", include("pages.public.urls")),
    path("", include("pages.staff.urls")),
    path("", include("pages.portal.urls")),
    path("", include("patients.urls")),
    path("", include("treatments.urls")),
]
