"""The clinician's list of patients whose diary raises a flag: the stored standings, filtered
by flag and clinician, the clinic's own only, for the clinical roles, in a fixed number of
queries; what it showed is audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from botoxcare.models import AuditEvent
from botoxcare.roles import Role
from diary.models import MedicineClass
from diary.services.standing import diary_standing_refresh
from tests.diary.factories import fill, medicine
from tests.factories import PatientFactory, make_staff
from treatments.models import Course, State

pytestmark = pytest.mark.django_db

URL = reverse("staff:flagged")


def keeping(clinic, clinician, kind: str, *, state: str = State.CONSULTATION):
    """A patient whose diary is `sparse` (3 days of 28 recorded), `overuse` (a triptan on 12
    days of each of the last three periods, every day recorded) or `fine` (every day
    recorded, no headache), with their standing judged."""
    today = timezone.localdate()
    patient = PatientFactory(clinic=clinic, responsible_clinician=clinician)
    Course.objects.create(patient=patient, started_on=today - timedelta(days=200), state=state)
    if kind == "sparse":
        fill(patient, today - timedelta(days=2), 3, hours=4)
    elif kind == "overuse":
        triptan = medicine(patient, MedicineClass.TRIPTAN)
        for period in range(3):
            start = today - timedelta(days=28 * (period + 1) - 1)
            fill(patient, start, 12, hours=4, medicines=[triptan])
            fill(patient, start + timedelta(days=12), 16, headache=False)
    else:
        fill(patient, today - timedelta(days=83), 84, headache=False)
    diary_standing_refresh(patient_id=patient.pk)
    return patient


def shown(client, query: str = "") -> str:
    response = client.get(URL + query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_flagged_patients_with_their_flags_and_counts(client_for, clinic, clinician):
    sparse = keeping(clinic, clinician, "sparse")
    overuse = keeping(clinic, clinician, "overuse")
    fine = keeping(clinic, clinician, "fine")
    page = shown(client_for(clinician))
    assert f'data-patient="{sparse.pk}"' in page and f'data-patient="{overuse.pk}"' in page
    assert f'data-patient="{fine.pk}"' not in page
    assert '<li data-count="keeping"><strong>3</strong>' in page
    assert '<li data-count="flagged"><a href="?"><strong>2</strong>' in page
    assert 'data-flag="medication_overuse"' in page and 'data-flag="too_few_recorded"' in page
    # The figures behind the flag, as on the patient page.
    assert "12 triptan/ergot/opioid/combination" in page
    # Overuse is weightier than too few days: listed first.
    assert page.index(f'data-patient="{overuse.pk}"') < page.index(f'data-patient="{sparse.pk}"')
    only = shown(client_for(clinician), "?flag=medication_overuse")
    assert f'data-patient="{overuse.pk}"' in only and f'data-patient="{sparse.pk}"' not in only
    event = AuditEvent.objects.filter(action="patients.listed").latest("pk")
    assert event.data["patient_ids"] == [overuse.pk]
    assert event.data["filters"] == {"flag": "medication_overuse"}


def test_by_clinician_and_nonsense_filters_ignored(client_for, clinic, clinician):
    other = make_staff(clinic, Role.CLINICIAN)
    mine = keeping(clinic, clinician, "sparse")
    theirs = keeping(clinic, other, "sparse")
    page = shown(client_for(clinician), f"?clinician={other.pk}")
    assert f'data-patient="{theirs.pk}"' in page and f'data-patient="{mine.pk}"' not in page
    page = shown(client_for(clinician), "?flag=nonsense&clinician=x&page=q")
    assert f'data-patient="{theirs.pk}"' in page and f'data-patient="{mine.pk}"' in page


def test_only_the_clinics_own_and_courses_under_way(client_for, clinic, clinician, other_clinic):
    ours = keeping(clinic, clinician, "sparse")
    stopped = keeping(clinic, clinician, "sparse", state=State.DISCONTINUED)
    north_clinician = make_staff(other_clinic, Role.CLINICIAN)
    theirs = keeping(other_clinic, north_clinician, "sparse")
    page = shown(client_for(clinician))
    assert f'data-patient="{ours.pk}"' in page
    assert f'data-patient="{theirs.pk}"' not in page
    assert f'data-patient="{stopped.pk}"' not in page
    assert f'data-patient="{ours.pk}"' not in shown(client_for(north_clinician))


@pytest.mark.parametrize("role", [Role.RECEPTIONIST, Role.ADMIN])
def test_roles_without_the_clinical_record_are_refused(client_for, clinic, role):
    assert client_for(make_staff(clinic, role)).get(URL).status_code == 403


def test_a_nurse_sees_it_and_the_empty_states(client_for, clinic, nurse, clinician):
    assert "No patient keeps a diary yet." in shown(client_for(nurse))
    keeping(clinic, clinician, "fine")
    assert "No diary raises a flag." in shown(client_for(nurse))
    assert "No patient has this flag." in shown(client_for(nurse), "?flag=stop_rule")


def test_queries_do_not_grow_with_rows(
    client_for, clinic, clinician, django_assert_max_num_queries
):
    for _ in range(2):
        keeping(clinic, make_staff(clinic, Role.CLINICIAN), "sparse")
    client = client_for(clinician)
    with CaptureQueriesContext(connection) as ctx:
        shown(client)
    baseline = len(ctx.captured_queries)
    for _ in range(6):
        keeping(clinic, make_staff(clinic, Role.CLINICIAN), "sparse")
    with django_assert_max_num_queries(baseline):
        page = shown(client)
    assert page.count("data-patient=") == 8
    assert baseline <= 12
