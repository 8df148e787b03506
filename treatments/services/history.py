"""The patient's medical lists: preventive treatments tried, current medicines, allergies.

Each add or remove is one transaction with its audit event. The caller has scoped the patient
(or the row) to the asking user's clinic; a clinician or a nurse keeps the lists
(Action.KEEP_MEDICAL_LISTS)."""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from botoxcare.audit import log_action, snapshot
from botoxcare.errors import refuse
from botoxcare.roles import Action, require
from patients.models import Patient

from ..choices import PreventiveClass, PreventiveOutcome
from ..models import Allergy, CurrentMedicine, PreventiveTreatment
from ..reasons import Reason

PREVENTIVE_FIELDS = ("drug_class", "drug", "dose", "duration_weeks", "outcome")
MEDICINE_FIELDS = ("name", "dose", "since")
ALLERGY_FIELDS = ("substance", "reaction")


def _clean(text: str) -> str:
    return " ".join(text.split())


def _needed(value: str, field: str, what: str) -> str:
    if not value:
        raise refuse(Reason.LIST_ENTRY_EMPTY, f"Please give the {what}.", field=field)
    return value


Row = PreventiveTreatment | CurrentMedicine | Allergy


def _added(action: str, row: Row, fields: tuple[str, ...], by: User) -> None:
    log_action(action, user=by, patient=row.patient, target=row, data=snapshot(row, fields))


def _removed(action: str, row: Row, fields: tuple[str, ...], by: User) -> None:
    require(by, Action.KEEP_MEDICAL_LISTS)
    with transaction.atomic():
        log_action(
            action,
            user=by,
            patient=row.patient,
            target=row,
            data=snapshot(row, fields),
        )
        row.delete()


def preventive_treatment_add(
    *,
    patient: Patient,
    by: User,
    drug_class: str,
    outcome: str,
    drug: str = "",
    dose: str = "",
    duration_weeks: int | None = None,
    now: datetime | None = None,
) -> PreventiveTreatment:
    """Add a preventive the patient tried or takes. A drug of the class "other" needs its
    name (the start rule counts each named "other" drug once). Raises DomainError
    PREVENTIVE_DRUG_MISSING; PermissionDenied for a role that may not."""
    require(by, Action.KEEP_MEDICAL_LISTS)
    drug_class, outcome = PreventiveClass(drug_class), PreventiveOutcome(outcome)
    drug = _clean(drug)
    if drug_class == PreventiveClass.OTHER and not drug:
        raise refuse(
            Reason.PREVENTIVE_DRUG_MISSING,
            "Name the drug of a preventive of another class.",
            field="drug",
        )
    with transaction.atomic():
        row = PreventiveTreatment.objects.create(
            patient=patient,
            drug_class=drug_class,
            drug=drug,
            dose=_clean(dose),
            duration_weeks=duration_weeks,
            outcome=outcome,
            added_by=by,
            added_at=now or timezone.now(),
        )
        _added("preventive.added", row, PREVENTIVE_FIELDS, by)
        return row


def preventive_treatment_remove(*, preventive: PreventiveTreatment, by: User) -> None:
    """Take a preventive off the list (entered by mistake); the event keeps what it said."""
    _removed("preventive.removed", preventive, PREVENTIVE_FIELDS, by)


def current_medicine_add(
    *,
    patient: Patient,
    by: User,
    name: str,
    dose: str = "",
    since: date | None = None,
    now: datetime | None = None,
) -> CurrentMedicine:
    """Add a medicine the patient takes now. Raises DomainError LIST_ENTRY_EMPTY for no name."""
    require(by, Action.KEEP_MEDICAL_LISTS)
    name = _needed(_clean(name), "name", "medicine's name")
    with transaction.atomic():
        row = CurrentMedicine.objects.create(
            patient=patient,
            name=name,
            dose=_clean(dose),
            since=since,
            added_by=by,
            added_at=now or timezone.now(),
        )
        _added("medicine.added", row, MEDICINE_FIELDS, by)
        return row


def current_medicine_remove(*, medicine: CurrentMedicine, by: User) -> None:
    """Take a medicine off the list (stopped, or entered by mistake)."""
    _removed("medicine.removed", medicine, MEDICINE_FIELDS, by)


def allergy_add(
    *, patient: Patient, by: User, substance: str, reaction: str = "", now: datetime | None = None
) -> Allergy:
    """Add an allergy. Raises DomainError LIST_ENTRY_EMPTY for no substance."""
    require(by, Action.KEEP_MEDICAL_LISTS)
    substance = _needed(_clean(substance), "substance", "substance")
    with transaction.atomic():
        row = Allergy.objects.create(
            patient=patient,
            substance=substance,
            reaction=_clean(reaction),
            added_by=by,
            added_at=now or timezone.now(),
        )
        _added("allergy.added", row, ALLERGY_FIELDS, by)
        return row


def allergy_remove(*, allergy: Allergy, by: User) -> None:
    """Take an allergy off the list (entered by mistake)."""
    _removed("allergy.removed", allergy, ALLERGY_FIELDS, by)
