"""Writes about patients, their appointments and their call-back requests; each one
transaction."""

from .appointments import appointment_book, appointment_set_status
from .callbacks import (
    CLAIM_TIMEOUT,
    callback_claim,
    callback_match,
    callback_outcome_record,
    callback_request,
)
from .registration import normalised_identifier, patient_register

__all__ = [
    "CLAIM_TIMEOUT",
    "appointment_book",
    "appointment_set_status",
    "callback_claim",
    "callback_match",
    "callback_outcome_record",
    "callback_request",
    "normalised_identifier",
    "patient_register",
]
