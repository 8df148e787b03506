from django.urls import path

from . import diary, diary_care, views

app_name = "portal"

urlpatterns = [
    path("portal/", views.home, name="home"),
    path("portal/book/", views.book, name="book"),
    path("portal/midas/", diary_care.midas, name="midas"),
    path("portal/plan/", diary_care.plan, name="plan"),
    path("portal/cycle-summary.pdf", diary_care.cycle_summary, name="cycle-summary"),
    path("portal/diary/", diary.diary, name="diary"),
    path("portal/diary/no-headache/", diary.diary_no_headache, name="diary-no-headache"),
    path("portal/diary/day/<str:day>/", diary.diary_day, name="diary-day"),
    path("portal/diary/missing/", diary.diary_missing, name="diary-missing"),
    path("portal/diary/medicines/", diary.diary_medicine_add, name="diary-medicine-add"),
    path(
        "portal/diary/medicines/<int:pk>/stop/",
        diary.diary_medicine_stop,
        name="diary-medicine-stop",
    ),
    path("portal/diary/export.csv", diary.diary_export, name="diary-export"),
    path("portal/diary/import/", diary.diary_import, name="diary-import"),
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
