"""The forms that record each step, one module a step or two."""

from .aftercare import AftercareForm, FollowUpForm
from .consent_forms import ConsentFormVersionForm
from .history import AllergyForm, CurrentMedicineForm, PreventiveTreatmentForm
from .injection import InjectionForm, LotForm
from .records import (
    ConsentPaperForm,
    ConsentSignForm,
    ConsultationForm,
    DiscontinueForm,
    PreparationForm,
    RetreatmentForm,
    WithdrawForm,
)
from .withdrawal import StaffWithdrawForm

__all__ = [
    "AftercareForm",
    "AllergyForm",
    "ConsentFormVersionForm",
    "ConsentPaperForm",
    "ConsentSignForm",
    "ConsultationForm",
    "CurrentMedicineForm",
    "DiscontinueForm",
    "FollowUpForm",
    "InjectionForm",
    "LotForm",
    "PreparationForm",
    "PreventiveTreatmentForm",
    "RetreatmentForm",
    "StaffWithdrawForm",
    "WithdrawForm",
]
