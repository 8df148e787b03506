from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("clinics/<slug:slug>/", views.clinic_page, name="clinic"),
    path("clinics/<slug:slug>/call-me/", views.call_me, name="call-me"),
    path("clinics/<slug:slug>/call-me/sent/", views.sent, name="sent"),
]
