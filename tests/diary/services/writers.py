"""The people the diary service tests write as: a patient with a portal login, and staff."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from tests.factories import PatientFactory


def patient_with_login(clinic: Any, username: str = "diary-patient") -> Any:
    patient = PatientFactory(clinic=clinic)
    patient.user = get_user_model().objects.create_user(username, password="a-diary-pw-77")
    patient.save(update_fields=["user"])
    return patient
