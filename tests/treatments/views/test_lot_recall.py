"""A lot's recall: every patient and session that received it, on a page and as CSV, for the
clinical roles and the clinic admin; scoped to the clinic, audited, paginated, one query for
the rows."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from botoxcare.models import AuditEvent
from botoxcare.roles import Role
from tests.factories import PatientFactory, ProductLotFactory, make_staff
from tests.journey import advance
from treatments.models import Course, InjectionSession, InjectionSite, State
from treatments.models.sessions import InjectionVial
from treatments.views.recall import PAGE_SIZE

pytestmark = pytest.mark.django_db


def sessions_with(lot, clinician, n, *, clinic, start=None):
    """`n` patients, each with one session from `lot` (18 U in temporalis), stored directly:
    the recall reads what is stored, however it was recorded."""
    day = start or timezone.localdate() - timedelta(days=30)
    made = []
    for i in range(n):
        patient = PatientFactory(clinic=clinic, phone=f"07700 900{i:03d}")
        session = InjectionSession.objects.create(
            course=Course.objects.get(patient=patient),
            session_date=day - timedelta(days=i),
            clinician=clinician,
            recorded_at=timezone.now(),
        )
        InjectionVial.objects.create(
            session=session,
            lot=lot,
            vial_units=lot.vial_units,
            diluent_ml=4,
            reconstituted_at=timezone.now(),
            units_given=15,
            units_discarded=5,
        )
        InjectionSite.objects.bulk_create(
            [
                InjectionSite(session=session, muscle="temporalis", sites=2, units=10),
                InjectionSite(session=session, muscle="procerus", sites=1, units=5),
            ]
        )
        made.append(session)
    return made


def recall_url(lot, name="lot-recall"):
    return reverse(f"treatments:{name}", args=[lot.pk])


def test_the_page_lists_every_patient_and_session_that_received_the_lot(
    client_for, clinic, patient, clinician, nurse, consent_form, lot
):
    advance(
        Course.objects.get(patient=patient),
        State.POST_CARE,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
    )
    patient.phone = "07700 900123"
    patient.save()
    other_lot = ProductLotFactory(clinic=clinic)
    sessions_with(other_lot, clinician, 1, clinic=clinic)  # another lot: not listed
    response = client_for(nurse).get(recall_url(lot))
    assert response.status_code == 200
    page = response.content.decode()
    session = InjectionSession.objects.get(vials__lot=lot)
    row = page[page.index(f'data-session="{session.pk}"') :]
    row = row[: row.index("</tr>")]
    assert f"{patient.last_name}, {patient.first_name}" in row
    assert patient.identifier in row
    assert 'href="tel:07700900123"' in row and "07700 900123" in row
    assert f"{session.session_date.day} {session.session_date:%b %Y}" in row
    assert f"{session.total_units} U" in row
    assert clinician.get_full_name() in row
    assert page.count("data-session=") == 1
    assert "1 session, 1 patient" in page
    assert reverse("treatments:lot-recall-export", args=[lot.pk]) in page


@pytest.mark.parametrize("role", [Role.CLINICIAN, Role.NURSE, Role.ADMIN])
def test_clinical_roles_and_the_clinic_admin_may_read_it(client_for, clinic, lot, role):
    client = client_for(make_staff(clinic, role))
    assert client.get(recall_url(lot)).status_code == 200
    assert client.get(recall_url(lot, "lot-recall-export")).status_code == 200
    assert client.get(reverse("treatments:lot-recall-index")).status_code == 200


def test_reception_may_not(client_for, receptionist, lot):
    client = client_for(receptionist)
    assert client.get(recall_url(lot)).status_code == 403
    assert client.get(recall_url(lot, "lot-recall-export")).status_code == 403
    assert client.get(reverse("treatments:lot-recall-index")).status_code == 403


def test_another_clinics_lot_is_a_404(client_for, clinician, other_clinic):
    theirs = ProductLotFactory(clinic=other_clinic)
    their_clinician = make_staff(other_clinic, Role.CLINICIAN)
    sessions_with(theirs, their_clinician, 2, clinic=other_clinic)
    client = client_for(clinician)
    assert client.get(recall_url(theirs)).status_code == 404
    assert client.get(recall_url(theirs, "lot-recall-export")).status_code == 404
    index = client.get(reverse("treatments:lot-recall-index")).content.decode()
    assert theirs.lot_number not in index
    # Typing their lot number finds nothing of this clinic, and sends nowhere.
    typed = client.get(reverse("treatments:lot-recall-index"), {"lot": theirs.lot_number})
    assert typed.status_code == 200 and "data-empty" in typed.content.decode()


def test_the_csv_has_the_same_rows_neutralised(client_for, clinic, clinician, lot):
    made = sessions_with(lot, clinician, 3, clinic=clinic)
    first = made[0].course.patient
    first.last_name = "=HYPERLINK(1)"
    first.save()
    response = client_for(clinician).get(recall_url(lot, "lot-recall-export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["Lot", "Session date", "Identifier", "Name"]
    assert len(rows) == 4
    by_identifier = {r[2]: r for r in rows[1:]}
    line = by_identifier[first.identifier]
    assert line[0] == lot.lot_number
    assert line[1] == made[0].session_date.isoformat()
    assert line[3] == f"'=HYPERLINK(1), {first.first_name}"  # no formula runs
    assert line[4] == first.phone
    assert line[6:8] == ["15", "5"]
    assert line[8] == clinician.get_full_name()
    # The page lists the same sessions.
    page = client_for(clinician).get(recall_url(lot)).content.decode()
    assert {f'data-session="{s.pk}"' for s in made} <= {
        part.split(">")[0] for part in page.split("<tr ") if part.startswith("data-session")
    }


def test_reading_and_exporting_are_audited(client_for, clinic, clinician, lot):
    made = sessions_with(lot, clinician, 2, clinic=clinic)
    client = client_for(clinician)
    client.get(recall_url(lot))
    viewed = AuditEvent.objects.get(action="lot.recall_viewed")
    assert (viewed.user_id, viewed.target_id) == (clinician.pk, lot.pk)
    assert viewed.target_type == "treatments.productlot"
    ids = sorted(s.course.patient_id for s in made)
    assert viewed.data["patient_ids"] == ids
    response = client.get(recall_url(lot, "lot-recall-export"))
    b"".join(response.streaming_content)
    exported = AuditEvent.objects.get(action="lot.recall_exported")
    assert (exported.user_id, exported.target_id) == (clinician.pk, lot.pk)
    assert exported.data["patient_ids"] == ids


def test_the_list_is_paginated(client_for, clinic, clinician, lot):
    sessions_with(lot, clinician, PAGE_SIZE + 1, clinic=clinic)
    client = client_for(clinician)
    first = client.get(recall_url(lot)).content.decode()
    assert first.count("data-session=") == PAGE_SIZE
    assert f"{PAGE_SIZE + 1} sessions, {PAGE_SIZE + 1} patients" in first
    assert "?page=2" in first
    second = client.get(recall_url(lot), {"page": "2"}).content.decode()
    assert second.count("data-session=") == 1
    assert client.get(recall_url(lot), {"page": "x"}).status_code == 200


def test_one_query_for_the_rows_however_many(client_for, clinic, clinician, lot):
    client = client_for(clinician)
    sessions_with(lot, clinician, 2, clinic=clinic)
    client.get(recall_url(lot))  # warm the session and the user's roles
    with CaptureQueriesContext(connection) as few:
        client.get(recall_url(lot))
    sessions_with(
        lot, clinician, 20, clinic=clinic, start=timezone.localdate() - timedelta(days=90)
    )
    with CaptureQueriesContext(connection) as many:
        page = client.get(recall_url(lot)).content.decode()
    assert page.count("data-session=") == 22
    assert len(many) == len(few)
    rows = [
        q["sql"] for q in many if "patients_patient" in q["sql"] and "injectionsession" in q["sql"]
    ]
    # The rows (sessions, patients, clinicians, units) in one query; the counts in another.
    assert len([q for q in rows if "COUNT" not in q.upper()]) == 1


def test_the_page_keeps_a_constant_number_of_queries(
    client_for, clinic, clinician, lot, django_assert_max_num_queries
):
    sessions_with(lot, clinician, 30, clinic=clinic)
    client = client_for(clinician)
    with django_assert_max_num_queries(14):
        client.get(recall_url(lot))
    with django_assert_max_num_queries(14):
        response = client.get(recall_url(lot, "lot-recall-export"))
        b"".join(response.streaming_content)


def test_an_unused_lot_says_so_and_offers_no_download(client_for, clinician, lot):
    page = client_for(clinician).get(recall_url(lot)).content.decode()
    assert "data-empty" in page and f"No session has used lot {lot.lot_number}" in page
    assert "0 sessions, 0 patients" in page
    assert reverse("treatments:lot-recall-export", args=[lot.pk]) not in page


def test_the_index_lists_the_clinics_lots_with_their_session_counts(
    client_for, clinic, clinician, lot
):
    sessions_with(lot, clinician, 3, clinic=clinic)
    unused = ProductLotFactory(clinic=clinic, lot_number="Z1000Z9")
    client = client_for(clinician)
    page = client.get(reverse("treatments:lot-recall-index")).content.decode()
    used_row = page[page.index(f'data-lot="{lot.pk}"') :]
    assert "<td>3</td>" in used_row[: used_row.index("</tr>")]
    unused_row = page[page.index(f'data-lot="{unused.pk}"') :]
    assert "<td>0</td>" in unused_row[: unused_row.index("</tr>")]
    # A lot number typed in full (any case) goes to its list; part of one narrows the list.
    typed = client.get(reverse("treatments:lot-recall-index"), {"lot": lot.lot_number.lower()})
    assert typed.status_code == 302 and typed["Location"] == recall_url(lot)
    part = client.get(reverse("treatments:lot-recall-index"), {"lot": "Z1000"}).content.decode()
    assert f'data-lot="{unused.pk}"' in part and f'data-lot="{lot.pk}"' not in part
    none = client.get(reverse("treatments:lot-recall-index"), {"lot": "nothing"}).content.decode()
    assert "data-empty" in none


def test_the_stock_page_links_each_lot_to_its_recall(client_for, clinic, nurse, clinician, lot):
    sessions_with(lot, clinician, 2, clinic=clinic)
    page = client_for(nurse).get(reverse("treatments:lots")).content.decode()
    assert f'href="{recall_url(lot)}">2<' in page
    assert reverse("treatments:lot-recall-index") in page


def test_the_admin_reaches_it_from_the_navigation(client_for, clinic):
    admin = make_staff(clinic, Role.ADMIN)
    page = client_for(admin).get(reverse("treatments:lot-recall-index")).content.decode()
    assert f'href="{reverse("treatments:lot-recall-index")}">Lot recall</a>' in page
