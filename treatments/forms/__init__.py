"""The forms that record each step, one module a step or two."""

from .aftercare import AftercareForm, FollowUpForm
from .injection import InjectionForm, LotForm
from .records import (
    ConsentPaperForm,
    ConsultationForm,
    DiscontinueForm,
    PreparationForm,
    RetreatmentForm,
)

__all__ = [
    "AftercareForm",
    "ConsentPaperForm",
    "ConsultationForm",
    "DiscontinueForm",
    "FollowUpForm",
    "InjectionForm",
    "LotForm",
    "PreparationForm",
    "RetreatmentForm",
]
