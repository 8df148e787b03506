"""The patients app's forms, by concern."""

from .appointments import AppointmentForm, AppointmentMoveForm
from .callbacks import CallbackForm, CallbackOutcomeForm, ContactAttemptForm
from .records import ContactForm, PatientForm, PortalJoinForm, check_contact

__all__ = [
    "AppointmentForm",
    "AppointmentMoveForm",
    "CallbackForm",
    "CallbackOutcomeForm",
    "ContactAttemptForm",
    "ContactForm",
    "PatientForm",
    "PortalJoinForm",
    "check_contact",
]
