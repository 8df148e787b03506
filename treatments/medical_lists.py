"""Reads of the patient's medical lists, for the consultation, the patient page, the
preparation review and the injection session (three queries, whatever their length)."""

from __future__ import annotations

from dataclasses import dataclass

from patients.models import Patient

from .models import Allergy, CurrentMedicine, PreventiveTreatment
from .start_rule import failed_preventive_classes


@dataclass(frozen=True)
class MedicalLists:
    preventives: list[PreventiveTreatment]
    medicines: list[CurrentMedicine]
    allergies: list[Allergy]

    @property
    def failed_classes(self) -> int:
        """Distinct failed preventive classes, as the start rule counts them."""
        return len(failed_preventive_classes(self.preventives))


def medical_lists(*, patient: Patient) -> MedicalLists:
    """The patient's lists; the caller has scoped the patient to the asking user."""
    return MedicalLists(
        # Through the patient, so that a page that read them already (patient_courses) does
        # not read them again.
        preventives=list(patient.preventive_treatments.all()),
        medicines=list(CurrentMedicine.objects.filter(patient=patient)),
        allergies=list(Allergy.objects.filter(patient=patient)),
    )
