from django.urls import path

from . import audit, calendar, consultation, diary, diary_care, flagged, review, session, views
from .schedules import views as schedules

app_name = "staff"

urlpatterns = [
    path("patients/", views.patient_list, name="patients"),
    path("patients/new/", views.patient_register, name="register"),
    path("patients/<int:pk>/", views.patient_detail, name="patient"),
    path("patients/<int:pk>/appointments/new/", views.appointment_new, name="appointment-new"),
    path(
        "patients/<int:pk>/appointments/<int:appointment_pk>/move/",
        views.appointment_move,
        name="appointment-move",
    ),
    path(
        "patients/<int:pk>/sessions/<int:session_pk>/",
        session.session_page,
        name="session",
    ),
    path("patients/<int:pk>/midas/new/", diary_care.midas_new, name="midas-new"),
    path("patients/<int:pk>/plan/", diary_care.plan_edit, name="plan-edit"),
    path("patients/<int:pk>/plan/history/", diary_care.plan_history, name="plan-history"),
    path("patients/<int:pk>/diary/day/<str:day>/", diary.diary_day, name="diary-day"),
    path("patients/<int:pk>/diary/export.csv", diary.diary_export, name="diary-export"),
    path("patients/<int:pk>/cycle-summary.pdf", diary.cycle_summary, name="cycle-summary"),
    path(
        "patients/<int:pk>/diary/medicines/",
        diary.diary_medicine_add,
        name="diary-medicine-add",
    ),
    # The treatments step pages composed with the diary (pages/staff/consultation.py and
    # review.py): they read the diary's figures and pass them into treatments' services.
    path("patients/<int:pk>/consultation/", consultation.consultation, name="consultation"),
    path("patients/<int:pk>/retreatment/", review.retreatment, name="retreatment"),
    path("patients/<int:pk>/review/", review.review, name="review"),
    path("clinic/audit/", audit.audit_list, name="audit"),
    path("clinic/audit/export.csv", audit.audit_export, name="audit-export"),
    path("diary/flagged/", flagged.flagged, name="flagged"),
    path("calendar/", calendar.calendar, name="calendar"),
    path("calendar/book/", calendar.calendar_book, name="calendar-book"),
    path("schedules/", schedules.schedules, name="schedules"),
    path("schedules/act/", schedules.schedules_act, name="schedules-act"),
    path("schedules/export.csv", schedules.schedules_export, name="schedules-export"),
    path(
        "schedules/reminders/<int:pk>/<str:action>/",
        schedules.reminder_failed_act,
        name="reminder-failed-act",
    ),
]
