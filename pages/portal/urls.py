from django.urls import path

from . import diary_care, views

app_name = "portal"

urlpatterns = [
    path("portal/", views.home, name="home"),
    path("portal/book/", views.book, name="book"),
    path("portal/midas/", diary_care.midas, name="midas"),
    path("portal/plan/", diary_care.plan, name="plan"),
    path("portal/aftercare/<int:pk>/", views.aftercare, name="aftercare"),
    path("portal/messages/", views.messages_choose, name="messages"),
    path("portal/consent/<int:pk>/", views.consent, name="consent"),
    path("portal/consent/<int:pk>/withdraw/", views.consent_withdraw, name="consent-withdraw"),
    path("portal/consents/<int:pk>/", views.signed_consent, name="signed-consent"),
    path("portal/documents/<int:pk>/", views.document, name="document"),
    path(
        "portal/appointments/<int:pk>.ics",
        views.appointment_calendar,
        name="appointment-ics",
    ),
]
