"""Writes of the treatment pathway, one module a concern. Each service is one transaction; a
refused step changes nothing and raises DomainError with its refusals.

Each change writes one audit event (`botoxcare.audit.log_action`) in its transaction, beside
those of the patients services it calls (`appointment.booked`, `appointment.status_changed`,
`patient.registered`, `callback.matched`):

- `course.transition` (every step, in `transition_run`: `{"transition": name, "state": [old,
  new]}`), `course.started`
- `consultation.recorded`, `preparation.recorded`, `consent.recorded` (on paper),
  `consent_request.sent`, `consent_request.viewed`, `consent.signed`,
  `consent.withdrawn` (with the visits it cancelled)
- `consent_form.created`, `consent_form.edited` (old and new text), `consent_form.activated`
- `lot.added`, `injection_session.recorded`, `aftercare.issued`,
  `aftercare.follow_up_rebooked`, `response_review.recorded`
- `appointment.moved` (staff or the patient's own move)
- `reminder.send_requested`, `reminder.retried`, `reminder.marked_handled`; the sweep's, with
  no user: `reminder.sent`, `reminder.send_failed`, `reminder.cancelled`
- `document.made` (no user when a task makes it)
- `record.amended` (`record_amend`: the record as its target, its kind, the amendment's id
  and each field's old and new value)
"""

from .amendments import record_amend
from .booking import visit_book, visit_move
from .consent import (
    consent_form_active,
    consent_form_text,
    consent_record_paper,
    consent_text_hash,
    preparation_record,
)
from .consent_forms import (
    consent_form_activate,
    consent_form_create,
    consent_form_edit,
    consent_form_used,
)
from .consultation import consultation_record
from .course import course_discontinue, course_start, course_transition, patient_refer
from .cycle import (
    aftercare_follow_up_rebook,
    aftercare_issue,
    course_maintenance_start,
    response_review_record,
    retreatment_start,
)
from .documents import (
    document_for_aftercare,
    document_for_consent,
    document_make,
    document_queue,
    documents_missing_make,
)
from .injection import SessionConduct, VialUse, injection_session_record, product_lot_add
from .reminders import (
    appointment_close,
    reminder_mark_handled,
    reminder_retry,
    reminder_send_now,
    reminders_cancel,
    visits_close,
)
from .self_booking import MOVED_BY_PATIENT, visit_self_book
from .signing import (
    consent_request_send,
    consent_request_viewed,
    consent_shown_text,
    consent_sign,
)
from .sweep import CLAIM_TIMEOUT, MAX_ATTEMPTS, RETRY_AFTER, reminder_sweep
from .withdrawal import consent_withdraw, injection_visits_ahead

__all__ = [
    "CLAIM_TIMEOUT",
    "MAX_ATTEMPTS",
    "MOVED_BY_PATIENT",
    "RETRY_AFTER",
    "SessionConduct",
    "VialUse",
    "aftercare_follow_up_rebook",
    "aftercare_issue",
    "appointment_close",
    "consent_form_activate",
    "consent_form_active",
    "consent_form_create",
    "consent_form_edit",
    "consent_form_text",
    "consent_form_used",
    "consent_record_paper",
    "consent_request_send",
    "consent_request_viewed",
    "consent_shown_text",
    "consent_sign",
    "consent_text_hash",
    "consent_withdraw",
    "consultation_record",
    "course_discontinue",
    "course_maintenance_start",
    "course_start",
    "course_transition",
    "document_for_aftercare",
    "document_for_consent",
    "document_make",
    "document_queue",
    "documents_missing_make",
    "injection_session_record",
    "injection_visits_ahead",
    "patient_refer",
    "preparation_record",
    "product_lot_add",
    "record_amend",
    "reminder_mark_handled",
    "reminder_retry",
    "reminder_send_now",
    "reminder_sweep",
    "reminders_cancel",
    "response_review_record",
    "retreatment_start",
    "visit_book",
    "visit_move",
    "visit_self_book",
    "visits_close",
]
