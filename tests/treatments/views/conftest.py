"""Fixtures of the treatments views' tests."""

from __future__ import annotations

from typing import Any

import pytest

from tests.journey import advance
from treatments.models import Course, State


@pytest.fixture
def at_injection(patient: Any, clinician: Any, nurse: Any, consent_form: Any, lot: Any) -> Any:
    """The patient, their course walked to step 3 (ready for the injection session)."""
    advance(
        Course.objects.get(patient=patient),
        State.INJECTION,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
    )
    return patient
