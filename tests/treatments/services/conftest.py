"""Fixtures of the treatments services' tests."""

from __future__ import annotations

from typing import Any

import pytest

from tests.journey import advance
from treatments.models import Course, State


@pytest.fixture
def at_injection(course: Course, clinician: Any, nurse: Any, consent_form: Any, lot: Any) -> Course:
    """The course walked to step 3 (ready for the injection session)."""
    advance(course, State.INJECTION, clinician=clinician, nurse=nurse, lot=lot)
    return course
