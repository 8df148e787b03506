"""Writes about patients, one module a concern. Each service is one transaction; a refused
request changes nothing and raises DomainError with its refusals."""

from .appointment import appointment_book, appointment_set_status
from .patient import normalised_identifier, patient_register

__all__ = [
    "appointment_book",
    "appointment_set_status",
    "normalised_identifier",
    "patient_register",
]
