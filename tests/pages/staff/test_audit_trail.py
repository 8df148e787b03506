"""The clinic admin's audit trail: per patient, per staff member, by action and dates; the
CSV; nobody else reads it; reading it is audited; another clinic's events never show."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from botoxcare.audit import log_action
from botoxcare.models import AuditEvent
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

URL = reverse("staff:audit")


def rows(response) -> list[str]:
    text = response.content.decode()
    return [chunk.split('"', 1)[0] for chunk in text.split('data-action="')[1:]]


def test_only_the_clinic_admin_reads_it(client_for, clinician, nurse, receptionist, clinic_admin):
    for member in (clinician, nurse, receptionist):
        assert client_for(member).get(URL).status_code == 403
        assert client_for(member).get(reverse("staff:audit-export")).status_code == 403
    assert client_for(clinic_admin).get(URL).status_code == 200


def test_viewing_a_patient_shows_in_their_trail(client_for, clinician, clinic_admin, patient):
    other = PatientFactory(clinic=patient.clinic)
    client_for(clinician).get(reverse("staff:patient", args=[patient.pk]))
    client_for(clinician).get(reverse("staff:patient", args=[other.pk]))
    response = client_for(clinic_admin).get(URL, {"patient": patient.pk})
    assert rows(response) == ["patient.viewed"]
    assert clinician.username in response.content.decode() or clinician.get_full_name() in (
        response.content.decode()
    )


def test_filters_by_member_action_and_days(client_for, clinician, nurse, clinic_admin, patient):
    with time_machine.travel(timezone.now() - timedelta(days=10)):
        log_action("patient.viewed", user=nurse, patient=patient)
    log_action("patient.viewed", user=clinician, patient=patient)
    log_action("consultation.recorded", user=clinician, patient=patient)
    admin = client_for(clinic_admin)
    assert rows(admin.get(URL, {"member": nurse.pk})) == ["patient.viewed"]
    assert rows(admin.get(URL, {"member": clinician.pk, "action": "consultation."})) == [
        "consultation.recorded"
    ]
    today = timezone.localdate().isoformat()
    assert sorted(rows(admin.get(URL, {"since": today, "patient": patient.pk}))) == [
        "consultation.recorded",
        "patient.viewed",
    ]
    bad = admin.get(URL, {"since": today, "until": "2000-01-01"})
    assert bad.status_code == 200 and rows(bad) == []
    assert 'data-refusal="order"' in bad.content.decode()


def test_another_clinics_events_never_show(client_for, clinic_admin, other_clinic, patient):
    stranger = PatientFactory(clinic=other_clinic)
    log_action("patient.viewed", patient=stranger)
    log_action("patient.viewed", patient=patient)
    admin = client_for(clinic_admin)
    assert rows(admin.get(URL, {"patient": stranger.pk})) == []
    assert "patient.viewed" in rows(admin.get(URL, {"patient": patient.pk}))


def test_reading_the_trail_is_audited(client_for, clinic_admin):
    client_for(clinic_admin).get(URL, {"action": "patient."})
    event = AuditEvent.objects.get(action="audit.viewed")
    assert event.user == clinic_admin
    assert event.data["filters"] == {"action": "patient."}


def test_the_csv_names_the_patient_and_neutralises_formulas(
    client_for, clinician, clinic_admin, patient
):
    log_action("patient.searched", user=clinician, data={"q": "=HYPERLINK(1)"}, patient=patient)
    response = client_for(clinic_admin).get(reverse("staff:audit-export"), {"patient": patient.pk})
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(body)))
    assert table[0][:3] == ["When", "Who", "Action"]
    (line,) = [r for r in table[1:] if r[2] == "patient.searched"]
    assert line[4] == patient.identifier
    assert line[7].startswith('{"q"')  # the details, a JSON text: a quote first, not a formula
    assert AuditEvent.objects.filter(action="audit.exported", user=clinic_admin).exists()


def test_the_page_reads_a_bounded_number_of_queries(
    client_for, clinician, clinic_admin, clinic, django_assert_max_num_queries
):
    for _ in range(30):
        log_action("patient.viewed", user=clinician, patient=PatientFactory(clinic=clinic))
    admin = client_for(clinic_admin)
    admin.get(URL)
    with django_assert_max_num_queries(14):
        assert admin.get(URL).status_code == 200


def test_the_admin_sees_which_clinical_fields_changed_not_their_values(
    client_for, clinician, clinic_admin, patient, course
):
    from tests.journey import consultation_kwargs
    from treatments import services

    services.consultation_record(course=course, by=clinician, **consultation_kwargs())
    admin = client_for(clinic_admin)
    page = admin.get(URL, {"patient": patient.pk, "action": "consultation."}).content.decode()
    assert "medication_overuse" in page  # the field is named …
    assert "&quot;medication_overuse&quot;:" not in page  # … its value is not
    assert "&quot;failed_preventives_count&quot;: 3" not in page
    body = b"".join(
        admin.get(reverse("staff:audit-export"), {"patient": patient.pk}).streaming_content
    ).decode("utf-8-sig")
    assert "medication_overuse" in body and "values are in the clinical record" in body
