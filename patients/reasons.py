"""The stable codes of refusals about patients and appointments."""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    IDENTIFIER_TAKEN = "identifier_taken"
    APPOINTMENT_TOO_SHORT = "appointment_too_short"
    APPOINTMENT_CLASH = "appointment_clash"
    STATUS_INVALID = "status_invalid"
    APPOINTMENT_NOT_BOOKED = "appointment_not_booked"
