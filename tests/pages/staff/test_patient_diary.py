"""The patient page's diary card: the figures per period with the baseline first, the
response per cycle, the flags with the figures behind them; an empty state; nothing of it for
the roles that do not read the clinical record."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from diary.models import MedicineClass
from tests.diary.factories import fill, medicine
from tests.journey import advance
from treatments.models import Course, State

pytestmark = pytest.mark.django_db


def card(client, patient) -> str:
    page = client.get(reverse("staff:patient", args=[patient.pk])).content.decode()
    if 'data-card="diary-figures"' not in page:
        return ""
    text = page[page.index('data-card="diary-figures"') :]
    return text[: text.index("</section>")]


def test_empty_state(client_for, patient, clinician):
    text = card(client_for(clinician), patient)
    assert 'data-empty="diary"' in text
    assert "data-flag" not in text


def test_receptionist_sees_no_diary(client_for, patient, receptionist):
    fill(patient, timezone.localdate() - timedelta(days=10), 10)
    assert card(client_for(receptionist), patient) == ""


def test_figures_response_and_flags(client_for, patient, clinician, nurse, lot, consent_form):
    course = Course.objects.get(patient=patient)
    today = timezone.localdate()
    start = today - timedelta(days=60)
    advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot, start=start)
    session = course.sessions.get().session_date
    triptan = medicine(patient, MedicineClass.TRIPTAN)
    fill(patient, session - timedelta(days=28), 20, hours=6, medicines=[triptan])
    fill(patient, session - timedelta(days=8), 8, headache=False)
    fill(patient, session, (today - session).days + 1, headache=False)
    text = card(client_for(clinician), patient)
    assert 'data-empty="diary"' not in text
    rows = text.split('data-row="')
    assert rows[1].startswith("baseline")  # the baseline first
    assert '<td data-figure="headache_days">20</td>' in rows[1]
    assert 'data-cycle="1"' in text
    assert 'data-change="-100"' in text and 'data-mark="50"' in text
    assert 'data-flag="medication_overuse" data-met="no"' in text
    assert 'data-flag="stop_rule" data-met="no"' in text  # one cycle: not judged yet
    assert "1 of 2 cycles" in text


def test_card_takes_three_queries(
    patient, clinician, nurse, lot, consent_form, django_assert_num_queries
):
    from pages.staff.diary_card import diary_card

    course = Course.objects.get(patient=patient)
    today = timezone.localdate()
    advance(
        course,
        State.MAINTENANCE,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
        start=today - timedelta(days=60),
    )
    fill(patient, today - timedelta(days=200), 200)
    rules = patient.clinic.settings
    with django_assert_num_queries(3):
        result = diary_card(patient, course, rules=rules, today=today)
    assert len(result.rows) == 7 and len(result.cycles) == 1


def test_card_takes_two_queries_with_the_course_the_page_read(
    patient, clinician, nurse, lot, consent_form, django_assert_num_queries
):
    """The patient page's course comes with its sessions (course_current): their dates are
    not read again."""
    from pages.staff.diary_card import diary_card
    from treatments.selectors import course_current

    today = timezone.localdate()
    advance(
        Course.objects.get(patient=patient),
        State.MAINTENANCE,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
        start=today - timedelta(days=60),
    )
    fill(patient, today - timedelta(days=200), 200)
    course = course_current(patient=patient)
    rules = patient.clinic.settings
    with django_assert_num_queries(2):
        result = diary_card(patient, course, rules=rules, today=today)
    assert len(result.rows) == 7 and len(result.cycles) == 1
    assert (
        result.summary
        == diary_card(patient, Course.objects.get(pk=course.pk), rules=rules, today=today).summary
    )
