"""The stable codes of refusals about patients, their contact details, their portal access and
their appointments."""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    IDENTIFIER_TAKEN = "identifier_taken"
    APPOINTMENT_TOO_SHORT = "appointment_too_short"
    APPOINTMENT_CLASH = "appointment_clash"
    ROOM_TAKEN = "room_taken"
    STATUS_INVALID = "status_invalid"
    APPOINTMENT_NOT_BOOKED = "appointment_not_booked"
    APPOINTMENT_NOT_YET = "appointment_not_yet"
    APPOINTMENT_PAST = "appointment_past"
    REASON_MISSING = "reason_missing"
    TOO_MANY_FROM_ADDRESS = "too_many_from_address"
    TOO_MANY_FOR_PHONE = "too_many_for_phone"
    CALLBACK_TAKEN = "callback_taken"
    CALLBACK_DONE = "callback_done"
    CALLBACK_NOT_CLAIMED = "callback_not_claimed"
    PATIENT_OF_ANOTHER_CLINIC = "patient_of_another_clinic"
    CHANNEL_NEEDS_EMAIL = "channel_needs_email"
    CHANNEL_NEEDS_PHONE = "channel_needs_phone"
    CLINICIAN_NOT_IN_CLINIC = "clinician_not_in_clinic"
    PORTAL_NEEDS_EMAIL = "portal_needs_email"
    PORTAL_ALREADY_ACTIVE = "portal_already_active"
    PORTAL_NO_INVITATION = "portal_no_invitation"
    PORTAL_NO_ACCESS = "portal_no_access"
    INVITATION_UNUSABLE = "invitation_unusable"
    USERNAME_TAKEN = "username_taken"
    USERNAME_INVALID = "username_invalid"
    PASSWORD_WEAK = "password_weak"  # noqa: S105 (a code, not a password)
    CONTACT_IN_FUTURE = "contact_in_future"
    CONTACT_NOTE_TOO_LONG = "contact_note_too_long"
    POSSIBLE_DUPLICATE = "possible_duplicate"
