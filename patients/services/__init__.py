"""Writes about patients, one module a concern. Each service is one transaction; a refused
request changes nothing and raises DomainError with its refusals.

Each change writes one audit event (`botoxcare.audit.log_action`) in its transaction:

- `patient.registered`, `patient.contact_changed` (old and new values),
  `patient.reminder_opt_outs_changed`
- `appointment.booked`, `appointment.status_changed` (`{"status": [old, new], ...}`)
- `callback.requested` (by a visitor: no user), `callback.claimed`, `callback.call_recorded`,
  `callback.matched`
- `contact_attempt.recorded`
- `portal.invited` (also a re-invitation), `portal.invitation_revoked`, `portal.joined` (the
  new login), `portal.access_removed`
"""

from .appointments import appointment_book, appointment_set_status
from .callbacks import (
    CLAIM_TIMEOUT,
    callback_claim,
    callback_match,
    callback_outcome_record,
    callback_request,
)
from .contact_attempts import contact_attempt_record
from .patient import (
    normalised_identifier,
    patient_contact_update,
    patient_register,
    reminder_opt_outs_set,
)
from .portal import (
    portal_access_remove,
    portal_invitation_accept,
    portal_invitation_revoke,
    portal_invite,
)

__all__ = [
    "CLAIM_TIMEOUT",
    "appointment_book",
    "appointment_set_status",
    "callback_claim",
    "callback_match",
    "callback_outcome_record",
    "callback_request",
    "contact_attempt_record",
    "normalised_identifier",
    "patient_contact_update",
    "patient_register",
    "portal_access_remove",
    "portal_invitation_accept",
    "portal_invitation_revoke",
    "portal_invite",
    "reminder_opt_outs_set",
]
