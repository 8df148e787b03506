"""Recording a questionnaire: MIDAS, answered by the patient in the portal or recorded by staff
on the patient's behalf."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from typing import Any

from django.db import transaction

from botoxcare.audit import log_action
from botoxcare.errors import refuse
from diary.midas import midas_score
from diary.models import QuestionnaireKind, QuestionnaireResponse
from patients.models import Patient


class QuestionnaireReason(StrEnum):
    ANSWERED_IN_FUTURE = "questionnaire_answered_in_future"


def questionnaire_record(
    *,
    patient: Patient,
    by: Any,
    answers: Mapping[str, object],
    answered_on: date,
    today: date,
) -> QuestionnaireResponse:
    """Store one MIDAS, scored and graded. `by` is the patient's own user or a staff member
    (the caller has checked that they may). Raises DomainError on a missing or impossible
    answer (on its field, q1 to q5) or a day after `today`; nothing is stored then."""
    if answered_on > today:
        raise refuse(
            QuestionnaireReason.ANSWERED_IN_FUTURE,
            "The day answered cannot be after today.",
            field="answered_on",
        )
    result = midas_score(answers)
    on_behalf = by != patient.user
    with transaction.atomic():
        response = QuestionnaireResponse.objects.create(
            patient=patient,
            kind=QuestionnaireKind.MIDAS,
            answered_on=answered_on,
            answers=result.answers,
            score=result.score,
            grade=result.grade,
            entered_by=by,
        )
        log_action(
            "questionnaire.recorded",
            user=by,
            patient=patient,
            target=response,
            data={
                "kind": QuestionnaireKind.MIDAS.value,
                "answered_on": answered_on,
                "score": result.score,
                "grade": result.grade,
                "on_behalf": on_behalf,
            },
        )
    return response
