"""The amendment pages: a record's amendable fields filled with what it says now and a
reason; the amendment shown beside the record on the timeline and on the session's page; an
Amend link for whoever may record that kind; scoped to the patient and the clinic."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from botoxcare.models import AuditEvent
from botoxcare.roles import Role
from tests.factories import PatientFactory, make_staff
from tests.journey import advance
from treatments.models import Amendment, Course, State
from treatments.reasons import Reason

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(patient, clinician, nurse, lot, consent_form):
    course = Course.objects.get(patient=patient)
    advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot,
            start=timezone.localdate() - timedelta(weeks=3))  # fmt: skip
    return course


def amend(patient_pk: int, kind: str, pk: int) -> str:
    return reverse("treatments:amend", args=[patient_pk, kind, pk])


def session_data(session, **changes):
    data = {
        "started_at": "",
        "ended_at": "",
        "position": session.position,
        "needle_gauge": session.needle_gauge or "",
        "reaction": session.reaction,
        "reaction_action": session.reaction_action,
        "tolerability": session.tolerability,
        "reason": "",
    }
    if session.skin_cleansed:
        data["skin_cleansed"] = "on"
    return {**data, **changes}


def test_the_form_starts_from_the_record_and_asks_why(client_for, clinician, patient, course):
    session = course.sessions.get()
    session.tolerability = "Fine"
    session.save()
    page = client_for(clinician).get(amend(patient.pk, "session", session.pk))
    assert page.status_code == 200
    form = page.context["form"]
    assert form["tolerability"].value() == "Fine"
    assert list(form.fields)[-1] == "reason" and form.fields["reason"].required
    assert "session_date" not in form.fields
    text = page.content.decode()
    assert 'name="form_token"' in text
    assert AuditEvent.objects.filter(action="record.amend_viewed", patient_id=patient.pk).exists()


def test_an_amendment_is_shown_beside_the_original(client_for, clinician, patient, course):
    session = course.sessions.get()
    session.tolerability = "Fine"
    session.save()
    client = client_for(clinician)
    response = client.post(
        amend(patient.pk, "session", session.pk),
        session_data(session, tolerability="Bruising at two sites", reason="Seen at the desk"),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:session", args=[patient.pk, session.pk])
    session.refresh_from_db()
    assert session.tolerability == "Bruising at two sites"
    amendment = Amendment.objects.get(session=session)
    assert set(amendment.changes) == {"tolerability"}  # the fields left as they were: none
    for page in (
        client.get(reverse("staff:session", args=[patient.pk, session.pk])),
        client.get(reverse("staff:patient", args=[patient.pk])),
    ):
        text = html.unescape(page.content.decode())
        assert "data-amendment" in text
        assert "Why: Seen at the desk" in text
        assert "Tolerability: <del>Fine</del> → <ins>Bruising at two sites</ins>" in text
        assert clinician.get_full_name() in text
    # The amendment page lists the ones before it.
    again = client.get(amend(patient.pk, "session", session.pk)).content.decode()
    assert "Amended before" in again and "Seen at the desk" in html.unescape(again)


def test_a_refusal_is_on_the_form(client_for, clinician, patient, course):
    session = course.sessions.get()
    client = client_for(clinician)
    url = amend(patient.pk, "session", session.pk)
    unchanged = client.post(url, session_data(session, reason="Why not"))
    assert unchanged.status_code == 400
    assert f'data-refusal="{Reason.AMENDMENT_UNCHANGED}"' in unchanged.content.decode()
    reaction = client.post(url, session_data(session, reaction="bleeding", reason="Missed"))
    assert f'data-refusal="{Reason.REACTION_NEEDS_ACTION}"' in reaction.content.decode()
    no_reason = client.post(url, session_data(session, tolerability="Other"))
    assert no_reason.status_code == 400 and "reason" in no_reason.context["form"].errors
    assert not Amendment.objects.exists()


def test_each_kind_has_its_link_for_who_may_record_it(
    client_for, clinician, nurse, receptionist, patient, course
):
    url = reverse("staff:patient", args=[patient.pk])
    text = client_for(clinician).get(url).content.decode()
    for kind in ("consultation", "preparation", "session", "aftercare"):
        assert f'data-amend="{kind}"' in text
    consultation = course.consultations.get()
    assert amend(patient.pk, "consultation", consultation.pk) in text
    nurse_text = client_for(nurse).get(url).content.decode()
    assert 'data-amend="consultation"' not in nurse_text  # a nurse records no consultation
    assert 'data-amend="preparation"' in nurse_text
    assert (
        client_for(nurse).get(amend(patient.pk, "consultation", consultation.pk)).status_code == 403
    )
    assert 'data-amend="' not in client_for(receptionist).get(url).content.decode()
    session = course.sessions.get()
    assert client_for(receptionist).get(amend(patient.pk, "session", session.pk)).status_code == 403
    sheet = client_for(clinician).get(reverse("staff:session", args=[patient.pk, session.pk]))
    assert 'data-amend="session"' in sheet.content.decode()
    assert 'data-amend="aftercare"' in sheet.content.decode()


def test_a_consultation_amended_through_its_page(client_for, clinician, patient, course):
    c = course.consultations.get()
    response = client_for(clinician).post(
        amend(patient.pk, "consultation", c.pk),
        {
            "history": c.history + " Worse in the mornings.",
            "previous_preventives": c.previous_preventives,
            "headache_days_per_month": c.headache_days_per_month,
            "migraine_days_per_month": c.migraine_days_per_month,
            "pattern_months": c.pattern_months or "",
            "medication_overuse": c.medication_overuse,
            "notes": c.notes,
            "reason": "Dictated letter differed",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#timeline")
    changes = Amendment.objects.get(consultation=c).changes
    assert changes["history"]["before"] == c.history


def test_another_clinics_or_patients_record_is_a_404(
    client_for, clinician, patient, course, other_clinic, lot, consent_form
):
    client = client_for(clinician)
    session = course.sessions.get()
    someone = PatientFactory(clinic=patient.clinic)
    assert client.get(amend(someone.pk, "session", session.pk)).status_code == 404
    stranger = PatientFactory(clinic=other_clinic)
    assert client.get(amend(stranger.pk, "session", session.pk)).status_code == 404
    theirs = Course.objects.get(patient=stranger)
    advance(
        theirs,
        State.CONSENT,
        clinician=make_staff(other_clinic, Role.CLINICIAN),
        nurse=make_staff(other_clinic, Role.NURSE),
        lot=lot,
    )
    foreign = theirs.consultations.get()
    assert client.get(amend(patient.pk, "consultation", foreign.pk)).status_code == 404
    assert (
        client.post(
            amend(patient.pk, "consultation", foreign.pk), {"history": "x", "reason": "x"}
        ).status_code
        == 404
    )
    consent = course.consents.get()
    assert client.get(amend(patient.pk, "consent", consent.pk)).status_code == 404
    assert not Amendment.objects.exists()


def test_amendments_add_no_query_as_they_grow(client_for, clinician, patient, course):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from treatments.services import record_amend

    client = client_for(clinician)
    session = course.sessions.get()
    pages = [
        reverse("staff:patient", args=[patient.pk]),
        reverse("staff:session", args=[patient.pk, session.pk]),
    ]

    def counts():
        found = []
        for page in pages:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(page).status_code == 200
            found.append(len(ctx.captured_queries))
        return found

    record_amend(user=clinician, record=session, changes={"tolerability": "a"}, reason="1")
    one = counts()
    for n, record in enumerate([session, course.consultations.get(), course.aftercares.get()]):
        field = {"Consultation": "notes", "Aftercare": "comfort_measures"}.get(
            type(record).__name__, "tolerability"
        )
        record_amend(user=clinician, record=record, changes={field: f"b{n}"}, reason="2")
    assert counts() == one
