"""The patient's own list of acute medicines, offered on each diary day."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from botoxcare.audit import changes, log_action
from botoxcare.errors import refuse
from patients.models import Patient

from ..models import AcuteMedicine, MedicineClass
from ..reasons import Reason
from .writing import writer_on_behalf

NAME_MAX = 100


def acute_medicine_add(
    *, patient: Patient, by: Any, name: str, medicine_class: str
) -> AcuteMedicine:
    """Add a medicine to the patient's list; a name on the list but stopped is taken up
    again (with the class given). Raises DomainError for an empty or too long name, a name
    already on the active list, or a writer who may not."""
    writer_on_behalf(patient=patient, by=by)
    name, kind = " ".join(name.split()), MedicineClass(medicine_class)
    if not name or len(name) > NAME_MAX:
        raise refuse(
            Reason.MEDICINE_NAME_MISSING,
            f"Please give the medicine's name (up to {NAME_MAX} characters).",
            field="name",
        )
    with transaction.atomic():
        existing = (
            AcuteMedicine.objects.select_for_update()
            .filter(patient=patient, name__iexact=name)
            .first()
        )
        if existing is not None and existing.active:
            raise refuse(
                Reason.MEDICINE_NAME_TAKEN, f"{existing.name} is already on the list.", field="name"
            )
        if existing is not None:
            before = {"active": False, "medicine_class": existing.medicine_class}
            existing.active, existing.medicine_class = True, kind
            existing.save(update_fields=["active", "medicine_class"])
            log_action(
                "diary.medicine_restarted",
                user=by,
                patient=patient,
                target=existing,
                data=changes(before, {"active": True, "medicine_class": kind}),
            )
            return existing
        medicine = AcuteMedicine.objects.create(patient=patient, name=name, medicine_class=kind)
        log_action(
            "diary.medicine_added",
            user=by,
            patient=patient,
            target=medicine,
            data={"name": name, "medicine_class": kind},
        )
        return medicine


def acute_medicine_deactivate(*, medicine: AcuteMedicine, by: Any) -> AcuteMedicine:
    """Take a medicine off the days offered (the days it was taken keep it). The caller has
    scoped the medicine to the patient. Raises DomainError for a writer who may not."""
    writer_on_behalf(patient=medicine.patient, by=by)
    with transaction.atomic():
        if medicine.active:
            medicine.active = False
            medicine.save(update_fields=["active"])
            log_action(
                "diary.medicine_stopped",
                user=by,
                patient=medicine.patient,
                target=medicine,
                data=changes({"active": True}, {"active": False}),
            )
        return medicine
