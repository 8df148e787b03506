"""MIDAS: the score is the sum of five day counts, graded I to IV at 5/6, 10/11 and 20/21;
recording stores the score and grade with an audit event, and refuses impossible answers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from botoxcare.errors import DomainError
from botoxcare.models import AuditEvent
from diary.midas import MAX_DAYS, midas_grade, midas_score
from diary.models import QuestionnaireResponse
from diary.services.questionnaires import questionnaire_record


def answers(*days: int) -> dict[str, int]:
    return {f"q{i}": d for i, d in enumerate(days, start=1)}


@pytest.mark.parametrize(
    ("score", "grade"),
    [(0, "I"), (5, "I"), (6, "II"), (10, "II"), (11, "III"), (20, "III"), (21, "IV"), (450, "IV")],
)
def test_grade_boundaries(score, grade):
    assert midas_grade(score) == grade


@pytest.mark.parametrize(
    ("days", "score", "grade"),
    [
        ((1, 1, 1, 1, 1), 5, "I"),
        ((2, 1, 1, 1, 1), 6, "II"),
        ((0, 0, 10, 0, 0), 10, "II"),
        ((0, 0, 10, 0, 1), 11, "III"),
        ((4, 4, 4, 4, 4), 20, "III"),
        ((4, 4, 4, 4, 5), 21, "IV"),
        ((90, 90, 90, 90, 90), 450, "IV"),
    ],
)
def test_score_is_the_sum_of_the_five_answers(days, score, grade):
    result = midas_score(answers(*days))
    assert (result.score, result.grade) == (score, grade)
    assert result.answers == answers(*days)


@pytest.mark.parametrize("bad", [-1, MAX_DAYS + 1, "", None, "ten", True, "3.5"])
def test_an_impossible_answer_is_refused_on_its_field(bad):
    given: dict[str, object] = {**answers(1, 2, 3, 4, 5), "q4": bad}
    with pytest.raises(DomainError) as refused:
        midas_score(given)
    assert [r.field for r in refused.value.refusals] == ["q4"]


def test_every_missing_answer_is_named():
    with pytest.raises(DomainError) as refused:
        midas_score({"q1": 3})
    assert [r.field for r in refused.value.refusals] == ["q2", "q3", "q4", "q5"]
    assert set(refused.value.codes) == {"midas_answer_missing"}


@pytest.mark.django_db
def test_record_stores_score_grade_and_an_audit_event(patient, nurse):
    today = timezone.localdate()
    response = questionnaire_record(
        patient=patient, by=nurse, answers=answers(3, 2, 1, 0, 5), answered_on=today, today=today
    )
    stored = QuestionnaireResponse.objects.get()
    assert (stored.score, stored.grade, stored.entered_by) == (11, "III", nurse)
    assert stored.answers == answers(3, 2, 1, 0, 5)
    event = AuditEvent.objects.get(action="questionnaire.recorded")
    assert (event.patient_id, event.target_id, event.user_id) == (patient.pk, response.pk, nurse.pk)
    assert event.data["score"] == 11 and event.data["on_behalf"] is True


@pytest.mark.django_db
def test_record_refuses_a_future_day_and_stores_nothing(patient, nurse):
    today = timezone.localdate()
    with pytest.raises(DomainError) as refused:
        questionnaire_record(
            patient=patient,
            by=nurse,
            answers=answers(1, 1, 1, 1, 1),
            answered_on=today + timedelta(days=1),
            today=today,
        )
    assert refused.value.codes == ["questionnaire_answered_in_future"]
    assert not QuestionnaireResponse.objects.exists()
    assert not AuditEvent.objects.filter(action="questionnaire.recorded").exists()
