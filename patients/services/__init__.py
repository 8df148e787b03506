"""Writes about patients, one module a concern. Each service is one transaction; a refused
request changes nothing and raises DomainError with its refusals."""

from .appointment import appointment_book, appointment_set_status
from .patient import normalised_identifier, patient_contact_update, patient_register
from .portal import (
    portal_access_remove,
    portal_invitation_accept,
    portal_invitation_revoke,
    portal_invite,
)

__all__ = [
    "appointment_book",
    "appointment_set_status",
    "normalised_identifier",
    "patient_contact_update",
    "patient_register",
    "portal_access_remove",
    "portal_invitation_accept",
    "portal_invitation_revoke",
    "portal_invite",
]
