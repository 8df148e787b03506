"""The stable codes of refusals about patients and appointments."""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    IDENTIFIER_TAKEN = "identifier_taken"
    APPOINTMENT_TOO_SHORT = "appointment_too_short"
    APPOINTMENT_CLASH = "appointment_clash"
    STATUS_INVALID = "status_invalid"
    APPOINTMENT_NOT_BOOKED = "appointment_not_booked"
    APPOINTMENT_NOT_YET = "appointment_not_yet"
    TOO_MANY_FROM_ADDRESS = "too_many_from_address"
    TOO_MANY_FOR_PHONE = "too_many_for_phone"
    CALLBACK_TAKEN = "callback_taken"
    CALLBACK_DONE = "callback_done"
    CALLBACK_NOT_CLAIMED = "callback_not_claimed"
    PATIENT_OF_ANOTHER_CLINIC = "patient_of_another_clinic"
