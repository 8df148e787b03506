"""The treatment pathway's models, one module a concern; import them from here."""

from ..choices import (
    ACTIVE_STATES,
    BLEEDING_RISKS,
    PREPARATION_FLAGS,
    ConsentMethod,
    Decision,
    DiscontinueReason,
    DocumentKind,
    MedicationOveruse,
    ReminderKind,
    State,
    Transition,
)
from .amendments import Amendment
from .course import Course, CourseTransition
from .documents import Document
from .history import Allergy, CurrentMedicine, PreventiveTreatment
from .records import Consent, ConsentForm, ConsentRequest, Consultation, PreparationReview
from .reminders import MAX_ATTEMPTS, Reminder, ReminderResult
from .sessions import (
    Aftercare,
    InjectionSession,
    InjectionSite,
    ProductLot,
    ProductLotQuerySet,
    ResponseReview,
    lot_usable_on,
)

__all__ = [
    "ACTIVE_STATES",
    "BLEEDING_RISKS",
    "MAX_ATTEMPTS",
    "PREPARATION_FLAGS",
    "Aftercare",
    "Allergy",
    "Amendment",
    "Consent",
    "ConsentForm",
    "ConsentMethod",
    "ConsentRequest",
    "Consultation",
    "Course",
    "CourseTransition",
    "CurrentMedicine",
    "Decision",
    "DiscontinueReason",
    "Document",
    "DocumentKind",
    "InjectionSession",
    "InjectionSite",
    "MedicationOveruse",
    "PreparationReview",
    "PreventiveTreatment",
    "ProductLot",
    "ProductLotQuerySet",
    "Reminder",
    "ReminderKind",
    "ReminderResult",
    "ResponseReview",
    "State",
    "Transition",
    "lot_usable_on",
]
