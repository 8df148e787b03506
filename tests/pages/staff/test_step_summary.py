"""Reception and the clinic admin take no step: the patient page gives them where the course
stands (the step, what it waits for in words that name no clinical fact, the next booked
visit, the re-treatment window) in place of the clinical buttons, and still none of the
clinical record."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pages.staff.step_summary import WAITS_FOR
from patients.services import appointment_book
from tests.journey import advance
from treatments.models import Course, State

pytestmark = pytest.mark.django_db


def page(client, patient) -> str:
    response = client.get(reverse("staff:patient", args=[patient.pk]))
    assert response.status_code == 200
    return response.content.decode()


def step_card(text: str) -> str:
    return text[text.index('id="step-h"') : text.index("</section>", text.index('id="step-h"'))]


def test_reception_and_admin_get_the_summary_not_the_buttons(
    client_for, patient, clinician, receptionist, clinic_admin
):
    for reader in (receptionist, clinic_admin):
        card = step_card(page(client_for(reader), patient))
        assert 'data-card="step-summary"' in card
        assert WAITS_FOR[State.CONSULTATION][0] in card
        assert "<button" not in card and "disabled" not in card
        assert "Record consultation" not in card and "Discontinue" not in card
        assert 'data-summary="next-visit">None booked' in card
        assert 'data-summary="visit-needed">No consultation visit booked' in card
    clinical = step_card(page(client_for(clinician), patient))
    assert 'data-card="step-summary"' not in clinical
    assert "Record consultation" in clinical


def test_the_summary_names_the_next_booked_visit(client_for, patient, clinician, receptionist):
    later = timezone.now() + timedelta(days=9)
    sooner = timezone.now() + timedelta(days=2)
    for when, kind in ((later, "follow_up"), (sooner, "consultation")):
        appointment_book(patient=patient, by=receptionist, kind=kind, clinician=clinician,
                         starts_at=when, minutes=30)  # fmt: skip
    card = step_card(page(client_for(receptionist), patient))
    shown = re.search(r'data-summary="next-visit">([^<]*)', card)
    assert shown is not None
    assert timezone.localtime(sooner).strftime("%-d %b %Y, %H:%M") in shown.group(1)
    assert "Consultation" in shown.group(1)
    assert "visit-needed" not in card


def test_in_maintenance_the_summary_gives_the_window(
    client_for, patient, clinician, nurse, lot, consent_form, receptionist
):
    course = Course.objects.get(patient=patient)
    advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot,
            start=timezone.localdate() - timedelta(weeks=2))  # fmt: skip
    text = page(client_for(receptionist), patient)
    card = step_card(text)
    window = course.retreatment_status(timezone.localdate())
    assert 'data-summary="window"' in card
    assert f"{window.opens.day} {window.opens:%b %Y}" in card
    assert WAITS_FOR[State.MAINTENANCE][0] in card
    assert 'data-summary="visit-needed">No injection session visit booked' in card
    # Nothing of the record: no lot, units or the session's sites anywhere on the page.
    assert lot.lot_number not in text
    assert "units" not in text.lower()
    assert "<strong>Injection session</strong>" not in text


def test_every_step_has_a_summary():
    assert set(WAITS_FOR) == set(State.values)
