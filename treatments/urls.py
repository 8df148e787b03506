from django.urls import path

from .views import (
    amendments,
    consent,
    consent_forms,
    documents,
    history,
    recall,
    records,
    steps,
    visits,
)

app_name = "treatments"

urlpatterns = [
    path("patients/<int:pk>/lists/<slug:kind>/add/", history.list_add, name="list-add"),
    path(
        "patients/<int:pk>/lists/<slug:kind>/<int:item_pk>/remove/",
        history.list_remove,
        name="list-remove",
    ),
    path(
        "patients/<int:pk>/amend/<slug:kind>/<int:record_pk>/",
        amendments.record_amend,
        name="amend",
    ),
    path("patients/<int:pk>/consent/", consent.consent, name="consent"),
    path("patients/<int:pk>/consent/send/", steps.consent_send, name="consent-send"),
    path("patients/<int:pk>/consent/withdraw/", consent.consent_withdraw, name="consent-withdraw"),
    path("patients/<int:pk>/preparation/", consent.preparation, name="preparation"),
    path("patients/<int:pk>/injection/", records.injection, name="injection"),
    path("patients/<int:pk>/aftercare/", records.aftercare, name="aftercare"),
    path("patients/<int:pk>/follow-up/", records.follow_up, name="follow-up"),
    path("patients/<int:pk>/discontinue/", records.discontinue, name="discontinue"),
    path("patients/<int:pk>/maintenance/", steps.maintenance, name="maintenance"),
    path("patients/<int:pk>/course/", steps.course_start, name="course-start"),
    path("patients/<int:pk>/step/<slug:name>/", steps.step, name="step"),
    path(
        "patients/<int:pk>/appointments/<int:appointment_pk>/status/",
        steps.appointment_status,
        name="appointment-status",
    ),
    path(
        "patients/<int:pk>/documents/<int:document_pk>/",
        documents.document,
        name="document",
    ),
    path("lots/", steps.lots, name="lots"),
    path("lots/recall/", recall.lot_recall_index, name="lot-recall-index"),
    path("lots/<int:pk>/recall/", recall.lot_recall, name="lot-recall"),
    path("lots/<int:pk>/recall.csv", recall.lot_recall_export, name="lot-recall-export"),
    path("visits/open/", visits.open_visits, name="open-visits"),
    path("clinic/consent-forms/", consent_forms.consent_forms, name="consent-forms"),
    path("clinic/consent-forms/new/", consent_forms.consent_form_new, name="consent-form-new"),
    path("clinic/consent-forms/<int:pk>/", consent_forms.consent_form_edit, name="consent-form"),
    path(
        "clinic/consent-forms/<int:pk>/activate/",
        consent_forms.consent_form_activate,
        name="consent-form-activate",
    ),
]
